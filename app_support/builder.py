"""The what-if builder's forms (Streamlit): add or change events, add states, alliances, sanctions.

Each form is generated from the scenario language's models (:mod:`app_support.eventform`) and each
answer is checked by the loader's own validation (:func:`app_support.whatif.check_event`) before it
joins the draft; problems are shown under the form field they concern. The draft (a dict kept in
``st.session_state`` per scenario) becomes part of the :class:`~app_support.whatif.WhatIf` saved
by the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from app_support import eventform, whatif
from app_support.text import md
from sim.scenario.events import EVENT_TYPES
from sim.scenario.schema import DOCTRINES, Scenario

__all__ = ["draft", "state_names", "draft_section", "event_form", "change_form", "states_form", "sanctions_form",
           "EMPTY"]

EMPTY = {"add_events": [], "change": [], "add_actors": [], "alliances": [], "remove_actors": []}


@st.cache_data(show_spinner=False, max_entries=16)
def _catalog_names(year: int) -> dict[str, str]:
    from sim.catalog import load_catalog

    cat = load_catalog()
    out = {}
    for code in cat.codes(year):
        try:
            out[code] = cat.state(code, year).name
        except Exception:  # noqa: BLE001 — a code without a name keeps its code
            out[code] = code
    return out


def state_names(scenario: Scenario) -> dict[str, str]:
    """Every catalog state of the scenario's data year: code → name (the scenario's own names win)."""
    names = dict(_catalog_names(int(scenario.data_year)))
    for a in scenario.actors:
        if a.overrides.name:
            names[a.code] = a.overrides.name
        names.setdefault(a.code, a.code)
    return names


def draft(key: str) -> dict[str, list[dict[str, Any]]]:
    """The draft of additions for the scenario with cache key ``key`` (kept in the session)."""
    d = st.session_state.setdefault(f"wi_draft_{key}", {k: [] for k in EMPTY})
    for k in EMPTY:  # a draft from before a kind was added
        d.setdefault(k, [])
    return d


def _codes(base: Scenario, d: dict) -> list[str]:
    """The states a form may name: the scenario's (less those removed) and the draft's added ones."""
    gone = set(d["remove_actors"])
    return [*(c for c in base.codes if c not in gone), *(a["code"] for a in d["add_actors"])]


def _label(names: dict[str, str]):
    return lambda code: f"{names.get(code, code)} ({code})"


def _errors(slots: dict[str, Any], errs: dict[str, list[str]], general) -> None:
    for fld, msgs in errs.items():
        (slots.get(fld) or general).error(f"**{md(fld or 'event')}**: " + "; ".join(md(m) for m in msgs))


def _next_id(base: Scenario, d: dict) -> str:
    """``added-N``: an id no event of the scenario or the draft has."""
    ids = {base.event_id(i) for i in range(len(base.events))} | {e.get("id") for e in d["add_events"]}
    n = len(d["add_events"]) + 1
    while f"added-{n}" in ids:
        n += 1
    return f"added-{n}"


def _add_checked(base: Scenario, d: dict, data: dict, slots: dict, general, what: str) -> None:
    """Check ``data`` with the loader's validation; add it to the draft, or show each problem under its field."""
    errs = whatif.check_event(base, data, d["add_actors"], d["remove_actors"])
    if errs:
        _errors(slots, errs, general)
    else:
        d["add_events"].append(data)
        st.success(f"Added: {md(what)}. Save the what-if below.")


def _widget(f: eventform.FieldSpec, codes: list[str], label, key: str, current: Any = None) -> Any:
    value = f.default if current is None else current
    text = f.label + (" (required)" if f.required or f.min_items else "")
    if f.kind == "states":
        return st.multiselect(text, codes, default=[c for c in (value or []) if c in codes], format_func=label,
                              key=key, help=f.help)
    if f.kind == "choice":
        idx = f.choices.index(value) if value in f.choices else 0
        return st.selectbox(text, f.choices, index=idx, key=key, help=f.help)
    if f.kind == "bool":
        return st.checkbox(text, value=bool(value), key=key, help=f.help)
    if f.kind == "integer":
        return int(st.number_input(text, value=int(value if value is not None else f.minimum or 0), step=1, key=key,
                                   help=f.help))
    if f.kind == "number":
        hint = f" ({'>' if f.exclusive_min else ''}{f.minimum:g} … {f.maximum:g})" if f.minimum is not None and f.maximum is not None else ""
        return float(st.number_input(text + hint, value=float(value if value is not None else 0.0), step=0.05,
                                     format="%.3f", key=key, help=f.help))
    if f.kind == "date":
        on = st.checkbox(f"set {f.label}", value=value is not None, key=key + "_on", help=f.help)
        return st.date_input(text, value=value, key=key) if on else None
    return None


def event_form(base: Scenario, k: str) -> None:
    """Add any event type: who acts, on whom, when, and the type's own fields."""
    d = draft(k)
    names = state_names(base)
    codes = _codes(base, d)
    label = _label(names)
    cal = base.calendar
    last = cal.end - dt.timedelta(days=1)
    tp = st.selectbox("Type of event", EVENT_TYPES, format_func=eventform.type_title, key=f"ev_type_{k}",
                      help="Every event type of the scenario language (docs/scenario-format.md).")
    with st.form(f"ev_form_{k}_{tp}", border=False):
        c1, c2 = st.columns(2)
        actor = c1.selectbox("Who acts", codes, format_func=label, key=f"ev_actor_{k}_{tp}")
        slots = {"actor": c1.empty()}
        when = c2.date_input(f"Date ({cal.start} … {last})", value=cal.start, min_value=cal.start, max_value=last,
                             key=f"ev_date_{k}_{tp}")
        slots["date"] = c2.empty()
        values = {}
        for f in eventform.fields_of(tp):
            values[f.name] = _widget(f, codes, label, f"ev_{f.name}_{k}_{tp}")
            slots[f.name] = st.empty()
        desc = st.text_input("What happens, in a sentence (optional)", key=f"ev_desc_{k}_{tp}", max_chars=300)
        general = st.empty()
        add = st.form_submit_button("Add this event to the what-if", type="primary")
    if add:
        data = eventform.event_data(tp, actor, when, values, event_id=_next_id(base, d), description=desc)
        _add_checked(base, d, data, slots, general, f"{eventform.type_title(tp)} by {names.get(actor, actor)}")


def change_form(base: Scenario, k: str) -> None:
    """Change an existing event: its date, its strength or size, its participants."""
    if not base.events:
        st.caption("This scenario has no scheduled events.")
        return
    d = draft(k)
    names = state_names(base)
    label = _label(names)
    codes = _codes(base, d)
    ids = [base.event_id(i) for i in range(len(base.events))]
    eid = st.selectbox("Event to change", ids, key=f"ch_id_{k}",
                       format_func=lambda e: whatif.event_label(base, ids.index(e)))
    ev = base.events[ids.index(eid)]
    cal = base.calendar
    with st.form(f"ch_form_{k}_{eid}", border=False):
        cur_date = ev.date or cal.date_of(ev.step)
        new_date = st.date_input("Date", value=cur_date, min_value=cal.start, max_value=cal.end - dt.timedelta(days=1),
                                 key=f"ch_date_{k}_{eid}")
        slots = {"date": st.empty()}
        values = {}
        for f in eventform.fields_of(ev.type):
            cur = getattr(ev, f.name)
            values[f.name] = _widget(f, codes, label, f"ch_{f.name}_{k}_{eid}", list(cur) if f.kind == "states" else cur)
            slots[f.name] = st.empty()
        general = st.empty()
        go = st.form_submit_button("Add this change to the what-if", type="primary")
    if go:
        sets = {}
        for f in eventform.fields_of(ev.type):
            cur = getattr(ev, f.name)
            new = values[f.name]
            if f.kind == "states":
                new, cur = list(new or []), list(cur or [])
            if new != cur:
                sets[f.name] = new
        change: dict[str, Any] = {"id": eid, "set": sets}
        if new_date != cur_date:
            change["date"] = new_date
        if not sets and "date" not in change:
            general.info("Nothing was changed.")
            return
        w = whatif.WhatIf(name="checking-this-change", change=[change], add_actors=d["add_actors"],
                          remove_actors=d["remove_actors"])
        try:
            whatif.add_variants(base, [whatif.make_variant(base, w)])
        except Exception as exc:  # noqa: BLE001 — located issues below; anything else as a message
            from sim.errors import ScenarioError

            if isinstance(exc, ScenarioError):
                errs: dict[str, list[str]] = {}
                for i in exc.issues:
                    errs.setdefault(eventform.field_of_issue(i.path, ev.type), []).append(i.message)
                _errors(slots, errs, general)
            else:
                general.error(md(f"This change is not valid: {exc}"))
            return
        d["change"] = [c for c in d["change"] if c["id"] != eid] + [change]
        st.success(f"Added a change to {md(eid)}. Save the what-if below.")


def states_form(base: Scenario, k: str) -> None:
    """Add a state from the catalog (picked by name); add or end an alliance."""
    d = draft(k)
    names = state_names(base)
    label = _label(names)
    have = {*base.codes, *(a["code"] for a in d["add_actors"])}
    c1, c2, c3 = st.columns([3, 2, 1])
    pick = c1.selectbox("Add a state from the catalog", [c for c in sorted(names, key=names.get) if c not in have],
                        format_func=label, key=f"st_add_{k}", index=None, placeholder="type a state's name…")
    doc = c2.selectbox("its doctrine", DOCTRINES, key=f"st_doc_{k}")
    if c3.button("Add state", key=f"st_add_btn_{k}", disabled=pick is None):
        d["add_actors"].append({"code": pick, "doctrine": doc})
        st.rerun()
    left = [c for c in base.codes if c not in d["remove_actors"]]
    c1, c2 = st.columns([5, 1])
    gone = c1.selectbox("Remove a state of the scenario", left if len(left) > 2 else [], format_func=label,
                        key=f"st_rm_{k}", index=None, placeholder="type a state's name…",
                        help="The state leaves the scenario with every event it performs and every tie naming it; "
                             "events naming it among others lose it from their list (docs/scenario-format.md). "
                             "A scenario keeps at least two states.")
    if c2.button("Remove state", key=f"st_rm_btn_{k}", disabled=gone is None):
        d["remove_actors"].append(gone)
        st.rerun()
    codes = sorted(_codes(base, d))
    c1, c2, c3, c4 = st.columns([2, 2, 2, 2])
    a = c1.selectbox("Alliance between", codes, format_func=label, key=f"al_a_{k}")
    b = c2.selectbox("and", [c for c in codes if c != a], format_func=label, key=f"al_b_{k}")
    kind = c3.selectbox("type", ["defense", "neutrality", "nonaggression", "consultation", "none"], key=f"al_type_{k}",
                        format_func=lambda t: "none (end their alliance)" if t == "none" else t)
    strength = c4.slider("strength", 0.0, 1.0, 0.8, 0.05, key=f"al_str_{k}")
    if st.button("Add this alliance change", key=f"al_btn_{k}"):
        d["alliances"] = [x for x in d["alliances"] if set(x["members"]) != {a, b}]
        d["alliances"].append({"members": [a, b], "type": kind, "strength": strength})
        st.rerun()


def sanctions_form(base: Scenario, k: str) -> None:
    """Start or lift sanctions: a `sanctions` or `sanctions_relief` event, checked like any other."""
    d = draft(k)
    names = state_names(base)
    label = _label(names)
    codes = _codes(base, d)
    cal = base.calendar
    with st.form(f"sn_form_{k}", border=False):
        c1, c2, c3 = st.columns(3)
        what = c1.radio("Sanctions", ["start", "lift"], horizontal=True, key=f"sn_what_{k}")
        by = c1.selectbox("by", codes, format_func=label, key=f"sn_by_{k}")
        slots = {"actor": c1.empty()}
        targets = c2.multiselect("on", codes, format_func=label, key=f"sn_on_{k}")
        slots["targets"] = c2.empty()
        sev = c3.slider("severity (how much is eased, when lifting)", 0.0, 1.0, 0.5, 0.05, key=f"sn_sev_{k}")
        when = c3.date_input("from", value=cal.start, min_value=cal.start, max_value=cal.end - dt.timedelta(days=1),
                             key=f"sn_date_{k}")
        slots["date"] = c3.empty()
        general = st.empty()
        go = st.form_submit_button("Add to the what-if", type="primary")
    if go:
        tp = "sanctions" if what == "start" else "sanctions_relief"
        data = eventform.event_data(tp, by, when, {"targets": targets, "severity": sev}, event_id=_next_id(base, d))
        _add_checked(base, d, data, slots, general, f"sanctions {what} by {names.get(by, by)}")


def draft_section(base: Scenario, k: str) -> None:
    """What the draft holds so far, each item with a button to take it out."""
    d = draft(k)
    names = state_names(base)
    items = [(kind, i, x) for kind in EMPTY for i, x in enumerate(d[kind])]
    if not items:
        return
    st.markdown("**In this what-if so far**")
    for kind, i, x in items:
        if kind == "add_events":
            others = [names.get(c, c) for f in eventform.ROLE_FIELDS for c in x.get(f, ())]
            text = (f"Add {eventform.type_title(x['type']).lower()} by {names.get(x['actor'], x['actor'])}"
                    + (f" ({', '.join(others)})" if others else "") + f" on {x['date']}")
        elif kind == "change":
            bits = [f"{f} → {v}" for f, v in x["set"].items()] + ([f"date → {x['date']}"] if "date" in x else [])
            text = f"Change {x['id']}: " + ", ".join(str(b) for b in bits)
        elif kind == "add_actors":
            text = f"Add the state {names.get(x['code'], x['code'])} ({x['doctrine']})"
        elif kind == "remove_actors":
            text = f"Remove the state {names.get(x, x)} with its events and ties"
        else:
            a, b = x["members"]
            text = (f"End the alliance {names.get(a, a)}–{names.get(b, b)}" if x["type"] == "none" else
                    f"Alliance {names.get(a, a)}–{names.get(b, b)}: {x['type']}, strength {x['strength']:g}")
        c1, c2 = st.columns([8, 1])
        c1.markdown("- " + md(text))
        if c2.button("Remove", key=f"dr_rm_{k}_{kind}_{i}"):
            d[kind].pop(i)
            st.rerun()
