"""Submodel 6, ``alliance_politics``: partners choose, each step, how far to support a state in crisis (docs/model.md §7.6).

Support comes in degrees (Leeds, Long & Mitchell 2000; Morrow 1991): a statement, arms transfers,
troops sent to the partner's war, or joining the war as a belligerent. Every state tied to a
state in crisis (a defence pledge or alignment) chooses one of these — or none — every step, and
may choose again the next: weighing its obligation, the partner's need, the cost and distance of
fighting the opponent, its fear of abandonment, and a patron's side payments for a client's help
(Snyder 1984; Christensen & Snyder 1990; Morrow 1991). Nothing is decided once for all at signing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model import explain
from sim.model.streams import uniform
from sim.scales import SUPPORT_LEVELS

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["alliance_politics", "SUPPORT_LEVELS", "support_utilities"]



def _candidates(m: CrisisModel):
    """(replication, supporter i, partner k, opponent z, rung of k–z) for every tie of a state in crisis."""
    w, ap = m.world, m.params.alliance_politics
    levels = w.level
    cl, ca, cb = np.nonzero((levels >= ap.crisis_level) & m.upper)
    if cl.size == 0:
        return None
    lk = np.concatenate([cl, cl])
    k = np.concatenate([ca, cb])
    z = np.concatenate([cb, ca])
    d = m._d[None, :]
    tie = np.maximum(w.pledge[lk[:, None], d, k[:, None]], 0.5 * w.align[lk[:, None], d, k[:, None]])
    cand = tie > 0.2  # a defence pledge, or alignment of at least a consultation pact (0.45)
    cand &= w.pledge[lk[:, None], d, z[:, None]] <= 0.3  # not pledged to the opponent
    # cross-pressure: a state tied as closely (or more) to the opponent stays out — ties to both
    # sides make a state less willing to take either's (Siverson & Starr 1991: willingness follows
    # the alliance portfolio); China, aligned with Russia and Ukraine alike, is neither's supporter
    tie_z = np.maximum(w.pledge[lk[:, None], d, z[:, None]], 0.5 * w.align[lk[:, None], d, z[:, None]])
    cand &= tie > tie_z
    cand[np.arange(len(k)), k] = False
    cand[np.arange(len(k)), z] = False
    row, i = np.nonzero(cand)
    if row.size == 0:
        return None
    rn, k, z = lk[row], k[row], z[row]
    # one decision per (replication, supporter, partner): against the partner's most serious
    # opponent — at the highest rung, preferring one that attacked the partner (the casus
    # foederis), then the most powerful one
    lvl = levels[rn, k, z]
    attacked = _attacked(m, rn, k, z)
    key = (rn.astype(np.int64) * m.n + i) * m.n + k
    order = np.lexsort((z, -m.agg[rn, k, z], ~attacked, -lvl.astype(np.int64), key))
    first = np.ones(len(order), dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    sel = order[first]
    return rn[sel], i[sel], k[sel], z[sel], lvl[sel]


def _record_aggressors(m: CrisisModel) -> None:
    """Note who started each fight when it is first seen at the crisis rung (``m.aggressor``).

    The side with more recent hostility toward the other when the dyad first reaches
    ``crisis_level`` started it (``aggressor`` +2 for it, −2 for the other; ties: 0); a supporter
    whose troops or entry open a fight started that one (+1/−1, set in :func:`alliance_politics`).
    The record stands while the fight lasts and is cleared when the dyad falls below that rung. A
    fight already going at the start (an ongoing war of the scenario) has no recorded starter: the
    first step's acts would otherwise decide who started a war that began before the scenario, so
    each side counts as attacked and its partners' pledges bind.
    """
    w, ap = m.world, m.params.alliance_politics
    fight = w.level >= ap.crisis_level
    m.aggressor[~fight] = 0
    new = fight & ~m.fight_seen
    m.fight_seen = fight
    m.fight_start[new] = m.steps_done
    rn, a, b = np.nonzero(new & (m.aggressor == 0) & m.upper)
    if rn.size:
        h = (2 * np.sign(w.hostility[rn, a, b] - w.hostility[rn, b, a])).astype(np.int8)
        m.aggressor[rn, a, b] = h
        m.aggressor[rn, b, a] = -h


def _attacked(m: CrisisModel, rn, k, z) -> np.ndarray:
    """Whether partner k counts as attacked in its fight with z (the casus foederis of a defence pledge).

    z (or neither side) started the k–z fight, and k itself started no war as a principal: the
    state that started the war cannot invoke a defensive pledge when its victim's friends come to
    the victim's aid — Italy's reading of the Triple Alliance in August 1914.
    """
    return (m.aggressor[rn, k, z] <= 0) & ~(m.aggressor[rn, k, :] == 2).any(axis=1)


def _would_fight(m: CrisisModel, rn, i, k, z, lvl, c: np.ndarray) -> np.ndarray:
    """Whether each supporter's standing disposition toward this fight is to fight in it (troops or joining).

    ``c`` is the cumulative logit weight of the five degrees. The random part of a discrete
    choice stands for the chooser's unobserved motives (McFadden 1974); asked the same question
    again, the same state has the same motives (Heckman 1981: unobserved heterogeneity is not
    fresh noise; Train 2009, ch. 6, the logit on panel data). Words and arms are cheap and
    adjusted week by week; becoming a belligerent is not, and a state that is not obliged to fight
    has no reason to reconsider each week what it decided when the fight began. So the decision
    to fight uninvited is drawn once per phase of the partner's fight — keyed to the step at which
    the ``k–z`` fight was first seen (``m.fight_start``) and to whether it is at war — and changes
    only as the scores change (the partner losing, at war, a pledge signed). Redrawn each week, a
    small chance of entering became a near-certain entry over a long fight.
    """
    phase = 2 * m.fight_start[rn, k, z] + (lvl >= 7)
    held = uniform(m.keys[rn], "support", 0, phase, m.akey[i], m.akey[k], m.akey[z])
    return c[:, 2] < held * c[:, -1]


def support_utilities(m: CrisisModel, rn, i, k, z, lvl) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Scores of the five degrees of support (``[M, 5]``) and the terms behind them.

    ``U_o = b_o + o_o·obligation + n_o·need + s_o·payment − c_o·cost − dist_o·(1 − prox_iz) + r_o·rep`` with
    obligation = bind·(pledge_ik·max(0, 1 + 2·o_i) + the abandonment fear), where bind is 1 when k
    was attacked and otherwise the pledge's unconditional part (the casus foederis); need = the
    danger that k loses alone (buck-passing when it can win); cost = the opponent's power over
    i's, × (1 − 0.8·o_i) (entrapment; troops and joining against a nuclear power cost 3 and 4 more:
    the risk of nuclear war, Jervis 1989); payment = a patron's side payment for a client's help
    (k's capability over i's, saturating); rep = a great power's reputation stake in an attacked
    partner (pledge² × danger). Troops and joining need a defence pledge in force. Weights:
    ``alliance_politics.*``; docs/model.md §7.6.
    """
    w, ap = m.world, m.params.alliance_politics
    own = m.own
    # casus foederis: a defence pledge binds when the partner is attacked; a partner that started
    # the fight (more recent hostility toward the opponent than it received) is covered only by an
    # unconditional promise — the part of the pledge's strength above ``unconditional`` (1 = the
    # blank cheque) — and so is the fear of being abandoned for not helping (Leeds, Long & Mitchell
    # 2000; Leeds 2003; Snyder 1984 on restraining an ally)
    pledge = w.pledge[rn, i, k]
    attacked = _attacked(m, rn, k, z)
    binds = np.where(attacked, 1.0, np.clip((pledge - ap.unconditional) / max(1.0 - ap.unconditional, 1e-9), 0.0, 1.0))
    obligation = binds * pledge * np.maximum(0.0, 1.0 + 2.0 * w.offense_defense[i])
    backing = w.pledge[rn, k, i] * w.cap[rn, k]
    obligation = obligation + binds * ap.abandonment_weight * backing / (backing + own[rn, i])
    pwin = own[rn, k] / (own[rn, k] + m.agg[rn, k, z])
    # a partner that would lose alone needs help most; one that can win alone can be left to it
    # (buck-passing); perceived offence dominance makes a partner's defeat look quick and decisive,
    # so its need is urgent (chain-ganging), defence dominance lets allies wait (Christensen &
    # Snyder 1990; Van Evera 1984)
    danger = np.clip(1.5 - 2.0 * pwin, 0.0, 1.0) * np.where(lvl >= 7, 1.0, 0.5)
    need = danger
    # perceived offence dominance makes a war look short and cheap, defence dominance long and
    # costly (Van Evera 1984; Christensen & Snyder 1990)
    cost = (ap.entrapment_weight * np.minimum(3.0, m.agg[rn, i, z] / np.maximum(own[rn, i], 1e-9))
            * (1.0 - 0.8 * w.offense_defense[i]))
    nuclear = w.nuclear[z].astype(float)
    ratio = w.cap[rn, k] / np.maximum(w.cap[rn, i], 1e-9)
    payment = ap.side_payment * np.clip(np.log(np.maximum(ratio, 1.0)) / 3.0, 0.0, 1.0)
    far = 1.0 - m.prox[i, z]
    risk = np.log(m.risk[i])
    # a great power that lets an attacked partner fall (in proportion to the danger) loses its reputation for resolve: the stake
    # grows with the firmness of the pledge (Snyder & Diesing 1977; Snyder 1984; the 1909 Bosnian
    # humiliation behind Russia's stand in 1914, Clark 2012)
    reputation = ap.reputation_weight * w.major[i] * pledge * pledge * attacked * danger
    u = np.zeros((len(rn), len(SUPPORT_LEVELS)))
    u[:, 1] = -0.5 + 0.5 * obligation + 0.3 * need - 0.1 * cost
    u[:, 2] = -1.5 + 1.0 * obligation + 0.8 * need + payment - 0.3 * cost - 0.5 * far + 0.5 * reputation
    u[:, 3] = -4.0 + 2.0 * obligation + 1.5 * need + 1.5 * payment - cost - 3.0 * nuclear - 1.0 * far + risk + reputation
    u[:, 4] = -5.5 + 3.0 * obligation + 2.0 * need + payment - 1.5 * cost - 4.0 * nuclear - 1.5 * far + risk + reputation
    # support is a policy, not a weekly lottery: last step's choice keeps a bonus (status-quo inertia)
    u[np.arange(len(rn)), m.support_prev[rn, i, k]] += ap.inertia
    # troops and joining make sense only where force is in use; arms only from a state with arms to give
    # and fighting in a partner's war needs a defence pledge in force: alliance ties, not sympathy,
    # carry wars from one dyad to another (Siverson & Starr 1991; Leeds 2003)
    # a defence pledge promises help against an armed attack: allies fight in a partner's wars far
    # more often than in its clashes (GML MID × ATOP: 8.9% vs 0.27% of defence allies use force on
    # the partner's side; sim/data/mid_join_rates.csv); the two offsets are fitted to those rates
    entry = np.where(lvl >= 7, ap.entry_at_war, ap.entry_short_of_war)
    u[:, 3] += entry
    u[:, 4] += entry
    fight = (lvl >= 5) & (pledge > 0)
    u[:, 3] = np.where(fight, u[:, 3], -np.inf)
    u[:, 4] = np.where(fight, u[:, 4], -np.inf)
    return u, {"obligation": obligation, "need": need, "cost": cost, "payment": payment}


def alliance_politics(m: CrisisModel) -> None:
    """Every partner of a state in crisis chooses how far to support it this step (docs/model.md §7.6).

    Partners i of k (a defence pledge, or half the alignment, above 0.2; not pledged to the
    opponent) in a crisis with z at rung ≥ ``crisis_level`` score the five degrees of support
    (:func:`support_utilities`) and draw one by logit choice (temperature ``decision.temperature``)
    from the supporter's own stream, in the steps in which the supporter attends (the response
    lag of ``decide``; otherwise last step's choice stands). A supporter whose pledge is not called
    on sends troops or joins only if its standing disposition toward the fight, drawn once per phase
    of it, is to fight (:func:`_would_fight`; switch ``support_resolve``). Effects: a statement leaves the i–z
    rung as it is; arms transfer a share of i's capability to k (``arms_share`` a year), the i–z
    rung unchanged (neither is a militarized act toward z); troops transfer more (``troop_share`` a
    year) and take i–z to a use of force (rung 5), or to war if k is at war (troops fighting in a
    partner's war make a belligerent); joining takes i–z to the rung of k–z (war, if k is at war).
    Any support adds to i's hostility toward z (0.1 per degree per week). Troops and joining carry
    the fitted entry offsets (``entry_short_of_war``, ``entry_at_war``). Pledged partners that give nothing are trusted
    less by k, those that help more (reliability learning).
    """
    w, ap = m.world, m.params.alliance_politics
    m.support_prev = m.support_now.copy()
    m.support_now[:] = 0
    if "support" in m.switched_off:
        return
    _record_aggressors(m)
    got = _candidates(m)
    if got is None:
        return
    rn, i, k, z, lvl = got
    u, terms = support_utilities(m, rn, i, k, z, lvl)
    called = (lvl >= 7) & (w.pledge[rn, i, k] >= 0.5) & _attacked(m, rn, k, z)
    m.casus_war[rn[called], i[called], k[called]] = True
    t = m.params.decision.temperature
    x = u / t
    x = x - x.max(axis=1, keepdims=True)
    p = np.exp(x)
    c = np.cumsum(p, axis=1)
    draw = uniform(m.keys[rn], "support", m.steps_done, m.akey[i], m.akey[k], m.akey[z])
    choice = np.minimum((c < (draw * c[:, -1])[:, None]).sum(axis=1), len(SUPPORT_LEVELS) - 1)
    if "support_resolve" not in m.switched_off:
        # a supporter not called on fights only if its standing disposition toward this fight is to
        # fight (drawn once per phase); one whose pledge is called on is asked again each week — the
        # attacked partner renews its call, and the fear of abandonment with it (Snyder 1984)
        may_fight = called | _would_fight(m, rn, i, k, z, lvl, c)
        choice = np.where(may_fight, choice, np.minimum(choice, 2))
    # a supporter re-chooses only when it attends to the crisis this step (the response lag of
    # ``decide``, about once a week); otherwise its policy stands
    choice = np.where(m.attending[rn, i], choice, m.support_prev[rn, i, k])
    m.support_now[rn, i, k] = choice
    np.maximum.at(m.support_max, (rn, i, k), choice.astype(m.support_max.dtype))
    if m.logging:
        explain.log_support(m, i, k, z, lvl, p / c[:, -1:], choice, terms)
    # reliability learning (pledged partners only): help moves k's trust in i toward 1, none toward 0
    rl = ap.reliability_learning * min(1.0, m.weeks)
    pledged = w.pledge[rn, i, k] > 0.05
    r = w.reliab[rn[pledged], k[pledged], i[pledged]]
    helped = choice[pledged] >= 1
    w.reliab[rn[pledged], k[pledged], i[pledged]] = np.where(helped, r + rl * (1.0 - r), r * (1.0 - rl))
    dt = m.weeks / 52.0
    # statements and arms transfers are not militarized acts toward the opponent (the MID record
    # does not count a state that arms or speaks for a belligerent as a party to its dispute):
    # they leave the supporter–opponent rung as it is and add to the supporter's hostility only
    for level, rung, share in ((1, 0, 0.0), (2, 0, ap.arms_share), (3, 5, ap.troop_share), (4, -1, ap.troop_share)):
        sel = choice == level
        if not sel.any():
            continue
        rs, is_, ks, zs = rn[sel], i[sel], k[sel], z[sel]
        # joining takes the partner's rung; troops fight: a use of force, or war if the partner is at war
        target = lvl[sel] if rung < 0 else (np.where(lvl[sel] >= 7, lvl[sel], rung) if level == 3 else np.full(len(rs), rung))
        target = target.astype(w.level.dtype)
        raise_ = target > w.level[rs, is_, zs]
        # a supporter that opens a fight by entering a partner's war starts it: its own allies'
        # defence pledges do not cover its entry (the casus foederis is an attack on the ally)
        opens = raise_ & (w.level[rs, is_, zs] < ap.crisis_level) & (target >= ap.crisis_level)
        m.aggressor[rs[opens], is_[opens], zs[opens]] = 1
        m.aggressor[rs[opens], zs[opens], is_[opens]] = -1
        np.maximum.at(w.level, (rs, is_, zs), target)
        np.maximum.at(w.level, (rs, zs, is_), target)
        if m.logging and raise_.any():
            explain.log_support_rise(m, is_[raise_], ks[raise_], zs[raise_], target[raise_], level)
        u_ = m.params.bargaining.uncertainty
        w.sigma[rs[raise_], is_[raise_], zs[raise_]] = u_
        w.sigma[rs[raise_], zs[raise_], is_[raise_]] = u_
        np.add.at(w.hostility, (rs, is_, zs), 0.1 * level * m.weeks)  # per week of support, not per step
        if share > 0:
            gift = share * dt * w.cap[rs, is_]
            np.add.at(w.cap0, (rs, ks), gift)
            np.add.at(w.cap, (rs, ks), gift)
