"""What-if & Compare: build your own variant without writing YAML, then compare up to three with the baseline."""

import streamlit as st

from app_support import builder, library, state, views, whatif
from app_support.text import md
from app_support.whatif import ACTOR_FIELDS, WhatIf
from sim.errors import FlashpointError
from sim.scenario.parameters import parameter_table
from sim.scenario.schema import DOCTRINES, MODIFIERS

base = state.current_scenario(with_whatifs=False)
if base is not None:
    k = library.scenario_key(base)
    st.title(f"What-if builder: {md(base.title)}")
    st.write("Change the scenario the way an analyst would ask “what if…?”, save it, and compare it with the "
             "baseline and the file's own variants on the same seeds.")
    ids = [base.event_id(i) for i in range(len(base.events))]
    labels = {base.event_id(i): whatif.event_label(base, i) for i in range(len(base.events))}
    with st.container(border=True):
        c1, c2 = st.columns(2)
        name = c1.text_input("Name of the what-if", "my-what-if", key=f"wi_name_{k}", max_chars=64,
                             help="Lower-case letters, digits, - and _; used as the variant name in the YAML.")
        title = c2.text_input("Title", "", key=f"wi_title_{k}", max_chars=200)
        tab_add, tab_change, tab_states, tab_sanctions, tab_move, tab_lens = st.tabs(
            ["Add an event", "Change an event", "States and alliances", "Sanctions", "Leave out or move events",
             "Lens, traits and parameters"])
        with tab_add:
            builder.event_form(base, k)
        with tab_change:
            builder.change_form(base, k)
        with tab_states:
            builder.states_form(base, k)
        with tab_sanctions:
            builder.sanctions_form(base, k)
        with tab_move:
            c1, c2, c3 = st.columns([2, 2, 1])
            remove = c1.multiselect("Leave these events out", ids, format_func=labels.get, key=f"wi_remove_{k}")
            move = c2.multiselect("Move these events", ids, format_func=labels.get, key=f"wi_move_{k}")
            shift = c3.number_input(f"…by ({base.calendar.step}s; negative = earlier)", -base.calendar.horizon,
                                    base.calendar.horizon, 0, key=f"wi_shift_{k}")
        with tab_lens:
            st.markdown("**States**")
            lens = st.selectbox("Theory lens for every state", ["(each state's own doctrine)", *DOCTRINES], key=f"wi_lens_{k}")
            who = st.multiselect("States to change", base.codes, key=f"wi_actors_{k}")
            actors = {}
            try:
                infos = {a.code: a for a in state.world(base).actors}
            except Exception:  # the table shows defaults
                infos = {}
            for code in who:
                a = next(x for x in base.actors if x.code == code)
                info = infos.get(code)
                cols = st.columns([1, 2, 3, 2, 2, 2])
                cols[0].markdown(f"**{code}**")
                doc = cols[1].selectbox("doctrine", DOCTRINES, index=DOCTRINES.index(a.doctrine), key=f"wi_doc_{k}_{code}")
                mods = cols[2].multiselect("modifiers", MODIFIERS, default=list(a.modifiers), key=f"wi_mod_{k}_{code}")
                ch = {"doctrine": doc, "modifiers": mods}
                for col, (fld, label) in zip(cols[3:], ACTOR_FIELDS.items(), strict=True):
                    cur = float(getattr(info, fld)) if info is not None else 0.5
                    val = col.number_input(label, 0.0, 1.0, round(cur, 4), step=0.01, format="%.4f", key=f"wi_{fld}_{k}_{code}")
                    if abs(val - round(cur, 4)) > 1e-9:
                        ch[fld] = val
                actors[code] = ch
            st.markdown("**Model parameters**")
            table = {r["path"]: r for r in parameter_table()}
            paths = st.multiselect("Parameters to change", list(table), key=f"wi_params_{k}",
                                   format_func=lambda p: f"{p} — {table[p]['description'][:70]}")
            params = {}
            for p in paths:
                r = table[p]
                cur = float(whatif.parameter_value(base, p))
                params[p] = st.number_input(f"{p} ({r['min']} … {r['max']}; now {cur:g}; source: {r['source']})",
                                            float(r["min"]), float(r["max"]), cur, key=f"wi_param_{k}_{p}")
        builder.draft_section(base, k)
        if st.button("Save this what-if", type="primary", key="wi_save"):
            d = builder.draft(k)
            w = WhatIf(name=name, title=title, remove=remove, move=move, shift_steps=int(shift), actors=actors,
                       lens=None if lens.startswith("(") else lens, parameters=params, add_events=list(d["add_events"]),
                       change=list(d["change"]), add_actors=list(d["add_actors"]), alliances=list(d["alliances"]),
                       remove_actors=list(d["remove_actors"]))
            try:
                v = whatif.make_variant(base, w)
                whatif.add_variants(base, [*[x for x in state.whatifs(base) if x.name != v.name], v])
            except FlashpointError as exc:
                state.show_error(exc, "This what-if is not valid")
            else:
                state.save_whatif(base, v)
                st.session_state["fp_saved_msg"] = f"Saved “{v.name}”: " + " ".join(whatif.describe(v))
                st.session_state[state.PENDING_VARIANT] = v.name  # the current variant: the address bar carries it
                st.session_state[f"wi_draft_{k}"] = {kind: [] for kind in builder.EMPTY}
                st.session_state[f"cmp_{k}"] = [v.name]  # ready to compare with the baseline
                st.rerun()
        if "fp_saved_msg" in st.session_state:
            st.success(md(st.session_state.pop("fp_saved_msg")) + " It is now the current variant: the address bar "
                       "holds it, so the link opens this what-if in any browser.")

    mine = state.whatifs(base)
    if mine:
        st.subheader("Your what-ifs (this browser session)")
        for v in mine:
            c1, c2 = st.columns([6, 1])
            c1.markdown(f"**{md(v.name)}** {('— ' + md(v.title)) if v.title else ''}: " + md(" ".join(whatif.describe(v))))
            c2.button("Delete", key=f"wi_del_{v.name}", on_click=state.delete_whatif, args=(base, v.name))
        try:
            combined = state.scenario_with_whatifs(base)
            st.download_button("Download the scenario with your what-ifs (YAML)", key="wi_download",
                               data=library.to_yaml(combined, "Flashpoint scenario with what-ifs made in the app.\n"
                                                    "Run one: flashpoint run FILE --variant " + mine[-1].name),
                               file_name=f"{base.id}-what-ifs.yaml", mime="application/x-yaml")
        except FlashpointError as exc:
            state.show_error(exc)

    st.header("Compare with the baseline")
    try:
        combined = state.scenario_with_whatifs(base)
    except FlashpointError as exc:
        state.show_error(exc)
        combined = base
    options = combined.variant_names()
    pre = [st.session_state[state.VARIANT]] if st.session_state.get(state.VARIANT) in options else []
    chosen = st.multiselect("Variants to compare (up to three)", options, default=pre, max_selections=3, key=f"cmp_{k}",
                            format_func=lambda n: n + (" (yours)" if n in {v.name for v in mine} else ""))
    runs, seed = int(st.session_state[state.RUNS]), int(st.session_state[state.SEED])
    ckey = (library.scenario_key(combined), tuple(chosen), seed, runs)
    if st.button(f"Compare ({runs} runs each, common seeds)", type="primary", key="cmp_run", disabled=not chosen):
        st.session_state["fp_cmp_shown"] = ckey
    if chosen and st.session_state.get("fp_cmp_shown") == ckey:
        views.comparison_section(combined, chosen, seed, runs)
