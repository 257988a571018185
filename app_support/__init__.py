"""Support code for the Streamlit app (``app.py`` and ``app_pages/``); not part of the library.

The pure modules hold no Streamlit code and are tested directly: :mod:`app_support.library`
(bundled scenarios, safe uploads, YAML export), :mod:`app_support.charts` (plotly figures),
:mod:`app_support.whatif` (turning the builder's tables into a :class:`~sim.scenario.schema.Variant`),
:mod:`app_support.glossary` (the IR glossary and links to it). :mod:`app_support.state` is the one
Streamlit module: per-session state, the URL, cached calls and progress with cancellation.
Everything the app computes goes through the public ``sim`` API, exactly as the CLI does.
"""

__all__ = ["charts", "glossary", "library", "state", "whatif"]
