"""Scenario: the briefing and its sources, the actors and their data, the network, the map, the timeline."""

import pandas as pd
import streamlit as st

from app_support import charts, state
from app_support.text import md, paragraphs, source_line

base = state.current_scenario()
sc = state.applied(base) if base is not None else None
if sc is not None:
    st.title(md(sc.title))
    if sc.variant:
        v = next(x for x in base.variants if x.name == sc.variant)
        st.warning(f"Showing the variant **{md(v.name)}** — {md(v.title)}. Choose “baseline” in the sidebar for the file as written.")
    b = sc.briefing
    st.caption(md(f"{b.period or ''} · starts {sc.calendar.start} · {sc.calendar.horizon} {sc.calendar.step}s · "
                  f"catalog year {sc.data_year}" + (f" · lens: {sc.lens}" if sc.lens else "")))
    if b.question:
        st.info(f"**The question.** {md(b.question)}")
    with st.expander("Briefing", expanded=True):
        st.markdown(paragraphs(b.summary))
    if b.sources:
        st.subheader("Sources")
        st.markdown("\n".join("- " + source_line(s.title, s.url, s.note) for s in b.sources))
    try:
        w = state.world(sc)
    except Exception as exc:  # a user's error or a bug: shown, never a crash
        state.show_error(exc, "The actors could not be resolved against the catalog")
        w = None
    if w is not None:
        st.subheader("The actors")
        n = len(w.codes)
        rows = []
        for i, a in enumerate(w.actors):
            allies = [f"{w.codes[j]} ({w.pledge[i, j]:.1f})" if w.pledge[i, j] > 0 else w.codes[j]
                      for j in range(n) if j != i and w.align[i, j] > 0]
            over = sorted(sc.actors[i].overrides.model_dump(exclude_none=True))
            missing = sorted(k for k in a.provenance if a.missing(k))
            src = next((v for v in a.provenance.values() if v.startswith("catalog")), "")
            rows.append({
                "code": a.code, "state": a.name, "doctrine": " + ".join([a.doctrine, *a.modifiers]),
                "capability (CINC share)": a.cinc, "military spending (US$ bn)": a.display("milex", "{:.1f}", 1e-6),
                "democracy (polyarchy 0–1)": a.display("polyarchy"), "UN ideal point": a.display("ideal_point", "{:+.2f}"),
                "major power": a.major_power, "nuclear": a.nuclear, "resolve (0–1)": a.resolve,
                "allies (defence pledge)": ", ".join(allies),
                "rivals": ", ".join(w.codes[j] for j in range(n) if w.rival[i, j]),
                "sanctions on (severity)": ", ".join(f"{w.codes[j]} ({w.sanctions[i, j]:.1f})"
                                                     for j in range(n) if w.sanctions[i, j] > 0),
                "where from": (src + ("; overridden: " + ", ".join(over) if over else "")
                               + ("; missing in the catalog: " + ", ".join(missing) if missing else "")),
            })
        st.dataframe(pd.DataFrame(rows), hide_index=True, column_config={
            "capability (CINC share)": st.column_config.NumberColumn(format="%.4f"),
        })
        st.caption("Figures come from the shipped catalog for the scenario's data year (COW capabilities, V-Dem, "
                   "UN votes, ATOP alliances, strategic rivalries — see the About page); sanctions in force and "
                   "“overridden” fields are set in the scenario file. “n/a (imputed: …)”: the catalog has no "
                   "figure; the model uses the imputed one. “n/a (no data; …)”: no figure at all (a UN ideal "
                   "point before 1946); the model says what it does instead (rules in docs/data.md).")
        if w.ties:
            st.subheader("Alliance ties at the start")
            st.dataframe(pd.DataFrame([{
                "pair": f"{t.a}–{t.b}", "tie": t.kind, "source": t.source, "since": t.since or None,
                "status": t.status, "currency weight": round(t.weight, 2),
                "defence pledge": round(float(w.pledge[w.index(t.a), w.index(t.b)]), 2), "why": t.note,
            } for t in w.ties]), hide_index=True)
            st.caption("ATOP ties are weighted by how current they are: dormant (old and not visibly kept up, or "
                       "under the scenario's sanctions: a tie keeps 1 − severity of its weight), "
                       "ended or void (at war) ties count for little or nothing. The rule is in docs/data.md; a "
                       "scenario can end or set a tie under relations.alliances.")
        left, right = st.columns(2)
        with left:
            st.plotly_chart(charts.alliance_network(w), key="network")
            st.caption("Blue: alliances (thick: defence pact); dashed red: rivalries. Node size: capability (CINC); "
                       "colour: doctrine (realist red, liberal blue, constructivist green).")
        with right:
            st.plotly_chart(charts.actor_map(w), config=charts.GEO_CONFIG, key="map")
            st.caption("Capitals from the catalog; the map is drawn from a copy of Natural Earth served by the app.")
    st.subheader("Timeline of scheduled events")
    st.plotly_chart(charts.timeline(sc), key="timeline")
    ev = [{"id": sc.event_id(k), "date": str(e.date or sc.calendar.date_of(e.step)), "type": e.type,
           "actor": e.actor, "with": ", ".join([*e.targets_of(), *e.partners_of(), *e.near_of(),
                                                  *getattr(e, "parties", ())]),
           "description": e.description} for k, e in enumerate(sc.events)]
    st.dataframe(pd.DataFrame(ev), hide_index=True)
    if base.variants:
        st.subheader("Named what-ifs (the file's, then yours from this session)")
        for v in base.variants:
            st.markdown(f"- **{md(v.name)}** — {md(v.title)}: {md(v.description)}")
