"""The Streamlit app without a browser: AppTest on every page and the main interactions,
plus the app's pure helpers (library, what-if builder, glossary, charts).

Ensembles here are small (20–30 runs) to keep the suite fast; the 200-run timing is measured by
the real-browser test.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
import streamlit.config as st_config
from streamlit.testing.v1 import AppTest

from app_support import charts, glossary, library, whatif
from sim.errors import LimitError, ScenarioError
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
FOUNDING = ROOT / "scenarios" / "korea-russia-2024.yaml"
LOCATED = re.compile(r"\b[\w.-]+\.yaml:\d+:\d+: ")


@pytest.fixture(autouse=True)
def _clean_caches():
    """st.cache_data and st.cache_resource are process-global across AppTest instances: start every test cold."""
    st.cache_data.clear()
    st.cache_resource.clear()
    st_config.set_option("client.showErrorDetails", "full")  # real messages if a test fails
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = str(v)
    return at.run()


def goto(at: AppTest, page: str) -> AppTest:
    return at.switch_page(f"app_pages/{page}.py").run()


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def plain(text: str) -> str:
    """A value shown through Markdown with its escapes removed (user text is escaped: it must show literally)."""
    return re.sub(r"\\([\\`*_{}\[\]()<>!|~$&#:.\-+=])", r"\1", str(text))


def text_of(at: AppTest) -> str:
    parts = [plain(m.value) for m in at.markdown] + [plain(e.value) for e in at.error] + [plain(e.value) for e in at.warning]
    parts += [plain(e.value) for e in at.success] + [plain(e.value) for e in at.info] + [e.value for e in at.caption]
    parts += [plain(h.value) for h in at.title] + [plain(h.value) for h in at.subheader] + [h.value for h in at.header]
    return "\n".join(plain(p) for p in parts)


def frame(at: AppTest, column: str):
    """The first dataframe on the page that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def charts_of(at: AppTest) -> list:
    return list(at.get("plotly_chart"))


# ------------------------------------------------------------------------------------------- Library
def test_library_shows_cards_and_puts_the_view_in_the_url():
    at = app()
    ok(at)
    assert plain(at.title[0].value) == "Scenario library"
    body = text_of(at)
    founding = load_scenario(FOUNDING)
    assert founding.title in body and founding.briefing.question in body
    assert at.session_state["fp_scenario"] == "korea-russia-2024"  # the founding case comes first
    assert dict(at.query_params) == {"scenario": "korea-russia-2024", "variant": "baseline", "seed": "0", "runs": "200"}


def test_open_button_goes_to_the_scenario():
    at = app()
    at.button(key="open_korea-russia-2024").click().run()
    ok(at)
    assert plain(at.title[0].value) == load_scenario(FOUNDING).title


def test_upload_a_valid_scenario_and_open_it():
    at = app()
    data = FOUNDING.read_bytes().replace(b"id: korea-russia-2024", b"id: my-copy")
    at.file_uploader(key="upload").set_value(("../../etc/my copy.yaml", data, "application/x-yaml")).run()
    ok(at)
    assert "Loaded" in text_of(at)
    at.button[-1].click().run()  # "Open it"
    ok(at)
    assert at.session_state["fp_scenario"] == "upload:my-copy"
    assert plain(at.title[0].value) == load_scenario(FOUNDING).title


def test_bad_upload_shows_located_errors_and_nothing_crashes():
    at = app()
    bad = FOUNDING.read_text().replace("horizon: 52", "horizon: fifty").replace("code: CUB", "code: XXX")
    at.file_uploader(key="upload").set_value(("bad.yaml", bad.encode(), "application/x-yaml")).run()
    ok(at)
    errors = "\n".join(plain(e.value) for e in at.error)
    line = FOUNDING.read_text().splitlines().index("  horizon: 52") + 1
    assert f"bad.yaml:{line}:12: calendar.horizon" in errors
    assert "Loaded" not in text_of(at)
    assert not any(k.startswith("upload:") for k in at.session_state["fp_user_scenarios"]) if "fp_user_scenarios" in at.session_state else True


def test_upload_that_is_not_yaml_or_too_big_is_refused():
    at = app()
    at.file_uploader(key="upload").set_value(("x.yaml", b"\xff\xfe\x00binary", "application/x-yaml")).run()
    ok(at)
    assert at.error and "x.yaml" in plain(at.error[0].value)
    with pytest.raises(LimitError, match="1 MiB"):
        library.parse_upload("big.yaml", b"#" * (library.MAX_UPLOAD_BYTES + 1))


# ------------------------------------------------------------------------------------------- URL state
def test_a_shared_link_reproduces_page_scenario_variant_seed_and_runs():
    at = app(page="scenario", scenario="korea-russia-2024", variant="no-pact", seed=7, runs=50)
    ok(at)
    ss = at.session_state
    assert (ss["fp_scenario"], ss["fp_variant"], ss["fp_seed"], ss["fp_runs"]) == ("korea-russia-2024", "no-pact", 7, 50)
    assert "no-pact" in text_of(at)  # the Scenario page, showing the variant
    assert dict(at.query_params) == {"scenario": "korea-russia-2024", "variant": "no-pact", "seed": "7", "runs": "50"}


def test_a_bad_link_falls_back_with_warnings():
    at = app(scenario="../../etc/passwd", variant="nope", seed="-3", runs="9999999")
    ok(at)
    warn = "\n".join(plain(w.value) for w in at.warning)
    assert "not in the library" in warn and "run count" in warn and "seed" in warn
    assert at.session_state["fp_scenario"] == "korea-russia-2024"
    assert at.session_state["fp_runs"] == 200


# ------------------------------------------------------------------------------------------- Scenario
def test_scenario_page_shows_briefing_actors_network_offline_map_and_timeline():
    at = goto(app(), "scenario")
    ok(at)
    body = text_of(at)
    sc = load_scenario(FOUNDING)
    assert sc.briefing.summary.split("\n")[0][:40] in body
    assert "Sources" in body
    actors = at.dataframe[0].value
    assert list(actors["code"]) == sc.codes
    assert {"capability (CINC share)", "democracy (polyarchy 0–1)", "allies (defence pledge)", "where from"} <= set(actors.columns)
    assert "catalog 2022" in actors.loc[0, "where from"] and "overridden: resolve" in actors.loc[0, "where from"]
    usa = actors.set_index("code").loc["USA", "sanctions on (severity)"]
    assert "CUB (0.8)" in usa and "RUS (0.8)" in usa and "PRK (0.9)" in usa
    plots = charts_of(at)
    assert len(plots) == 3
    geo = [p for p in plots if "scattergeo" in p.proto.spec]
    assert len(geo) == 1
    assert json.loads(geo[0].proto.config)["topojsonURL"] == "/app/static/"
    assert (ROOT / "static" / "world_110m.json").stat().st_size > 100_000
    events = next(d.value for d in at.dataframe if "type" in d.value.columns)
    assert "pact" in set(events["id"])
    # dormant ties and missing catalog values are marked, not shown as data
    ties = next(d.value for d in at.dataframe if "status" in d.value.columns).set_index("pair")
    assert ties.loc["PRK–CUB", "status"] == "dormant" and ties.loc["USA–JPN", "status"] == "in force"
    assert actors.set_index("code").loc["PRK", "military spending (US$ bn)"].startswith("n/a (imputed: ")


def test_scenario_page_shows_a_missing_ideal_point_as_missing():
    at = app(page="scenario", scenario="july-crisis-1914")
    ok(at)
    actors = next(d.value for d in at.dataframe if "UN ideal point" in d.value.columns).set_index("code")
    assert all(v.startswith("n/a (no data; ") and "neutral" in v for v in actors["UN ideal point"])
    assert "ideal_point" in actors.loc["GMY", "where from"]


def test_scenario_page_applies_the_variant():
    at = app(page="scenario", variant="no-pact")
    ok(at)
    assert "pact" not in set(next(d.value for d in at.dataframe if "type" in d.value.columns)["id"])


# ------------------------------------------------------------------------------------------- Run
def test_run_page_tells_the_story_follows_the_slider_and_runs_an_ensemble():
    at = app(page="run", runs=20)
    ok(at)
    body = text_of(at)
    assert "One run, told as a story" in body
    assert "Where it starts." in body and "at war: Russia–Ukraine" in body
    assert "United States of America on Russia, North Korea, Cuba" in body
    assert re.search(r"\]\(#[a-z-]+\)", body)  # explanations link to the glossary entries below them
    assert "Concepts used on this page" in body
    assert len(charts_of(at)) == 2  # network at a step + ladder
    peaks = frame(at, "highest rung")  # the pairs that climbed highest in this run
    assert len(peaks) >= 1 and peaks["highest rung"].iloc[0][0].isdigit()
    at.slider(key="run_step").set_value(3).run()
    ok(at)
    assert "Week 4, starting 2024-07-01" in text_of(at)
    at.button(key="run_ensemble").click().run()
    ok(at)
    out = frame(at, "estimate (95 % interval)")
    assert {"outcome", "estimate (95 % interval)"} <= set(out.columns) and len(out) > 10
    assert "(" in out["estimate (95 % interval)"].iloc[0] and "–" in out["estimate (95 % interval)"].iloc[0]
    # support to partners: in the outcome table, by name, and in its own table with an interval per degree
    troops = out[out["outcome"] == "chance that North Korea sends troops to Russia's fight (or joins it)"]
    assert list(troops["dyad / actor"]) == ["North Korea → Russia"]
    support = frame(at, "supporter → partner").set_index("supporter → partner")
    assert "North Korea → Russia" in support.index and "(" in support.loc["North Korea → Russia", "sends troops (or joins)"]
    keys = {c.key for c in charts_of(at)}
    assert {"fan_level", "fan_tension", "heatmap"} <= keys
    tension = next(c for c in charts_of(at) if c.key == "fan_tension")
    assert "highest threat either side perceives" in tension.proto.spec and "median" in tension.proto.spec
    labels = {b.label for b in at.get("download_button")}
    assert {"Outcomes (CSV)", "Per-run results (Parquet)", "Charts (HTML)", "Download the scenario (YAML)"} <= labels
    # results stay on screen (from the cache) when another widget reruns the page
    at.slider(key="run_step").set_value(5).run()
    ok(at)
    assert frame(at, "estimate (95 % interval)").shape == out.shape


# ------------------------------------------------------------------------------------------- What-if & Compare
def _key(at: AppTest, prefix: str) -> str:
    return next(w.key for w in [*at.multiselect, *at.text_input, *at.selectbox, *at.number_input]
                if str(w.key).startswith(prefix))


def test_build_a_what_if_then_compare_it_with_a_named_variant():
    at = goto(app(runs=20), "compare")
    ok(at)
    at.text_input(key=_key(at, "wi_name_")).set_value("late-pact")
    at.multiselect(key=_key(at, "wi_remove_")).set_value(["condemn-ukr"])
    at.multiselect(key=_key(at, "wi_move_")).set_value(["pact"])
    at.number_input(key=_key(at, "wi_shift_")).set_value(6)
    at.selectbox(key=_key(at, "wi_lens_")).set_value("liberal")
    at.multiselect(key=_key(at, "wi_actors_")).set_value(["USA"])
    at.run()
    at.selectbox(key=_key(at, "wi_doc_")).set_value("constructivist")
    at.multiselect(key=_key(at, "wi_params_")).set_value(["threat.power_exponent"])
    at.run()
    at.number_input(key=_key(at, "wi_param_")).set_value(1.5)
    at.button(key="wi_save").click().run()
    ok(at)
    saved = "\n".join(plain(s.value) for s in at.success)
    assert "Saved “late-pact”" in saved and "moved to 2024-07-31" in saved and "threat.power_exponent = 1.5" in saved
    cmp = at.multiselect(key=_key(at, "cmp_"))
    assert "late-pact (yours)" in cmp.options and "no-pact" in cmp.options
    cmp.set_value(["no-pact", "late-pact"]).run()
    at.button(key="cmp_run").click().run()
    ok(at)
    body = text_of(at)
    assert "What changed, in words" in body
    table = frame(at, "difference, paired (95 %)")
    assert set(table["variant"]) == {"no-pact", "late-pact"}
    assert table["difference, paired (95 %)"].str.contains(r"\(.*…").all()
    keys = {c.key for c in charts_of(at)}
    assert {"cmp_fan", "cmp_fan_tension"} <= keys and keys & {"cmp_diff", "cmp_diff_rung", "cmp_diff_other"}
    assert "Download the scenario with your what-ifs (YAML)" in {b.label for b in at.get("download_button")}
    # the saved what-if is a variant like the file's own: choose it in the sidebar and run it
    at.selectbox(key="fp_variant").set_value("late-pact").run()
    goto(at, "run")
    ok(at)
    assert "Variant **late-pact**" in text_of(at)
    assert dict(at.query_params)["variant"] == "late-pact"


def test_an_invalid_what_if_is_explained_not_saved():
    at = goto(app(), "compare")
    at.text_input(key=_key(at, "wi_name_")).set_value("Bad Name!")
    at.button(key="wi_save").click().run()
    ok(at)
    assert "not a valid name" in "\n".join(plain(e.value) for e in at.error)
    at.text_input(key=_key(at, "wi_name_")).set_value("too-late")
    at.multiselect(key=_key(at, "wi_move_")).set_value(["havana-visit"])
    at.number_input(key=_key(at, "wi_shift_")).set_value(52)
    at.button(key="wi_save").click().run()
    ok(at)
    assert "outside the horizon" in "\n".join(plain(e.value) for e in at.error)
    assert not at.success


def test_exported_what_if_yaml_runs_unchanged_in_flashpoint(tmp_path):
    sc = load_scenario(FOUNDING)
    v = whatif.make_variant(sc, whatif.WhatIf(name="late-pact", remove=["condemn-ukr"], move=["pact"], shift_steps=4,
                                              actors={"USA": {"doctrine": "liberal", "modifiers": ["hawkish"], "resolve": 0.9}},
                                              lens="realist", parameters={"threat.power_exponent": 1.5}))
    combined = whatif.add_variants(sc, [v])
    path = tmp_path / "what-ifs.yaml"
    path.write_text(library.to_yaml(combined, "exported by a test"), "utf-8")
    again = load_scenario(path)
    assert again == combined
    applied = again.with_variant("late-pact")
    assert not applied.semantic_issues()
    assert "condemn-ukr" not in [applied.event_id(i) for i in range(len(applied.events))]
    assert applied.parameters.threat.power_exponent == 1.5 and applied.lens == "realist"
    from typer.testing import CliRunner

    from sim.cli.main import app as cli

    res = CliRunner().invoke(cli, ["validate", str(path)])
    assert res.exit_code == 0, res.output


# ------------------------------------------------------------------------------------------- Editor
def test_editor_validates_as_you_go_and_runs_the_edit():
    at = goto(app(), "editor")
    ok(at)
    assert "Valid:" in "\n".join(plain(s.value) for s in at.success)
    text = at.text_area(key="fp_editor").value
    at.text_area(key="fp_editor").set_value(text.replace("horizon: 52", "horizon: -1")).run()
    ok(at)
    err = "\n".join(plain(e.value) for e in at.error)
    line = text.splitlines().index("  horizon: 52") + 1
    assert f"editor.yaml:{line}:12: calendar.horizon" in err
    assert at.code and f"{line} |" in at.code[0].value
    assert at.button(key="editor_run").disabled
    at.text_area(key="fp_editor").set_value("id: x\ntitle: [unclosed\n").run()
    ok(at)
    assert LOCATED.search("\n".join(plain(e.value) for e in at.error))
    at.text_area(key="fp_editor").set_value(text.replace("horizon: 52", "horizon: 12").replace(
        "id: korea-russia-2024", "id: short-run")).run()
    at.button(key="editor_run").click().run()
    ok(at)
    assert at.session_state["fp_scenario"] == "edited:short-run"
    assert plain(at.title[0].value).startswith("Run:")


# ------------------------------------------------------------------------------------------- Classroom, About
def test_classroom_predict_then_run_and_glossary():
    at = goto(app(runs=20), "classroom")
    ok(at)
    sc = load_scenario(FOUNDING)
    body = text_of(at)
    assert "Learning objectives" in body and "Discussion questions" in body and "Glossary" in body
    assert sc.briefing.discussion_questions[0][:20] in body
    at.selectbox(key="pr_dyad").set_value("RUS–USA")
    at.slider(key="pr_guess").set_value(40)
    _form_button(at, "Lock in my prediction and run").click()
    at.run()
    ok(at)
    vals = [m.value for m in at.metric]
    assert vals[0] == "40 %" and vals[1].endswith("%")
    assert "Your 40 % is" in text_of(at) and "reaching use of force (rung ≥5)" in text_of(at)
    assert at.selectbox(key="pr_band").options[:2] == ["threat of force (rung ≥2)", "display of force (rung ≥4)"]


def test_about_page_shows_model_and_sources():
    at = goto(app(), "about")
    ok(at)
    body = text_of(at)
    from sim.catalog import load_catalog

    first = load_catalog().sources[0]
    assert first["title"] in body and first["citation"][:40] in body
    if not (ROOT / "docs" / "model.md").exists():
        assert "docs/model.md" in body
    assert len(at.dataframe[0].value) == len(__import__("sim.scenario.parameters", fromlist=["x"]).parameter_table())


# ------------------------------------------------------------------------------------------- robustness
def test_a_broken_bundled_scenario_never_crashes_a_page(tmp_path, monkeypatch):
    (tmp_path / "a-broken.yaml").write_text("id: broken\ntitle: [oops\n", "utf-8")
    (tmp_path / "b-unknown-actor.yaml").write_text(
        FOUNDING.read_text("utf-8").replace("id: korea-russia-2024", "id: zzz").replace("code: CUB", "code: ZZZ")
        .replace("[USA, CUB]", "[USA, ZZZ]"), "utf-8")
    monkeypatch.setattr(library, "SCENARIO_DIR", tmp_path)
    at = app()
    ok(at)
    assert LOCATED.search("\n".join(plain(e.value) for e in at.error))
    for key in ("a-broken", "b-unknown-actor"):
        at.session_state["fp_scenario"] = key
        for page in ("scenario", "run", "compare", "editor", "classroom", "about"):
            goto(at, page)
            ok(at)


# ------------------------------------------------------------------------------------------- pure helpers
def test_every_bundled_scenario_round_trips_through_yaml():
    for e in library.bundled():
        assert e.scenario is not None, e.error
        assert library.parse_text(library.to_yaml(e.scenario), "x.yaml") == e.scenario


def test_safe_name_never_keeps_a_path():
    assert library.safe_name("../../etc/passwd") == "passwd"
    assert library.safe_name("C:\\evil\\my file.yaml") == "my_file.yaml"
    assert library.safe_name(None) == "upload.yaml"


def test_glossary_links_each_term_once_and_leaves_links_alone():
    terms = glossary.load()
    assert any(t.anchor == "balance-of-threat" for t in terms) and any(t.anchor == "escalation-ladder" for t in terms)
    md = glossary.link_terms("threat and threat; a [threat](x) `threat` rung", terms)
    assert md.count("(#balance-of-threat)") == 1 and "[threat](x)" in md and "`threat`" in md
    assert "[rung](#escalation-ladder)" in md


def test_glossary_reads_docs_format(tmp_path):
    p = tmp_path / "g.md"
    p.write_text("# Glossary\n\n## Security dilemma\nAlso: spiral, spirals\n\nWhen arming for safety alarms others.\n", "utf-8")
    t = glossary.load(p)
    assert [x.name for x in t] == ["Security dilemma"] and "spirals" in t[0].aliases
    assert "[spirals](#security-dilemma)" in glossary.link_terms("the spirals", t)


def test_charts_have_titles_and_axis_units():
    sc = load_scenario(FOUNDING)
    from sim.model import build_world

    w = build_world(sc)
    for fig in (charts.alliance_network(w), charts.actor_map(w), charts.timeline(sc)):
        assert fig.layout.title.text
    t = charts.timeline(sc)
    assert t.layout.xaxis.title.text == "date" and t.layout.yaxis.title.text
    import pandas as pd

    f = charts.fan({"a": pd.DataFrame({"step": [0, 1], "date": ["d0", "d1"], "q05": [0, 0], "q25": [0, 1],
                                       "q50": [1, 1], "q75": [1, 2], "q95": [2, 3]})}, "t", "rung (0–10)")
    assert f.layout.yaxis.title.text == "rung (0–10)" and any("median" in (tr.name or "") for tr in f.data)


def test_make_variant_rejects_unknown_ids_and_bad_values():
    sc = load_scenario(FOUNDING)
    with pytest.raises(ScenarioError, match="no event with id 'nope'"):
        whatif.make_variant(sc, whatif.WhatIf(remove=["nope"]))
    with pytest.raises(ScenarioError, match="already a variant"):
        whatif.make_variant(sc, whatif.WhatIf(name="no-pact"))
    with pytest.raises(ScenarioError, match="less than or equal to 3"):
        whatif.add_variants(sc, [whatif.make_variant(sc, whatif.WhatIf(parameters={"threat.power_exponent": 99}))])


# ------------------------------------------------------------------------------------- What-if builder: events
def _form_button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_add_an_event_through_the_generated_form_without_yaml():
    """South Korea sends arms to Ukraine: picked by state names, checked by the loader, saved as a variant."""
    at = goto(app(runs=20), "compare")
    ok(at)
    at.text_input(key=_key(at, "wi_name_")).set_value("rok-arms-ukraine")
    at.selectbox(key=_key(at, "ev_type_")).set_value("arms_transfer").run()
    actor = at.selectbox(key=_key(at, "ev_actor_"))
    assert "South Korea (ROK)" in actor.options  # names, not only codes
    actor.set_value("ROK")
    at.multiselect(key=_key(at, "ev_partners_")).set_value(["UKR"])
    at.multiselect(key=_key(at, "ev_near_")).set_value(["RUS"])
    _form_button(at, "Add this event to the what-if").click().run()
    ok(at)
    assert "Added: Arms transfer by South Korea" in "\n".join(plain(s.value) for s in at.success)
    at.button(key="wi_save").click().run()
    ok(at)
    saved = "\n".join(plain(s.value) for s in at.success)
    assert "Adds added-1: arms transfer by ROK (UKR, RUS)" in saved
    v = next(iter(at.session_state["fp_whatifs"].values()))["rok-arms-ukraine"]
    ev = v.add_events[0]
    assert (ev.type, ev.actor, ev.partners, ev.near) == ("arms_transfer", "ROK", ("UKR",), ("RUS",))


def test_an_invalid_event_is_reported_on_its_form_field():
    at = goto(app(), "compare")
    at.selectbox(key=_key(at, "ev_type_")).set_value("sanctions").run()
    at.selectbox(key=_key(at, "ev_actor_")).set_value("ROK")
    # no target: the loader's own rule (at least one) is reported under the 'targets' field
    at.number_input(key=_key(at, "ev_severity_")).set_value(1.5)
    _form_button(at, "Add this event to the what-if").click().run()
    ok(at)
    errors = [plain(e.value) for e in at.error]
    assert any(e.startswith("**targets**") and "required" in e for e in errors), errors
    assert any(e.startswith("**severity**") and "less than or equal to 1" in e for e in errors), errors
    assert not at.success


def test_change_an_event_add_a_state_an_alliance_and_sanctions():
    from app_support import eventform

    sc = load_scenario(FOUNDING)
    w = whatif.WhatIf(name="many", change=[{"id": "pact", "set": {"strength": 0.3, "parties": ["PRK", "CHN"]}}],
                      add_actors=[{"code": "GMY", "doctrine": "liberal"}],
                      alliances=[{"members": ["ROK", "UKR"], "type": "defense", "strength": 0.5},
                                 {"members": ["RUS", "PRK"], "type": "none", "strength": 0.0}],
                      add_events=[eventform.event_data("sanctions", "GMY", "2024-07-01", {"targets": ["RUS"]}),
                                  eventform.event_data("sanctions_relief", "USA", "2024-08-01", {"targets": ["CUB"]})])
    applied = whatif.add_variants(sc, [whatif.make_variant(sc, w)]).with_variant("many")
    assert "GMY" in applied.codes
    pact = next(e for e in applied.events if e.id == "pact")
    assert pact.strength == 0.3 and pact.parties == ("PRK", "CHN")
    assert {e.type for e in applied.events} >= {"sanctions", "sanctions_relief"}
    types = {frozenset(a.members): a.type for a in applied.relations.alliances}
    assert types[frozenset({"ROK", "UKR"})] == "defense" and types[frozenset({"RUS", "PRK"})] == "none"
    # a change the loader rejects is located on its field
    bad = whatif.WhatIf(name="bad", change=[{"id": "pact", "set": {"strength": 3}}])
    with pytest.raises(ScenarioError) as exc:
        whatif.add_variants(sc, [whatif.make_variant(sc, bad)])
    assert any("strength" in i.path or "strength" in i.message for i in exc.value.issues)


def test_every_event_type_has_a_generated_form():
    from app_support import eventform
    from sim.scenario.events import EVENT_TYPES

    assert list(eventform.event_classes()) == list(EVENT_TYPES)
    for t in EVENT_TYPES:
        for f in eventform.fields_of(t):
            assert f.kind in {"states", "choice", "number", "integer", "bool", "date"}
    arms = {f.name: f for f in eventform.fields_of("arms_transfer")}
    assert arms["partners"].min_items == 1 and arms["amount"].exclusive_min and arms["amount"].maximum == 1
    assert eventform.field_of_issue("variants[5].add_events[0].targets[1]", "sanctions") == "targets"
    assert eventform.field_of_issue("what-if.add_events.0.sanctions.severity", "sanctions") == "severity"


# ------------------------------------------------------------------------------------- What-ifs in the link
def _rok_arms(sc):
    from app_support import eventform

    w = whatif.WhatIf(name="rok-arms-ukraine", title="South Korea sends arms to Ukraine", add_events=[
        eventform.event_data("arms_transfer", "ROK", "2024-07-01", {"partners": ["UKR"], "near": ["RUS"]},
                             event_id="added-1", description="Seoul ships artillery shells to Kyiv")])
    return whatif.make_variant(sc, w)


def test_permalink_round_trips_a_what_if_and_stays_short():
    from app_support import permalink

    sc = load_scenario(FOUNDING)
    v = _rok_arms(sc)
    token = permalink.encode(v)
    assert token.startswith("1.") and re.fullmatch(r"1\.[A-Za-z0-9_-]+", token)
    assert len(token) < 400  # a typical one-event what-if: about 250 characters
    assert permalink.decode(token, sc) == v


@pytest.mark.parametrize("token, says", [
    ("2.abc", "unknown what-if encoding"),
    ("1.!!!notbase64", "damaged"),
    ("1." + "A" * 9000, "limit"),
])
def test_a_damaged_or_foreign_permalink_is_refused_with_a_message(token, says):
    from app_support import permalink
    from sim.errors import FlashpointError

    with pytest.raises(FlashpointError, match=says):
        permalink.decode(token, load_scenario(FOUNDING))


def test_a_permalink_is_validated_like_an_upload_zip_bomb_and_bad_variant():
    import base64
    import zlib

    from app_support import permalink

    sc = load_scenario(FOUNDING)
    bomb = "1." + base64.urlsafe_b64encode(zlib.compress(b'{"name":"x","title":"' + b"a" * 1_000_000 + b'"}', 9)).decode()
    assert len(bomb) < permalink.MAX_LINK_CHARS
    with pytest.raises(LimitError, match="unpacks to more than"):
        permalink.decode(bomb, sc)

    def enc(data) -> str:
        return "1." + base64.urlsafe_b64encode(zlib.compress(json.dumps(data).encode())).decode()

    with pytest.raises(ScenarioError) as exc:  # unknown actor and a date outside the horizon: both located
        permalink.decode(enc({"name": "evil", "add_events": [{"type": "sanctions", "actor": "ZZZ", "date": "2031-01-01",
                                                              "targets": ["RUS"]}]}), sc)
    msgs = "\n".join(str(i) for i in exc.value.issues)
    assert "unknown actor ZZZ" in msgs and "outside the horizon" in msgs
    with pytest.raises(ScenarioError, match="scenario's own variants"):
        permalink.decode(enc({"name": "no-pact"}), sc)


def test_a_saved_what_if_travels_in_the_link_to_a_fresh_session():
    at = goto(app(runs=30, seed=7), "compare")
    sc = load_scenario(FOUNDING)
    from app_support import state as app_state

    at.session_state[app_state.WHATIFS] = {library.scenario_key(sc): {"rok-arms-ukraine": _rok_arms(sc)}}
    at.run()
    at.selectbox(key="fp_variant").set_value("rok-arms-ukraine").run()
    ok(at)
    qp = dict(at.query_params)
    assert qp["variant"] == "rok-arms-ukraine" and qp["whatif"].startswith("1.") and qp["runs"] == "30"
    fresh = app(**qp, page="compare")  # another browser: nothing in its session but the link
    ok(fresh)
    assert fresh.session_state["fp_variant"] == "rok-arms-ukraine"
    assert fresh.session_state["fp_seed"] == 7 and fresh.session_state["fp_runs"] == 30
    mine = next(iter(fresh.session_state["fp_whatifs"].values()))
    assert mine["rok-arms-ukraine"] == _rok_arms(sc)
    assert not fresh.warning


def test_remove_a_state_in_the_builder_by_name_and_save_it():
    """Issue 13 item 1: a state is removed from the what-if, picked by its name; the saved variant drops it."""
    at = goto(app(runs=20), "compare")
    ok(at)
    at.text_input(key=_key(at, "wi_name_")).set_value("no-cuba")
    pick = at.selectbox(key=_key(at, "st_rm_"))
    assert "Cuba (CUB)" in pick.options  # shown by name
    pick.set_value("CUB").run()
    at.button(key=next(b.key for b in at.button if str(b.key).startswith("st_rm_btn_"))).click().run()
    ok(at)
    assert "Remove the state Cuba with its events and ties" in text_of(at)
    assert "Cuba (CUB)" not in at.selectbox(key=_key(at, "st_rm_")).options  # not offered twice
    at.button(key="wi_save").click().run()
    ok(at)
    assert "Removes the state(s) CUB" in "\n".join(plain(s.value) for s in at.success)
    v = next(iter(at.session_state["fp_whatifs"].values()))["no-cuba"]
    assert v.remove_actors == ("CUB",)
    sc = whatif.add_variants(load_scenario(FOUNDING), [v]).with_variant("no-cuba")
    assert "CUB" not in sc.codes and "havana-visit" not in {e.id for e in sc.events}


def test_make_variant_rejects_removing_an_unknown_or_changed_state():
    sc = load_scenario(FOUNDING)
    with pytest.raises(ScenarioError, match="ZZZ is not a state of the scenario"):
        whatif.make_variant(sc, whatif.WhatIf(remove_actors=["ZZZ"]))
    with pytest.raises(ScenarioError, match="CUB is removed"):
        whatif.make_variant(sc, whatif.WhatIf(remove_actors=["CUB"], actors={"CUB": {"doctrine": "liberal"}}))
    with pytest.raises(ScenarioError, match="at least two"):
        whatif.add_variants(sc, [whatif.make_variant(sc, whatif.WhatIf(
            remove_actors=["RUS", "PRK", "USA", "ROK", "JPN", "CHN", "UKR"]))])


def test_permalink_round_trips_a_removed_state_and_old_links_still_open():
    from app_support import permalink

    sc = load_scenario(FOUNDING)
    v = whatif.make_variant(sc, whatif.WhatIf(name="no-cuba", remove_actors=["CUB"]))
    token = permalink.encode(v)
    assert token.startswith(f"{permalink.VERSION}.") and len(token) < 120
    back = permalink.decode(token, sc)
    assert back == v and back.remove_actors == ("CUB",)
    old = permalink.encode(_rok_arms(sc))  # a link without the new field: same version, same meaning
    assert permalink.decode(old, sc).remove_actors == ()
    with pytest.raises(ScenarioError, match="unknown actor ZZZ"):  # validated like an upload
        import base64
        import zlib

        permalink.decode("1." + base64.urlsafe_b64encode(zlib.compress(
            b'{"name":"x","remove_actors":["ZZZ"]}')).decode(), sc)


def test_a_crafted_link_shows_its_text_literally_in_the_sidebar_warning():
    at = app(variant="[click](http://evil.example) ![x](http://evil.example/i.png) :red[boom]",
             whatif="1.```**bold**```")
    ok(at)
    warn = "\n".join(w.value for w in at.sidebar.warning)
    assert "evil.example" in warn
    assert "](" not in warn.replace("\\](", "") and "\\[click\\]" in warn and "\\!\\[x\\]" in warn
    assert "```" not in warn.replace("\\`", "")


# ------------------------------------------------------------------------------------- Rough edges
@pytest.mark.parametrize("how", ["library-open", "editor-use"])
def test_the_run_count_survives_open_and_use_this_scenario(how):
    """Before: the address bar said runs=1 after Open (the sidebar's widget state was dropped on the switch)."""
    at = app(runs=200)
    if how == "library-open":
        at.button(key="open_korea-russia-2024").click().run()
    else:
        goto(at, "editor")
        at.button(key="editor_use").click().run()
    ok(at)
    assert at.session_state["fp_runs"] == 200
    assert dict(at.query_params)["runs"] == "200"


def test_charts_html_download_escapes_the_scenario_title():
    import plotly.graph_objects as go

    from app_support.views import html_of

    page = html_of([go.Figure(layout={"title": "</script><script>alert(1)</script>"})], "<script>alert(2)</script> & co")
    assert "<script>alert" not in page and "&lt;script&gt;alert(2)&lt;/script&gt; &amp; co" in page


def test_a_key_with_a_code_fence_cannot_break_out_of_the_error_box():
    at = app()
    bad = FOUNDING.read_text("utf-8").replace("data_year:", "\"```\\n[x](http://evil.example)\": 1\ndata_year:", 1)
    goto(at, "editor")
    at.text_area(key="fp_editor").set_value(bad).run()
    ok(at)
    err = "\n".join(e.value for e in at.error)
    assert "evil.example" in err and "```" not in err.replace("\\`", "") and "](" not in err.replace("\\](", "")


# ------------------------------------------------------------------------------------- Why did it change
def test_compare_page_explains_the_largest_difference_by_cause_chains():
    from app_support import eventform
    from app_support import state as app_state

    sc = load_scenario(FOUNDING)
    v = whatif.make_variant(sc, whatif.WhatIf(name="rok-strikes", add_events=[eventform.event_data(
        "armed_clash", "ROK", "2024-06-24", {"targets": ["PRK"]}, event_id="strike")]))
    at = goto(app(runs=20), "compare")
    at.session_state[app_state.WHATIFS] = {library.scenario_key(sc): {"rok-strikes": v}}
    at.run()
    at.multiselect(key=_key(at, "cmp_")).set_value(["rok-strikes"]).run()
    at.button(key="cmp_run").click().run()
    ok(at)
    at.button(key="cmp_explain").click().run()
    ok(at)
    body = text_of(at)
    assert "Why did it change?" in body
    assert "North Korea–South Korea use of force" in body
    assert "armed clash by South Korea (added by the what-if)" in body and "(0 → " in body
    assert "Replaying the first 20 seeds" in body  # the default sample: min(30, runs)


# ------------------------------------------------------------------------------------- Rough edges (issue 13)
def _specs(at: AppTest) -> dict[str, dict]:
    return {c.key: json.loads(c.proto.spec) for c in charts_of(at)}


def test_compare_chart_keeps_every_variant_and_one_unit_per_axis():
    """Before: one axis 'difference' mixed rungs and points, and the weakest of three variants disappeared."""
    at = goto(app(runs=20), "compare")
    at.multiselect(key=_key(at, "cmp_")).set_value(["no-pact", "forceful-us", "china-backs"]).run()
    at.button(key="cmp_run").click().run()
    ok(at)
    specs = {k: v for k, v in _specs(at).items() if k.startswith("cmp_diff")}
    assert specs
    units = {"cmp_diff": "percentage points", "cmp_diff_rung": "rungs", "cmp_diff_other": "difference"}
    for k, spec in specs.items():
        assert units[k] in spec["layout"]["xaxis"]["title"]["text"]
    shown = {tr["name"] for spec in specs.values() for tr in spec["data"]}
    assert {"no-pact", "forceful-us", "china-backs"} <= shown
    body = text_of(at)
    sc = load_scenario(FOUNDING)
    for name in ("no-pact", "forceful-us", "china-backs"):
        title = next(v.title for v in sc.variants if v.name == name)
        assert f"Under “{title}”" in body  # each variant has its verdicts (or says nothing changed)


def test_editor_reports_every_error_with_line_numbers_in_full():
    at = goto(app(), "editor")
    text = FOUNDING.read_text("utf-8").replace("data_year: 2022", "data_year: 3000").replace("horizon: 52", "horizon: -5")
    at.text_area(key="fp_editor").set_value(text).run()
    ok(at)
    err = plain("\n".join(e.value for e in at.error))
    horizon = 1 + text.splitlines().index("  horizon: -5")  # the line of the bad horizon in the founding file
    assert "editor.yaml:7:12: data_year" in err and f"editor.yaml:{horizon}:12: calendar.horizon" in err
    codes = [c for c in at.code]
    excerpt = next(c.value for c in codes if "   7 | " in c.value)
    assert f"{horizon:4d} | " in excerpt
    assert any(c.proto.show_line_numbers and c.value.strip() == text.strip() for c in codes)  # the whole text, numbered
    assert "Checks across fields" in text_of(at)
    long = FOUNDING.read_text("utf-8").replace("actor: RUS", "actor: XXXX", 1)
    at.text_area(key="fp_editor").set_value(long).run()
    err = plain("\n".join(e.value for e in at.error))
    assert "unknown actor XXXX (the scenario's actors: CHN, CUB, JPN, PRK, ROK, RUS, UKR, USA)" in err  # not cut


def test_outcome_table_leads_with_what_the_run_decides_not_a_war_under_way():
    at = app(page="run", runs=20)
    at.button(key="run_ensemble").click().run()
    ok(at)
    out = frame(at, "estimate (95 % interval)")
    assert "under way at the start" not in out["outcome"].iloc[0]
    marked = out[out["outcome"].str.contains("under way at the start")]
    assert len(marked) >= 2 and marked["dyad / actor"].str.contains("Russia–Ukraine").any()
    assert set(marked["estimate (95 % interval)"].str[:6]) == {"100.0%"}
    probs = out[out["outcome"].str.startswith("chance")]
    first_marked = list(probs.index).index(marked.index[0])
    assert all("under way" in x for x in probs["outcome"].iloc[first_marked:])  # they come last among chances


def test_classroom_result_stays_when_the_variant_changes_and_says_what_each_figure_shows():
    at = goto(app(runs=20), "classroom")
    at.selectbox(key="pr_dyad").set_value("RUS–USA")
    _form_button(at, "Lock in my prediction and run").click()
    at.run()
    assert len(at.metric) == 2
    at.selectbox(key="fp_variant").set_value("no-pact").run()
    ok(at)
    assert len(at.metric) == 2  # before: the result vanished
    body = text_of(at)
    assert "This result is for “baseline”" in body
    assert "at least once" in body and "week by week" in body


def test_students_see_state_names_and_no_record_ids_or_cameo_codes_unless_details_are_on():
    at = app(page="run", runs=20)
    ok(at)
    story = "\n".join(plain(m.value) for m in at.markdown if m.value.startswith(("- Week", "**Where")))
    assert not re.search(r"\(r\d+\)|\[r\d+", story) and "CAMEO" not in story and "Goldstein" not in story
    assert "North Korea" in story and not re.search(r"\bPRK\b", story)
    at.toggle(key="fp_details").set_value(True).run()
    ok(at)
    story = "\n".join(plain(m.value) for m in at.markdown if m.value.startswith(("- Week", "**Where")))
    assert "CAMEO" in story and re.search(r"\bPRK\b", story)
    assert dict(at.query_params)["runs"] == "20"


# ------------------------------------------------------------------------------------- In the room
def test_presentation_mode_shows_one_large_chart_at_a_time_with_few_legend_entries():
    at = app(page="present", runs=20, variant="no-pact")
    ok(at)
    assert "North Korea–Russia pact" in plain(at.title[0].value)
    for slide, key in (("How likely?", "present_bars"), ("Over time", "present_fan"),
                       ("Compared with the baseline", "present_diff")):
        at.radio(key="present_slide").set_value(slide).run()
        ok(at)
        specs = _specs(at)
        assert list(specs) == [key]  # one chart at a time
        lay = specs[key]["layout"]
        assert lay["font"]["size"] >= 20 and lay["title"]["font"]["size"] >= 24
        assert sum(1 for tr in specs[key]["data"] if tr.get("showlegend", True) and tr.get("name")) <= 4
    at.radio(key="present_slide").set_value("How likely?").run()
    labels = _specs(at)["present_bars"]["data"][0]["y"]
    assert labels and not any("Russia–Ukraine" in y for y in labels)  # the war under way is not news


def test_handout_prints_briefing_questions_and_results_with_intervals_escaped():
    from app_support import builder, handout
    from sim.ensemble import run_ensemble

    sc = load_scenario(FOUNDING)
    res = run_ensemble(sc, runs=20, seed=0, executor="inprocess")
    evil = sc.model_copy(update={"title": "<script>alert(1)</script> & co"})
    page = handout.handout_html(evil, "baseline", 0, 20, res.outcomes, builder.state_names(sc), "?scenario=x&runs=20")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "@page" in page and "Discussion questions" in page and "Learning objectives" in page
    assert sc.briefing.discussion_questions[0][:30].replace("'", "&#x27;") in page
    rows = handout.result_rows(res.outcomes, sc, builder.state_names(sc))
    assert rows and rows[0]["note"] == "" and "–" in rows[0]["interval"]
    assert rows[-1]["note"] == "under way at the start" or all(r["note"] == "" for r in rows)
    assert {r["outcome"] for r in rows} <= {"use of force (rung ≥5)", "war (rung ≥7)", "nuclear use (rung ≥9)"}
    helpers = handout.support_rows(res.outcomes, builder.state_names(sc))
    assert "Will partners help?" in page and "North Korea → Russia" in {r["pair"] for r in helpers}
    assert all("(" in r["troops"] and "–" in r["troops"] for r in helpers)
    at = goto(app(runs=20), "classroom")
    at.button(key="handout_make").click().run()
    ok(at)
    assert "Download the handout (HTML, print it)" in {b.label for b in at.get("download_button")}


# ------------------------------------------------------------------------------------- Authoring help
def test_new_scenario_wizard_writes_valid_yaml_into_the_editor():
    at = goto(app(), "editor")
    at.text_input(key="wz_title").set_value("Arms for Kyiv <b>2024</b>")
    ms = at.multiselect(key="wz_actors")
    assert "South Korea (ROK)" in ms.options  # states by name
    ms.set_value(["ROK", "UKR", "RUS"]).run()
    at.selectbox(key="wz_ev_type_0").set_value("arms_transfer").run()
    at.selectbox(key="wz_ev_actor_0").set_value("ROK")
    at.multiselect(key="wz_ev_on_0").set_value(["UKR"])
    at.button(key="wz_go").click().run()
    ok(at)
    text = at.text_area(key="fp_editor").value
    sc = library.parse_text(text, "w.yaml")  # the loader accepts it unchanged
    assert sc.codes == ["ROK", "UKR", "RUS"] and sc.events[0].type == "arms_transfer"
    assert sc.events[0].partners == ("UKR",) and sc.title == "Arms for Kyiv <b>2024</b>"
    assert any("Valid:" in plain(s.value) for s in at.success)


def test_editor_pickers_give_yaml_for_a_state_by_name_and_any_event_type():
    from app_support import authoring
    from sim.scenario.events import EVENT_TYPES

    at = goto(app(), "editor")
    at.selectbox(key="ed_pick_actor").set_value("ROK")
    at.selectbox(key="ed_pick_event").set_value("settlement_offer").run()
    ok(at)
    snippets = [c.value for c in at.code]
    assert any("code: ROK  # South Korea" in c for c in snippets)
    assert any("type: settlement_offer" in c and "generosity: 0.5" in c for c in snippets)
    base = yaml_of_founding()
    for t in EVENT_TYPES:  # every snippet is a valid event of the founding scenario once pasted
        snippet = authoring.event_snippet(t, "RUS", __import__("datetime").date(2024, 7, 1), ["USA"])
        if t in ("naval_deployment", "troop_deployment", "military_exercise", "missile_test", "mobilization", "alert"):
            snippet = snippet.replace("    near: []", "    near: [USA]")
        pasted = base.replace("\nevents:\n", "\nevents:\n" + snippet, 1)
        assert pasted != base
        assert len(library.parse_text(pasted, "x.yaml").events) == len(library.parse_text(base, "y.yaml").events) + 1


def yaml_of_founding() -> str:
    return FOUNDING.read_text("utf-8")


# ------------------------------------------------------------------------------------- Memory
def test_result_cache_is_bounded_by_bytes_not_entries():
    import numpy as np

    from app_support.memcache import MemoryLRU, size_of

    c = MemoryLRU(budget=10_000_000)
    for k in range(5):
        c.put(k, np.zeros(3_000_000, dtype=np.uint8))  # 3 MB each
    assert len(c) == 3 and c.used <= c.budget and 0 not in c and 4 in c
    c.get(2)  # recently used: kept when the next one comes
    c.put(5, np.zeros(3_000_000, dtype=np.uint8))
    assert 2 in c and 3 not in c
    assert not c.put("huge", np.zeros(20_000_000, dtype=np.uint8)) and "huge" not in c
    run = {"hist": np.zeros((53, 8, 8), dtype=np.int8), "records": [{"why": "x" * 100 + str(i)} for i in range(400)]}
    assert 400 * 100 < size_of(run) < 400 * 1_000


def test_a_scenario_too_big_for_the_app_is_refused_with_its_cost(monkeypatch):
    import yaml

    from sim.catalog import load_catalog

    monkeypatch.setenv("FLASHPOINT_APP_CACHE_MB", "16")
    data = yaml.safe_load(FOUNDING.read_text("utf-8"))
    codes = [c for c in load_catalog().codes(2022)][:60]
    data["actors"] = [{"code": c} for c in codes]
    data["relations"] = {}
    data["events"], data["variants"], data["calendar"]["horizon"] = [], [], 200
    at = app()
    at.session_state["fp_user_scenarios"] = {"upload:big": library.Entry(
        "upload:big", "big.yaml", "", library.parse_text(yaml.safe_dump(data), "big.yaml"))}
    at.run()
    at.selectbox(key="fp_scenario").set_value("upload:big").run()
    goto(at, "run")
    ok(at)
    err = plain("\n".join(e.value for e in at.error))
    assert "60 states and 200 steps" in err and "more than this app allows" in err and "flashpoint run" in err


# ------------------------------------------------------------------------------------- Cost estimate and limit
def _large_scenario(n: int = 250, horizon: int = 2000) -> dict:
    """A legal but large scenario: every 2022 catalog state plus custom ones up to ``n``, ``horizon`` weeks."""
    import yaml

    from sim.catalog import load_catalog

    data = yaml.safe_load(FOUNDING.read_text("utf-8"))
    codes = list(load_catalog().codes(2022))[:n]
    actors = [{"code": c} for c in codes]
    for i in range(n - len(actors)):
        actors.append({"code": f"X{i:03d}", "catalog": False,
                       "overrides": {"cinc": 0.001, "lat": -60 + (i % 100), "lon": -170 + 3 * (i % 100)}})
    data["actors"], data["relations"] = actors, {}
    data["events"], data["variants"], data["calendar"]["horizon"] = [], [], horizon
    return data


def _open(at: AppTest, data: dict, name: str = "big") -> AppTest:
    import yaml

    at.session_state["fp_user_scenarios"] = {f"upload:{name}": library.Entry(
        f"upload:{name}", f"{name}.yaml", "", library.parse_text(yaml.safe_dump(data), f"{name}.yaml"))}
    at.run()
    at.selectbox(key="fp_scenario").set_value(f"upload:{name}").run()
    return at


def test_a_large_ensemble_is_refused_with_its_estimate_before_it_runs(monkeypatch):
    """Issue 14 item 12: 250 states × 2,000 weeks × 200 runs is estimated and refused, in plain text."""
    from app_support import state as app_state

    calls = []
    monkeypatch.setattr(app_state, "_ensemble", lambda *a: calls.append(a))  # must never be reached
    at = _open(app(runs=200), _large_scenario())
    goto(at, "run")
    at.button(key="run_ensemble").click().run()
    ok(at)
    err = plain("\n".join(e.value for e in at.error))
    assert "This ensemble is refused" in err and "200 run(s) of 250 actors × 2,000 steps" in err, err
    assert "flashpoint ensemble" in err and "fewer runs" in err
    assert not calls
    # a comparison on the Compare page: the same estimate, for baseline and variant together
    with pytest.raises(LimitError, match="This comparison is refused — 400 run"):
        app_state.ensemble_cost(library.parse_text(__import__("yaml").safe_dump(
            {**_large_scenario(), "variants": [{"name": "v", "lens": "liberal"}]}), "big.yaml"), 200, ["v"])


def test_a_large_comparison_is_refused_on_the_compare_page(monkeypatch):
    from app_support import state as app_state

    calls = []
    monkeypatch.setattr(app_state, "_comparison", lambda *a: calls.append(a))  # must never be reached
    at = _open(app(runs=200), {**_large_scenario(), "variants": [{"name": "liberal-world", "lens": "liberal"}]})
    goto(at, "compare")
    at.multiselect(key=_key(at, "cmp_")).set_value(["liberal-world"]).run()
    at.button(key="cmp_run").click().run()
    ok(at)
    err = plain("\n".join(e.value for e in at.error))
    assert "This comparison is refused" in err and "400 run(s) of 250 actors" in err and "flashpoint compare" in err
    assert not calls


def test_a_large_ensemble_is_refused_on_the_classroom_page(monkeypatch):
    from app_support import state as app_state

    calls = []
    monkeypatch.setattr(app_state, "_ensemble", lambda *a: calls.append(a))  # must never be reached
    at = _open(app(runs=200), _large_scenario())
    goto(at, "classroom")
    at.button(key="handout_make").click().run()
    ok(at)
    err = plain("\n".join(e.value for e in at.error))
    assert "This ensemble is refused" in err and "250 actors × 2,000 steps" in err
    assert not calls and not [b for b in at.get("download_button") if "handout" in str(b.proto.label)]


def test_a_normal_ensemble_shows_its_estimate_and_runs(monkeypatch):
    from sim.ensemble import budget

    at = goto(app(runs=20), "run")
    at.button(key="run_ensemble").click().run()
    ok(at)
    caps = "\n".join(plain(c.value) for c in at.caption)
    assert "Estimated cost" in caps and "20 run(s) of 8 actors" in caps
    assert not at.error and any(d.value is not None for d in at.dataframe)
    assert not [w for w in at.warning if "rough estimate" in w.value]
    # above the warning threshold (lowered here) the same run shows a warning and still runs
    monkeypatch.setattr(budget, "WARN_SECONDS", 0.0)
    at = goto(app(runs=21), "run")
    at.button(key="run_ensemble").click().run()
    ok(at)
    assert any("rough estimate" in plain(w.value) for w in at.warning) and not at.error


def test_the_app_limit_on_the_wait_is_configurable(monkeypatch):
    from app_support import state as app_state

    sc = load_scenario(FOUNDING)
    est, note = app_state.ensemble_cost(sc, 200)
    assert est.memory_bytes > 0 and est.wall_seconds < app_state.max_wall_seconds()
    monkeypatch.setenv("FLASHPOINT_APP_MAX_MINUTES", "0")
    with pytest.raises(LimitError, match="more than the 0 minutes this app allows"):
        app_state.ensemble_cost(sc, 200)
