"""Explanations: the log records of a single run (perceptions, decisions, support, bargaining) and their causes.

Every function here writes to the model's :class:`~sim.model.records.Log` only when the model keeps
one run's explanations (``R == 1``); none changes the world.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.doctrines import ACTIONS
from sim.scales import SUPPORT_LEVELS
from sim.scenario.events import ACTION_SPECS

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["rise_words", "perception", "decision_sentence", "log_decisions", "recent_perception", "log_support",
           "log_support_rise", "log_bargain"]


def perception(m: CrisisModel, prev_raw: np.ndarray, prev_comp: dict[str, np.ndarray]) -> None:
    """Log a perception record for each threat that rose noticeably and has a named cause."""
    w = m.world
    if not m.causes and not m.power_causes:
        return
    raw = m.threat_raw[0]
    rel = np.where(prev_raw > 0, raw / np.where(prev_raw > 0, prev_raw, 1.0) - 1.0, 0.0)
    cand = set(m.causes)
    for j in m.power_causes:
        for i in range(m.n):
            if i != j:
                cand.add((i, j))
    t = m.steps_done
    threat = w.threat[0]
    for (i, j) in sorted(cand):
        if i == j or rel[i, j] < 0.02:
            continue
        ratios = {k: float(m.components[k][i, j] / max(prev_comp[k][i, j], 1e-12)) for k in m.components}
        comp = max(ratios, key=lambda k: ratios[k])
        causes = m.causes.get((i, j), []) + m.power_causes.get(j, [])
        if comp == "power" and m.power_causes.get(j):
            cause = m.power_causes[j][0]
        else:
            cause = causes[0] if causes else ""
        src = m.log.get(cause)
        because = {
            "power": f"the aggregate power it faces from {w.codes[j]} grew ×{ratios['power']:.2f}",
            "proximity": f"{w.codes[j]}'s power came closer (×{ratios['proximity']:.2f})",
            "offense": f"{w.codes[j]}'s forces deployed near it raised its offensive posture (×{ratios['offense']:.2f})",
            "intent": f"{w.codes[j]}'s acts made its intentions look more hostile (×{ratios['intent']:.2f})",
        }[comp]
        ev = f" — after {src['actor']}'s {str(src['type']).replace('_', ' ')} ({src['id']})" if src else ""
        before, after = float(m.threat_prev[i, j]), float(threat[i, j])
        why = (f"{w.codes[i]}'s threat from {w.codes[j]} {rise_words(before, after, float(rel[i, j]))} "
               f"because {because}{ev}.")
        rid = m.log.add(t, "perception", "perceive_threat", why, cause=cause, actor=w.codes[i], target=w.codes[j],
                           component=comp, before=before, after=after)
        m.last_perception[(i, j)] = (rid, t)


def decision_sentence(m: CrisisModel, i: int) -> str:
    """One sentence saying why state ``i`` chose what it chose this step (replication 0)."""
    w = m.world
    a = ACTIONS[m.choice[0, i]]
    k = int(m.focal[0, i])
    ci, ck = w.codes[i], w.codes[k]
    doctrine = m.by_index[i].doctrine_name
    thr = float(w.threat[0, i, k])
    if a == "hold":
        return f"{ci} ({doctrine}) holds: its most pressing dyad, with {ck} (threat {thr:.2f}, rung {w.level[0, i, k]}), does not call for a move."
    rd = ACTION_SPECS[a]
    if a == "balance":
        target = w.codes[int(m.partner[0, i])]
        return (f"{ci} ({doctrine}) balances against {ck} (threat {thr:.2f}) by aligning with {target}, "
                f"also threatened by {ck}: {rd.label} (CAMEO {rd.cameo}).")
    if a == "arm":
        return f"{ci} ({doctrine}) arms in answer to {ck} (threat {thr:.2f}): military spending up."
    return (f"{ci} ({doctrine}) answers {ck} (threat {thr:.2f}, rung {w.level[0, i, k]}): {a.replace('_', ' ')} — "
            f"{rd.label} (CAMEO {rd.cameo}, Goldstein {rd.goldstein:+.1f}).")


def log_decisions(m: CrisisModel) -> list[str]:
    """Log every state's chosen action (a single run); returns each state's record id ('' for hold)."""
    w = m.world
    t = m.steps_done
    rids = [""] * m.n
    for i in range(m.n):
        a = ACTIONS[m.choice[0, i]]
        if a == "hold":
            continue
        k = int(m.focal[0, i])
        rd = ACTION_SPECS[a]
        target = w.codes[int(m.partner[0, i])] if a == "balance" else w.codes[k]
        why = decision_sentence(m, i) if m.explain else ""  # batches keep the record without its sentence
        rids[i] = m.log.add(t, "decision", "decide", why, cause=recent_perception(m, i, k), type=a, actor=w.codes[i],
                            target=target, cameo=rd.cameo, goldstein=rd.goldstein, level=rd.ladder,
                            doctrine=m.by_index[i].doctrine_name)
    return rids


def recent_perception(m: CrisisModel, i: int, k: int, window_weeks: float = 4.0) -> str:
    """The perception record that prompted i's answer to k, if it is recent enough to be the reason."""
    rec = m.last_perception.get((i, k))
    if rec is None or (m.steps_done - rec[1]) * m.weeks > window_weeks:
        return ""
    return rec[0]


def log_support(m: CrisisModel, i, k, z, lvl, prob, choice, terms) -> None:
    """Log each partner's support decision when it changes (a single run)."""
    w = m.world
    t = m.steps_done
    for q, (ii, kk, zz) in enumerate(zip(i.tolist(), k.tolist(), z.tolist(), strict=True)):
        c = int(choice[q])
        if m.support_logged.get((ii, kk), 0) == c:
            continue
        m.support_logged[(ii, kk)] = c
        ci, ck, cz = w.codes[ii], w.codes[kk], w.codes[zz]
        cause = m.level_cause.get((min(kk, zz), max(kk, zz)), "")
        why_terms = (f"obligation {terms['obligation'][q]:.2f}, need {terms['need'][q]:.2f}, "
                     f"cost {terms['cost'][q]:.2f}, side payment {terms['payment'][q]:.2f}; chance {prob[q, c]:.0%}")
        words = {0: f"stops supporting {ck} against {cz}",
                 1: f"speaks up for {ck} against {cz}",
                 2: f"sends arms to {ck} for its crisis with {cz}",
                 3: f"sends troops to {ck}'s fight with {cz}",
                 4: f"joins {ck}'s war against {cz}"}[c]
        rd = ACTION_SPECS["join_war" if c == 4 else "support_ally"]
        rid = m.log.add(t, "decision", "alliance_politics", f"{ci} {words} (rung {int(lvl[q])}; {why_terms}).",
                        cause=cause, type=f"support_{SUPPORT_LEVELS[c]}" if c else "abandon", actor=ci,
                        target=ck if c < 3 else cz, cameo=rd.cameo if c else "1222",
                        goldstein=rd.goldstein if c else -4.0, level=int(w.level[0, ii, zz]))
        m.support_rid[(ii, kk)] = rid
        if c >= 3:
            m.level_cause[(min(ii, zz), max(ii, zz))] = rid


def log_support_rise(m: CrisisModel, i, k, z, target, degree: int) -> None:
    """Log each rise of a supporter's own dyad with its partner's opponent that its support caused (a single run).

    Support takes the ``i–z`` dyad up the ladder (a statement to rung 1, arms to 3, troops to a use
    of force or war, joining to the partner's rung), also in steps in which the supporter keeps last
    step's degree and so logs no new decision: every such rise gets an outcome record naming the
    dyad and its new rung, caused by the supporter's decision (or, failing one, by what put the
    partner's dyad at its rung), so that a cause chain reaches it.
    """
    w = m.world
    t = m.steps_done
    name = SUPPORT_LEVELS[degree]
    words = {"statement": "speaks up for", "arms": "arms", "troops": "sends troops to", "join": "joins the fight of"}[name]
    done: set[tuple[int, int]] = set()
    for ii, kk, zz, lv in zip(i.tolist(), k.tolist(), z.tolist(), target.tolist(), strict=True):
        key = (min(ii, zz), max(ii, zz))
        if key in done or int(w.level[0, ii, zz]) != lv:  # another supporter took the dyad higher this step
            continue
        done.add(key)
        cause = m.support_rid.get((ii, kk)) or m.level_cause.get((min(kk, zz), max(kk, zz)), "")
        rd = ACTION_SPECS["join_war" if name == "join" else "support_ally"]
        rid = m.log.add(t, "outcome", "alliance_politics",
                        f"{w.codes[ii]} {words} {w.codes[kk]} against {w.codes[zz]}: the {w.codes[ii]}–{w.codes[zz]} dyad "
                        f"rises to rung {lv}.", cause=cause, type=f"support_{name}", actor=w.codes[ii], target=w.codes[zz],
                        cameo=rd.cameo, goldstein=rd.goldstein, level=int(lv))
        m.level_cause[key] = rid


def log_bargain(m: CrisisModel, i, j, onset, cease, nuclear, p_break, commit, pt, sigma) -> None:
    """Log each war onset, ceasefire and nuclear crossing of this step's bargaining (a single run)."""
    w = m.world
    t = m.steps_done
    for q in np.nonzero(onset | cease | nuclear)[0].tolist():
        ii, jj = int(i[q]), int(j[q])
        ci, cj = w.codes[ii], w.codes[jj]
        cause = m.level_cause.get((ii, jj), "")
        if onset[q]:
            rd = ACTION_SPECS["war"]
            why = (f"Bargaining between {ci} and {cj} breaks down: private information hides a deal "
                   f"(chance {p_break[q]:.0%} that the range is misread; commitment-problem boost {commit[q]:.2f}, "
                   f"power-transition boost {pt[q]:.2f}) — war (rung 7).")
            kind, lv = "war", 7
        elif cease[q]:
            rd = ACTION_SPECS["ceasefire"]
            why = (f"Fighting has revealed enough about the balance for {ci} and {cj} to agree a ceasefire "
                   f"(σ down to {sigma[q]:.3f}; indivisibility factor {m.indivisibility[ii, jj]:.2f}) — back to rung 4.")
            kind, lv = "ceasefire", 4
        else:
            rd = ACTION_SPECS["nuclear_use"]
            why = f"{ci}–{cj}: a losing nuclear power crosses the nuclear threshold (rung 9)."
            kind, lv = "nuclear_use", 9
        rid = m.log.add(t, "outcome", "bargain", why, cause=cause, type=kind, actor=ci, target=cj,
                           cameo=rd.cameo, goldstein=rd.goldstein, level=lv)
        m.level_cause[(ii, jj)] = rid


def rise_words(before: float, after: float, raw_rise: float) -> str:
    """How a threat rose, in words whose percentage matches the numbers shown.

    The percentage is that of the 0–1 threat shown (``before`` → ``after``); when the shown
    values round alike (a threat near 1 saturates) the rise of the raw index is named as such.
    """
    b, a = round(before, 2), round(after, 2)
    if a != b and b > 0:
        return f"rose {a / b - 1.0:.0%} ({before:.2f} → {after:.2f} on the 0–1 scale)"
    if round(after, 2) != round(before, 2):
        return f"rose from {before:.2f} to {after:.2f} on the 0–1 scale"
    return f"stays at {after:.2f} on the 0–1 scale while its raw index rose {raw_rise:.0%}"
