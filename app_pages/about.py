"""About: the model (docs/model.md) and the data sources with their citations."""

import pandas as pd
import streamlit as st

from app_support import glossary, library
from sim.catalog import load_catalog
from sim.scenario.parameters import parameter_table

st.title("About Flashpoint")
st.write("Flashpoint is an agent-based model (Mesa) of interstate crises: states perceive threats, choose among "
         "answers according to a theory lens, and climb or descend an escalation ladder. It is a teaching and "
         "exploration tool, not a forecast.")
tab_model, tab_data, tab_params = st.tabs(["The model", "Data sources", "Parameters"])
with tab_model:
    model_md = library.ROOT / "docs" / "model.md"
    try:
        st.markdown(glossary.local_links(model_md.read_text("utf-8")))
    except OSError:
        st.info("The model description (docs/model.md) is not in this copy of Flashpoint yet.")
with tab_data:
    try:
        sources = load_catalog().sources
    except Exception as exc:  # noqa: BLE001 — the page must render without the catalog
        sources = []
        st.warning(f"The catalog's source list could not be read: {exc}")
    for s in sources:
        st.markdown(f"**{s.get('title', s.get('id', ''))}**" + (f" — [{s['url']}]({s['url']})" if s.get("url") else ""))
        st.markdown(f"> {s.get('citation', '')}")
        extra = " · ".join(x for x in (f"Used for: {s['used_for']}" if s.get("used_for") else "",
                                       f"Terms: {s['terms']}" if s.get("terms") else "") if x)
        if extra:
            st.caption(extra)
    st.caption("docs/data.md explains how the catalog is built and its caveats.")
with tab_params:
    st.write("Every parameter of the model, its default, its range and the work it stands on.")
    st.dataframe(pd.DataFrame(parameter_table())[["path", "default", "min", "max", "description", "source"]],
                 hide_index=True)
