"""Run: one seeded run told as a story with a time slider, then an ensemble with fans, heatmap and downloads."""

import pandas as pd
import streamlit as st

from app_support import charts, glossary, library, state
from app_support.text import md
from app_support.views import ensemble_section, story_markdown

base = state.current_scenario()
sc = state.applied(base) if base is not None else None
if sc is not None:
    variant, seed = state.variant_name(), int(st.session_state[state.SEED])
    st.title(f"Run: {md(sc.title)}")
    st.caption(f"Variant **{md(variant)}** · seed **{seed}** · change them in the sidebar; the address bar keeps them.")
    terms = glossary.load()
    try:
        r = state.single_run(base, variant, seed)
    except Exception as exc:  # a user's error or a bug: shown, never a crash
        state.show_error(exc, "The scenario could not be run")
        r = None
    if r is not None:
        st.header("One run, told as a story")
        st.caption("Each line: what a state perceived, why, and how it answered. Underlined words link to the "
                   "glossary at the bottom of the page.")
        start = r.starting_point()
        if start:
            st.markdown("**Where it starts.** " + md(state.words("; ".join(start), sc)) + ".")
        story = [state.words(x, sc) for x in r.story(max_lines=40)]
        st.markdown(story_markdown(story[:10], terms))
        if len(story) > 10:
            with st.expander(f"The rest of the story ({len(story) - 10} more answers)"):
                st.markdown(story_markdown(story[10:], terms))
        dates = [sc.calendar.date_of(t).isoformat() for t in range(r.steps + 1)]

        @st.fragment
        def step_view() -> None:
            t = st.slider(f"{sc.calendar.step.capitalize()} of the run", 0, r.steps, 0, key="run_step",
                          help="Move through time: the network and the ladder follow.")
            st.caption(f"{sc.calendar.step.capitalize()} {t + 1}, starting {dates[t]}")
            left, right = st.columns(2)
            left.plotly_chart(charts.escalation_network(r.codes, r.names, r.level_hist[t],
                                                        f"Escalation on {dates[t]} (edge colour: rung band)"),
                              key="esc_net")
            top = [(r.codes.index(p["a"]), r.codes.index(p["b"])) for p in r.peak_table(top=6)]
            right.plotly_chart(charts.ladder(dates, r.level_hist, r.codes, top, step=t,
                                             title="Escalation ladder of the dyads that climbed highest"), key="ladder")
            lines = r.narrative(explain=True, steps=(t, t))
            with st.expander(f"Everything that happened in this {sc.calendar.step} ({max(len(lines) - 1, 0)} records)"):
                st.markdown("\n".join(f"- {md(state.words(x.strip().removeprefix('- '), sc))}" for x in lines[1:])
                            or "Nothing happened.")

        step_view()
        peaks = r.peak_table(top=10)
        if peaks:
            # Besides telling who climbed highest, this table makes the browser load its data-grid
            # code while the user reads the story: the ensemble's outcome table then draws at once
            # (measured: 0.3–0.5 s less from click to charts than when it had to load after the click).
            st.subheader("The pairs of states that climbed highest in this run")

            def when(step: int | None) -> str:
                return "–" if step is None else sc.calendar.date_of(step).isoformat()

            st.dataframe(pd.DataFrame([{
                "pair": p["dyad"], "rung at the start": p.get("start"), "highest rung": f"{p['peak']} {p['peak_label']}",
                "rung at the end": p["final"], "first violence": when(p.get("first_violence_step")),
                "first war": when(p.get("first_war_step")), "first nuclear use": when(p.get("first_nuclear_step")),
            } for p in peaks]), hide_index=True, key="peaks")
        st.download_button("Download this run's event log (CSV)", data=lambda: r.events_frame().to_csv(index=False),
                           file_name=f"{sc.id}-{variant}-seed{seed}-events.csv", mime="text/csv")

    st.header("Many runs: the distribution of outcomes")
    ensemble_section(base, variant, seed, int(st.session_state[state.RUNS]),
                     top_dyads=[p["dyad"] for p in (r.peak_table(top=3) if r is not None else [])])
    st.download_button("Download the scenario (YAML)", data=library.to_yaml(base), file_name=f"{base.id}.yaml",
                       mime="application/x-yaml", help="Runs unchanged with `flashpoint run FILE --variant NAME`.")

    used = glossary.terms_in(" ".join(r.story(max_lines=40)) if r is not None else "", terms)
    if used:
        st.header("Concepts used on this page")
        for t in used:
            st.subheader(t.name, anchor=t.anchor)
            st.markdown(t.definition)
