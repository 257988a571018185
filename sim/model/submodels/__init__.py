"""The submodels of one step, one module each, named as the headings of docs/model.md §3 and §7.

``CrisisModel.step()`` calls them in this order: :mod:`events`, :mod:`threat`, :mod:`beliefs`,
:mod:`decide`, :mod:`act`, :mod:`support`, :mod:`bargain`, :mod:`ladder`, :mod:`arms`,
:mod:`record`. Each function takes the model and updates its world in place, for all
replications and dyads at once.
"""

__all__ = ["act", "arms", "bargain", "beliefs", "decide", "events", "ladder", "record", "support", "threat"]
