"""Classroom: briefing, objectives and questions beside the results; predict, then run; the glossary."""

import streamlit as st

from app_support import builder, glossary, handout, state, views
from app_support.plainwords import plain_dyad
from app_support.text import md, paragraphs
from sim.scales import BANDS as LADDER_BANDS

#: The bands a prediction can be about, by their words (``use of force (rung ≥5)`` …) → stored key.
BANDS = {b.words: b.key for b in LADDER_BANDS}

base = state.current_scenario()
terms = glossary.load()
if base is not None:
    variant, seed, runs = state.variant_name(), int(st.session_state[state.SEED]), int(st.session_state[state.RUNS])
    b = base.briefing
    st.title(f"Classroom: {md(base.title)}")
    left, right = st.columns([2, 3])
    with left:
        if b.question:
            st.info(f"**The question.** {md(b.question)}")
        with st.expander("Briefing", expanded=False):
            st.markdown(paragraphs(b.summary))
        st.subheader("Learning objectives")
        st.markdown("\n".join(f"1. {glossary.link_terms(md(o), terms)}" for o in b.learning_objectives) or "_None given._")
        st.subheader("Discussion questions")
        st.markdown("\n".join(f"1. {glossary.link_terms(md(q), terms)}" for q in b.discussion_questions) or "_None given._")
    with right:
        st.subheader("Predict, then run")
        st.write(f"Before you look: in how many of {runs} runs of **{variant}** will the chosen pair of states "
                 "reach the chosen rung at least once?")
        pairs = [f"{a}–{c}" for i, a in enumerate(base.codes) for c in base.codes[i + 1:]]
        rivals = [f"{a}–{c}" if base.codes.index(a) < base.codes.index(c) else f"{c}–{a}"
                  for a, c in base.relations.rivalries]
        first = pairs.index(rivals[0]) if rivals and rivals[0] in pairs else 0
        with st.form("predict"):
            names = builder.state_names(base)
            dyad = st.selectbox("Pair of states (the first rivalry is preselected)", pairs, index=first, key="pr_dyad",
                                format_func=lambda d: d if state.details() else plain_dyad(d, names))
            band = st.selectbox("Reaches", list(BANDS), key="pr_band", index=list(BANDS.values()).index("violence"),
                                help="The bands of the ladder are the hostility levels of the Militarized Interstate "
                                     "Dispute data: threat, display and use of force, war; and nuclear use.")
            guess = st.slider("My prediction (% of runs)", 0, 100, 30, key="pr_guess")
            why = st.text_area("Why? (one or two sentences, for the discussion)", key="pr_why", max_chars=1000)
            locked = st.form_submit_button("Lock in my prediction and run", type="primary")
        if locked:
            st.session_state["fp_prediction"] = {"dyad": dyad, "band": band, "guess": guess, "why": why,
                                                 "variant": variant, "key": (base.id, seed, runs)}
        pred = st.session_state.get("fp_prediction")
        # the result stays for the variant it was predicted for, even when another variant is chosen since
        if pred and pred["band"] in BANDS and pred["key"] == (base.id, seed, runs) and pred.get("variant", variant) in ["baseline", *base.variant_names()]:
            pv = pred.get("variant", variant)
            if pv != variant:
                st.info(md(f"This result is for “{pv}”, the variant you predicted for; you have since chosen “{variant}”. "
                           "Lock in a new prediction to run that one."))
            res = state.ensemble_or_error(base, pv, seed, runs)
            if res is not None:
                row = views.outcome_row(res, BANDS[pred["band"]], pred["dyad"])
                if row is None:
                    st.warning("This outcome is not in the ensemble's table.")
                else:
                    est, lo, hi = row
                    c1, c2 = st.columns(2)
                    c1.metric("Your prediction", f"{pred['guess']} %")
                    c2.metric("The model (95 % interval)", f"{est:.0%}", help=f"{lo:.1%} – {hi:.1%}")
                    inside = lo <= pred["guess"] / 100 <= hi
                    st.markdown(f"The model gives **{est:.1%}** ({lo:.1%} – {hi:.1%}) for {pred['dyad']} reaching "
                                f"{pred['band']}. Your {pred['guess']} % is "
                                + ("**inside** that interval." if inside else "**outside** that interval.")
                                + (f" You wrote: “{md(pred['why'])}”" if pred["why"] else ""))
                    views.level_fan(res, pred["dyad"])
                    st.caption("Two different questions: the figure above counts the runs in which the pair reached "
                               "the rung **at least once**, at any time. The fan chart shows, **week by week**, the "
                               "rung the pair is at: its median and the middle 50 % and 90 % of runs. A pair can reach "
                               "a use of force in many runs (each briefly, at different times) while the fan's median stays "
                               "low all along — the two agree.")
if base is not None:
    st.header("Printable handout")
    st.write("The briefing, the objectives, the questions (with room to answer) and the current results with their "
             "intervals, on one or two printed pages. Open the file in the browser and print it, or save it as PDF.")
    hkey = (base.id, variant, seed, runs)
    if st.button(f"Make the handout ({runs} runs of {variant})", key="handout_make"):
        st.session_state["fp_handout"] = hkey
    if st.session_state.get("fp_handout") == hkey:
        hres = state.ensemble_or_error(base, variant, seed, runs)
        if hres is not None:
            from urllib.parse import urlencode

            page = handout.handout_html(base.with_variant(variant), variant, seed, runs, hres.outcomes,
                                        builder.state_names(base), "?" + urlencode(state.share_query()))
            st.download_button("Download the handout (HTML, print it)", data=page, mime="text/html",
                               file_name=f"{base.id}-{variant}-handout.html", key="handout_download", type="primary")
st.header("Glossary")
st.caption("The IR concepts the model uses. Terms in the stories, objectives and questions link here.")
for t in terms:
    st.subheader(t.name, anchor=t.anchor)
    st.markdown(t.definition)
