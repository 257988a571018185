"""Support code for the Streamlit app (``app.py`` and ``app_pages/``); not part of the library.

The pure modules hold no Streamlit code and are tested directly: :mod:`app_support.library`
(bundled scenarios, safe uploads, YAML export), :mod:`app_support.charts` (plotly figures),
:mod:`app_support.whatif` (turning the builder's choices into a :class:`~sim.scenario.schema.Variant`),
:mod:`app_support.glossary` (the IR glossary and links to it). Two modules use Streamlit:
:mod:`app_support.state` (per-session state, the URL, cached calls, progress with cancellation) and
:mod:`app_support.views` (page sections shared by several pages).
Everything the app computes goes through the public ``sim`` API, exactly as the CLI does.
"""

__all__ = ["charts", "glossary", "library", "state", "views", "whatif"]
