"""Acceptance measurements of a credible model, as sections of docs/validation.md.

    python scripts/validate_credibility.py [--runs 500] [--quiet-runs 300] [--workers 2]

Called by ``scripts/validate_patterns.py`` (which writes the whole of docs/validation.md); run on
its own it prints the sections. Every figure is measured here through the public API:
``sim.validation.credibility`` (quiet worlds, events against quiet variants, top threats),
``sim.validation.face`` (the findings of the issue) and ``sim.validation.history`` (per-dyad
predictions scored against the MID record). The switch-off table is read from
``docs/validation-data/switch_off.json``, written by ``scripts/switch_off.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim import load_scenario  # noqa: E402
from sim.validation.credibility import (  # noqa: E402
    DOUBLING,
    WAR_THRESHOLD,
    dispute_escalation,
    dyad_types,
    event_contributions,
    events_matter,
    own_record,
    quiet_world,
    top_threats,
)
from sim.validation.face import face_validity  # noqa: E402


def _p(x: float) -> str:
    return f"{100 * x:.1f}%"


def _bar(progress_label: str):
    """A rich progress callback, or None when not on a terminal."""
    if not sys.stderr.isatty():
        return None
    from rich.progress import Progress

    prog = Progress(transient=True)
    prog.start()
    task = prog.add_task(progress_label, total=None)

    def cb(done: int, total: int) -> None:
        prog.update(task, completed=done, total=total)
        if done >= total:
            prog.stop()

    return cb


def scenarios():
    return [load_scenario(p) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]


def _by_joining(r: dict) -> str:
    """A quiet dyad's wars by joining a partner's war, and the share of its own wars, as table text ("" if none)."""
    if not r["war_joined_runs"]:
        return ""
    return (f"; by joining {r['war_joined_runs']} of {r['war_runs']} runs, the rest "
            f"{_p(r['p_war_direct'])} [{_p(r['war_direct_lo'])}–{_p(r['war_direct_hi'])}]")


def _rival_war_text() -> str:
    """The rivals' yearly war rates, as cited in the text."""
    from sim.validation.history import rivalry_war_rates

    r = rivalry_war_rates()
    return (f"{r['contiguous']:.1f} per 1,000 contiguous rival dyad-years and {r['other']:.1f} for the others, "
            f"Thompson–Dreyer rivals 1816–1989, `sim/data/mid_rivalry_rates.csv`") if r else "no rates shipped"


def section_quiet(w, runs: int, workers: int | None, rivalry_rates=None) -> None:
    disputed = dispute_escalation()
    w("## 6. Quiet worlds stay quiet\n")
    w(f"Each bundled scenario's *quiet variant* (`sim.scenario.quiet.quiet_scenario`: the same actors, alliances, "
      f"wars and sanctions in force, with every scheduled event removed) run for one year in its own step unit "
      f"({runs} seeded runs each). A dyad has a **new use of force** when its rung newly reaches the first rung of "
      f"the MID *use of force* level (from below). Its yearly chance is set against the MID rate of new uses of force "
      f"for its dyad type (per 1,000 dyad-years, 1946–2010, `sim/data/base_rates_MID_1946-2010.csv`: land-contiguous; "
      f"else involving a major power; else neither"
      + ("; rivals get the rate of new uses of force among Thompson–Dreyer rivals, 1816–1989, contiguous or not "
         "(`sim/data/mid_rivalry_rates.csv`)" if rivalry_rates else
         "; that file has no rivalry rows, so rivals are not told apart") +
      f"). A dyad that starts **in an open dispute** (the scenario's tension puts it at the MID threat level or above, "
      f"below the use of force; sanctions alone are not a militarized dispute) is already in the dispute that yearly "
      f"rate counts: it is set against "
      f"the share of new MIDs that reach a use of force ({_p(disputed['force'])} of the {disputed['dyad_years']:,} "
      f"dyad-years with a new MID, 1816–1989, `sim/data/mid_onsets_1816-1989.csv`; {_p(disputed['war'])} reach war, "
      f"most of them in the two world wars). That reference counts disputes recorded as begun; a scripted tension "
      f"that stands for a rivalry hostile for decades is not one (North Korea–Japan: tension 2 and a trade ban since "
      f"2009, two new uses of force in the 38 years 1952–1989 of the MID data), so for a dyad "
      f"outside its band the line under each table gives its own yearly record in the MID data, the yardstick that "
      f"does describe it. *within*: inside ×{DOUBLING:g} of the reference; *compatible*: outside "
      f"it, but the Wilson interval overlaps it (the runs cannot tell the model's rate from one inside the band); "
      f"*above*/*below*: the whole interval outside; *ongoing*: the dyad starts at or above the use of force. Intervals are Wilson 95% intervals. A pair that starts at peace (no open "
      f"dispute) should reach war in at most {_p(WAR_THRESHOLD)} of one-year runs. A pair whose war comes because one side "
      f"fights for a partner at war with the other (troops or joining, in the same run) is alliance support, not a new "
      f"war between a pair at peace (the reading of the pattern tests): its runs are shown (*by joining*) and left out "
      f"of the {_p(WAR_THRESHOLD)} check, and how often a pledge is honoured when a partner is attacked and at war is "
      f"fitted to Leeds, Long & Mitchell's 74.5% (`scripts/fit_entry.py`, §12). A pair of **rivals that starts in a "
      f"dispute** is also held to the rivals' yearly chance of a new war ({_rival_war_text()}): its scripted tension "
      f"stands for a rivalry's hostile phase, not for a dispute just recorded as begun, and its own wars (not by joining) "
      f"should stay within ×{DOUBLING:g} of that rate (**over ×2** otherwise). This check is not a target of the "
      f"calibration.\n")
    summary = []
    for sc in scenarios():
        t0 = time.time()
        q = quiet_world(sc, runs, 0, workers=workers, progress=_bar(f"quiet {sc.id}"), rivalry_rates=rivalry_rates)
        dy = q["dyads"]
        counts = {k: sum(r["where"] == k for r in dy) for k in ("within", "compatible", "above", "below", "ongoing")}
        over = [r for r in dy if r["war_over"]]
        rivals_in = [r for r in dy if r["p_war_rival"] is not None]
        rivals_over = [r for r in rivals_in if r["war_over_rival"]]
        wm = q["war_max"]
        summary.append((sc.id, q, counts, over, wm, (rivals_in, rivals_over), time.time() - t0))
        w(f"### {sc.id} (quiet, {q['horizon']} {q['step']}s, {q['runs']} runs)\n")
        w("| dyad | type | start rung | MID reference (×2 band) | model new force /yr [95%] | | war from peace [95%] |")
        w("|---|---|---:|---|---|---|---|")
        for r in dy:
            kind = ", ".join(k for k in ("contiguous", "major", "rival", "ally") if r[k]) or "—"
            band = f"{_p(r['p_ref'])} ({_p(r['band'][0])}–{_p(r['band'][1])})"
            if r["peace_start"]:
                war = f"{_p(r['p_war'])} [{_p(r['war_lo'])}–{_p(r['war_hi'])}]"
                war += _by_joining(r) + (" **over 2%**" if r["war_over"] else "")
            elif r["in_dispute"]:
                war = f"in dispute: {_p(r['p_war'])} [{_p(r['war_lo'])}–{_p(r['war_hi'])}] (MID {_p(r['p_war_ref'])})"
                war += _by_joining(r)
                if r["p_war_rival"] is not None:
                    war += f"; rivals {_p(r['p_war_rival'])}/yr" + (" **over ×2**" if r["war_over_rival"] else "")
            else:
                war = "at war or force at the start"
            w(f"| {r['dyad']} | {kind} | {r['start']} | {band} | {_p(r['p_force'])} [{_p(r['force_lo'])}–{_p(r['force_hi'])}] "
              f"| {r['where']} | {war} |")
        w("")
        off = [r for r in dy if r["where"] in ("above", "below")]
        rec = own_record(sc, [r["dyad"] for r in off]) if off else {}
        if rec:
            w("*Outside the band, against the dyad's own record* (new uses of force in the years both were states, "
              "GML MID, the 50 years before the data year and not before 1946 for a post-war scenario; Wilson 95%): "
              + "; ".join(f"{r['dyad']} ({r['where']}): model {_p(r['p_force'])}, record {v['force']} in {v['years']} "
                          f"years {v['first']}–{v['last']}, {_p(v['p'])} [{_p(v['lo'])}–{_p(v['hi'])}]"
                          for r in off if (v := rec.get(r["dyad"]))) + ".\n")
    w("**Summary.**\n")
    w("| scenario | dyads within ×2 | compatible | above | below | ongoing | peace pairs over 2% war (not by joining) "
      "| highest war share from peace, not by joining | pairs at war by joining (runs) "
      "| rivals in a dispute over ×2 the rivals' war rate |")
    w("|---|---:|---:|---:|---:|---:|---:|---|---|---|")
    for sid, q, c, over, wm, (rivals_in, rivals_over), _ in summary:
        hw = (f"{wm['dyad']} {_p(wm['p_war_direct'])} [{_p(wm['war_direct_lo'])}–{_p(wm['war_direct_hi'])}]"
              if wm else "—")
        joined = [r for r in q["dyads"] if r["peace_start"] and r["war_joined_runs"]]
        jw = ", ".join(f"{r['dyad']} {r['war_joined_runs']}" for r in joined) or "—"
        w(f"| {sid} | {c['within']} | {c['compatible']} | {c['above']} | {c['below']} | {c['ongoing']} "
          f"| {len(over)} of {q['peace_pairs']} | {hw} | {jw} "
          f"| {len(rivals_over)} of {len(rivals_in)}"
          + "".join(f"; {r['dyad']} {_p(r['p_war_direct'])} [{_p(r['war_direct_lo'])}–{_p(r['war_direct_hi'])}]"
                    for r in rivals_over) + " |")
    w("")


#: Short names of the measures of ``events_matter`` for the "changed on" column.
_MEASURE_NAMES = {"display": "new display", "force": "new use of force", "peak": "peak rung",
                  "mean": "time-averaged rung", "time_display": "time at display", "time_force": "time at use of force"}


def _moved(row: dict) -> str:
    """The measures whose interval excludes zero, each with the direction the events move it."""
    return ", ".join(f"{_MEASURE_NAMES.get(k, k)} {'↑' if row[k]['diff'] > 0 else '↓'}" for k in row["changed_on"]) or "—"


def _share_cell(x: dict) -> str:
    return f"{_p(x['baseline'])} / {_p(x['quiet'])}, {100 * x['diff']:+.1f} pts [{100 * x['lo']:+.1f}, {100 * x['hi']:+.1f}]"


def _rung_cell(x: dict) -> str:
    return f"{x['baseline']:.2f} / {x['quiet']:.2f}, {x['diff']:+.2f} [{x['lo']:+.2f}, {x['hi']:+.2f}]"


def section_events(w, runs: int, workers: int | None) -> dict:
    w("## 7. Events matter\n")
    w(f"Each bundled scenario as written against its quiet variant, over its own horizon, on the dyads its scheduled "
      f"events name (*hostile* when some event reads as conflict toward the dyad — Goldstein < 0 for its role, a "
      f"statement by its kind — else *cooperative*); the two run on the same {runs} seeds (common random numbers), so "
      "differences are paired. Six measures per dyad, each the scenario with events / the quiet variant, the "
      "difference and its 95% interval:\n")
    w("- **new display**, **new use of force**: the share of runs in which the dyad's rung newly reaches the first "
      "rung of that MID level from below (show of force, rung 4; use of force, rung 5); Newcombe's interval for "
      "paired proportions.\n"
      "- **mean peak rung**: the highest rung of a run, averaged over runs; paired bootstrap interval.\n"
      "- **time-averaged rung**: the dyad's rung averaged over the steps of the horizon (steps 1…H; the common start "
      "is left out), then over runs; paired bootstrap interval of the mean difference.\n"
      "- **time at display**, **time at use of force**: the share of the horizon's steps the dyad spends at rung 4 or "
      "above / at rung 5 or above, averaged over runs; paired bootstrap interval.\n")
    w("The first three cannot see what an event does to a dyad that already sits at or above the level in the quiet "
      "world: a missile test cannot raise a share of new displays that is already 100%, nor the peak of a dyad at war. "
      "The time-averaged measures can: an event that keeps a tense dyad longer at a high rung raises them, one that "
      "brings it down sooner lowers them. The onset measure can even read a de-escalation as more new displays (a "
      "dyad brought below display more often comes back to it more often: `tests/test_validation_harness.py::"
      "test_events_matter_sees_a_summit_bring_a_tense_dyad_down`). **changed**: some interval excludes zero; the "
      "column names those measures, ↑ when the events raise it and ↓ when they lower it. The six measures are "
      "correlated and each interval is at 95%, so where events do nothing the chance that some interval excludes "
      "zero is above 5% (at most 30%, six times 5%): a single change whose interval barely excludes zero is weak "
      "evidence.\n")
    w("Words weigh little where sanctions already bite: a condemnation (CAMEO 111, Goldstein −2, rung 1) toward a "
      "state under one's sanctions adds 0.2 to a hostility that the sanctions hold at 0.5 × their severity, and the "
      "excess fades in about three weeks; the dyad already sits at rung 3 or above. Alone, such statements hardly "
      "move a sanctioned rivalry (the founding scenario's condemnations of North Korea by the US and Japan; when a hostile "
      "dyad is not raised, the leave-one-out table below measures what each event does to it). What moved those "
      "dyads in June 2024 were shows of force, which the "
      "scenario codes with their sources: the US carrier in Busan (22 June), North Korea's missile launch into the "
      "Sea of Japan (26 June) and the trilateral Freedom Edge exercise (27–29 June).\n")
    out = {}
    for sc in scenarios():
        e = events_matter(sc, runs, 0, workers=workers, progress=_bar(f"events {sc.id}"))
        out[sc.id] = e
        time_level = f"time_{e['level']}"
        w(f"### {sc.id} ({e['runs']} paired runs, {e['horizon']} {e['step']}s)\n")
        w("| dyad | events toward it | new display: events / quiet, diff [95%] | new use of force: events / quiet, diff [95%] | mean peak rung: events / quiet, diff [95%] |")
        w("|---|---|---|---|---|")
        for r in e["dyads"]:
            w(f"| {r['dyad']} | {r['role']} | {_share_cell(r['display'])} | {_share_cell(r[e['level']])} | "
              f"{_rung_cell(r['peak'])} |")
        w("")
        w("| dyad | events toward it | time-averaged rung: events / quiet, diff [95%] | time at display: events / quiet, diff [95%] | time at use of force: events / quiet, diff [95%] | changed on |")
        w("|---|---|---|---|---|---|")
        for r in e["dyads"]:
            w(f"| {r['dyad']} | {r['role']} | {_rung_cell(r['mean'])} | {_share_cell(r['time_display'])} | "
              f"{_share_cell(r[time_level])} | {_moved(r)} |")
        hostile = [r for r in e["dyads"] if r["role"] == "hostile"]
        old = {"display", e["level"], "peak"}
        up = [r for r in hostile if any(r[k]["diff"] > 0 for k in r["changed_on"])]
        down_only = [r["dyad"] for r in hostile if r["changed"] and r not in up]
        time_only = [r["dyad"] for r in hostile if r["changed"] and not old & set(r["changed_on"])]
        unchanged = [r["dyad"] for r in hostile if not r["changed"]]
        w(f"\n{sum(r['changed'] for r in hostile)} of {len(hostile)} dyads with hostile events changed"
          + (f" ({len(up)} raised on some measure; lowered only: {', '.join(down_only)})" if down_only else "")
          + (f"; {len(time_only)} only on the time-averaged measures ({', '.join(time_only)})" if time_only else "")
          + (f"; unchanged: {', '.join(unchanged)}" if unchanged else "")
          + f". {sum(r['changed'] for r in e['dyads'] if r['role'] != 'hostile')} of {len(e['dyads']) - len(hostile)} "
          "with cooperative events only changed.\n")
        not_up = [r["dyad"] for r in hostile if r not in up]
        if not_up:
            section_contributions(w, sc, not_up, runs, workers)
    return out


def section_contributions(w, sc, dyads: list[str], runs: int, workers: int | None) -> None:
    """Leave one out, for the hostile dyads the events did not raise: what each event does to them."""
    c = event_contributions(sc, runs, 0, dyads=dyads, workers=workers, progress=_bar(f"leave one out {sc.id}"))
    w(f"**Leave one out** (hostile dyads not raised on any measure): the scenario as written against the scenario "
      f"without one event, for each event, on the same {c['runs']} seeds — the paired difference of the dyad's "
      "time-averaged rung (with the event − without) and its paired bootstrap 95% interval: what that event does "
      "given the others.\n")
    w("| dyad | events naming the dyad: effect [95%] | other events whose interval excludes zero |")
    w("|---|---|---|")
    kinds = {e["id"]: e for e in c["events"]}
    for d in dyads:
        own, other = [], []
        for x in c["effects"][d]:
            cell = f"{x['event']} ({kinds[x['event']]['type']}) {x['diff']:+.3f} [{x['lo']:+.3f}, {x['hi']:+.3f}]"
            if d in kinds[x["event"]]["names"]:
                own.append(cell)
            elif x["excludes_zero"]:
                other.append(cell)
        w(f"| {d} | {'; '.join(own) or '—'} | {'; '.join(other) or '—'} |")
    w("")


def section_threats(w) -> None:
    w("## 8. Friends and rivals: each state's top threat at the start\n")
    w("The threat each state perceives from each other in the model at step 0 (row of the threat matrix, seed 0). "
      "*ally*: a defence pledge in force at the start, as in the model (ATOP of the data year weighted by currency — dormant, ended, void or sanctioned-below-0.5 ties carry none — or the scenario's alliances; a tie the scenario ends is none); *rival*: a strategic rivalry "
      "of the data year (catalog, Thompson et al.) or the scenario's; *adversary*: at war, under sanctions or scripted "
      "tension, or the target of a hostile scheduled event in the scenario, or a militarized dispute begun between the "
      "two in the five years before the data year (GML MID, to 1989; years listed). The criterion: every top threat "
      "is a rival or an adversary, "
      "never a formal ally.\n")
    w("| scenario | state | top threat | threat | formal ally | rival (data) | adversary (scenario or MID) | verdict |")
    w("|---|---|---|---:|---|---|---|---|")
    tally = {}
    neither = []
    for sc in scenarios():
        kinds = None
        for r in top_threats(sc):
            tally[r["verdict"]] = tally.get(r["verdict"], 0) + 1
            if r["verdict"] == "neither":
                kinds = kinds or {frozenset(d["dyad"].split("–")): d for d in dyad_types(sc)}
                neither.append((sc.id, r["state"], r["top"], kinds[frozenset((r["state"], r["top"]))]))
            yn = {True: "yes", False: ""}
            w(f"| {sc.id} | {r['state']} | {r['top']} | {r['threat']:.2f} | {yn[r['ally']]} | {yn[r['rival']]} | "
              f"{yn[r['adversary']]}{' (MID ' + ', '.join(map(str, r['mid'])) + ')' if r['mid'] else ''} | "
              f"{r['verdict']} |")
    w("\nTotals: " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.items())) + ".\n")
    if neither:
        w("*Neither* is a top threat that no list names. " + " ".join(
            f"{sid}: {st}'s is {top} ({'land neighbours' if k['contiguous'] else 'not land neighbours'}"
            f"{', a major power' if k['major'] else ''}; no rivalry, pledge or recent dispute in the data or the "
            f"scenario){'. ' + _THREAT_NOTES[(sid, st, top)] if (sid, st, top) in _THREAT_NOTES else ''}."
            for sid, st, top, k in neither) + "\n")


#: What history says of a top threat no list names (cited; docs/bibliography.md). Walt (1987): proximity
#: and aggregate power can make a neighbour the greatest danger to a small state without a rivalry,
#: which needs both sides to see each other as competitors and enemies (Thompson 2001).
_THREAT_NOTES = {
    ("july-crisis-1914", "BEL", "GMY"): (
        "Walt's proximity and aggregate power make the great-power neighbour that could cross the country "
        "Belgium's greatest danger, and Belgium's own rearmament agreed: the army law of 1913 (general "
        "conscription, a wartime army planned at about 340,000) answered above all the danger of a German "
        "advance through the country (Strachan 2001). No rivalry list names the pair — "
        "Germany saw Belgium as a road, not a rival — so the scenario does not invent one; the criterion's "
        "purpose holds (Belgium's guarantor, Britain, is not its top threat)"),
}


def section_face(w, runs: int, record_runs: int, workers: int | None, events: dict | None) -> None:
    w("## 9. Face validity: the findings of the issue, re-measured\n")
    w(f"Each finding of the issue \"A credible model\" with the figure reported then and what the model says now "
      f"(ensembles of {runs} runs, records of {record_runs} runs, seed 0; Wilson 95% intervals).\n")
    w("| finding | reported | how it is measured now | now | runs |")
    w("|---|---|---|---|---:|")
    for f in face_validity(ROOT, runs, record_runs, 0, workers=workers, events=events):
        w(f"| {f.finding} | {f.before} | {f.measure} | {f.now} | {f.runs} |")
    w("")


def section_switch_off(w) -> None:
    w("## 10. Switching each submodel off\n")
    path = ROOT / "docs" / "validation-data" / "switch_off.json"
    if not path.exists():
        w("`docs/validation-data/switch_off.json` (written by `scripts/switch_off.py`) is not present: no table.\n")
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        w(f"`docs/validation-data/switch_off.json` could not be read ({exc}).\n")
        return
    data = data if isinstance(data, dict) else {}
    failed = data.get("failed", data)
    w("Each named submodel switched off in turn, and the pattern tests that then fail (`scripts/switch_off.py`: "
      "`tests/test_mechanisms.py`, `tests/test_credibility_mechanisms.py`, `tests/test_patterns.py` and the "
      "friends-and-rivals test). "
      "Every submodel must fail at least one test."
      + (" Each run stopped at its first failure (`--first`), so a count is at least 1, not the number of tests that fail."
         if data.get("first_failure_only") else "") + "\n")
    base = data.get("failing_with_everything_on") or []
    if base:
        w("Tests already failing with every submodel on (left out of the comparison): "
          + ", ".join(f"`{t.split('::')[-1]}`" for t in base) + ".\n")
    w("| submodel | failing tests | count |")
    w("|---|---|---:|")
    for name, tests in sorted(failed.items()):
        tests = list(tests or [])
        shown = ", ".join(f"`{t.split('::')[-1]}`" for t in tests[:6]) + (f" … (+{len(tests) - 6})" if len(tests) > 6 else "")
        w(f"| {name} | {shown or '**none**'} | {len(tests)} |")
    w("")
    effects = ROOT / "docs" / "validation-data" / "parameter_effects.md"
    if effects.exists():
        w("### No parameter without an effect\n")
        w("Written by `scripts/parameter_effects.py` (data: `docs/validation-data/parameter_effects.json`).\n")
        w(effects.read_text(encoding="utf-8"))


def credibility_sections(w, runs: int = 500, quiet_runs: int = 300, record_runs: int = 200,
                         workers: int | None = None, history=None) -> None:
    """Append sections 6–11 to the document being written by ``w``."""
    rivalry = None
    try:
        from sim.validation.history import rivalry_rates

        rivalry = rivalry_rates()
    except Exception:  # noqa: BLE001 — the rivalry table is optional
        rivalry = None
    events: dict = {}

    def guarded(title: str, fn) -> None:
        # a section that cannot be measured on this model says so in the document (the rest still runs)
        try:
            fn()
        except Exception as exc:  # noqa: BLE001
            w(f"_{title} could not be measured on this model: {type(exc).__name__}: {exc}_\n")

    guarded("Section 6 (quiet worlds)", lambda: section_quiet(w, quiet_runs, workers, rivalry))
    guarded("Section 7 (events matter)", lambda: events.update(section_events(w, runs, workers)))
    guarded("Section 8 (top threats)", lambda: section_threats(w))
    guarded("Section 9 (face validity)", lambda: section_face(w, runs, record_runs, workers, events.get("korea-russia-2024")))
    section_switch_off(w)
    if history is not None:
        guarded("Section 11 (scoring against history)", lambda: history(w))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=500)
    ap.add_argument("--quiet-runs", type=int, default=300)
    ap.add_argument("--record-runs", type=int, default=200)
    ap.add_argument("--workers", type=int, default=None)
    a = ap.parse_args()
    out: list[str] = []
    credibility_sections(out.append, a.runs, a.quiet_runs, a.record_runs, a.workers)
    print("\n".join(out))


if __name__ == "__main__":
    main()
