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


def text_of(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [e.value for e in at.warning]
    parts += [e.value for e in at.success] + [e.value for e in at.info] + [e.value for e in at.caption]
    parts += [h.value for h in at.title] + [h.value for h in at.subheader] + [h.value for h in at.header]
    return "\n".join(str(p) for p in parts)


def frame(at: AppTest, column: str):
    """The first dataframe on the page that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def charts_of(at: AppTest) -> list:
    return list(at.get("plotly_chart"))


# ------------------------------------------------------------------------------------------- Library
def test_library_shows_cards_and_puts_the_view_in_the_url():
    at = app()
    ok(at)
    assert at.title[0].value == "Scenario library"
    body = text_of(at)
    founding = load_scenario(FOUNDING)
    assert founding.title in body and founding.briefing.question in body
    assert at.session_state["fp_scenario"] == "korea-russia-2024"  # the founding case comes first
    assert dict(at.query_params) == {"scenario": "korea-russia-2024", "variant": "baseline", "seed": "0", "runs": "200"}


def test_open_button_goes_to_the_scenario():
    at = app()
    at.button(key="open_korea-russia-2024").click().run()
    ok(at)
    assert at.title[0].value == load_scenario(FOUNDING).title


def test_upload_a_valid_scenario_and_open_it():
    at = app()
    data = FOUNDING.read_bytes().replace(b"id: korea-russia-2024", b"id: my-copy")
    at.file_uploader(key="upload").set_value(("../../etc/my copy.yaml", data, "application/x-yaml")).run()
    ok(at)
    assert "Loaded" in text_of(at)
    at.button[-1].click().run()  # "Open it"
    ok(at)
    assert at.session_state["fp_scenario"] == "upload:my-copy"
    assert at.title[0].value == load_scenario(FOUNDING).title


def test_bad_upload_shows_located_errors_and_nothing_crashes():
    at = app()
    bad = FOUNDING.read_text().replace("horizon: 52", "horizon: fifty").replace("code: CUB", "code: XXX")
    at.file_uploader(key="upload").set_value(("bad.yaml", bad.encode(), "application/x-yaml")).run()
    ok(at)
    errors = "\n".join(e.value for e in at.error)
    line = FOUNDING.read_text().splitlines().index("  horizon: 52") + 1
    assert f"bad.yaml:{line}:12: calendar.horizon" in errors
    assert "Loaded" not in text_of(at)
    assert not any(k.startswith("upload:") for k in at.session_state["fp_user_scenarios"]) if "fp_user_scenarios" in at.session_state else True


def test_upload_that_is_not_yaml_or_too_big_is_refused():
    at = app()
    at.file_uploader(key="upload").set_value(("x.yaml", b"\xff\xfe\x00binary", "application/x-yaml")).run()
    ok(at)
    assert at.error and "x.yaml" in at.error[0].value
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
    warn = "\n".join(w.value for w in at.warning)
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
    assert "Where it starts." in body and "at war: RUS–UKR" in body and "USA on RUS, PRK, CUB" in body
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
    saved = "\n".join(s.value for s in at.success)
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
    assert {"cmp_diff", "cmp_fan", "cmp_fan_tension"} <= {c.key for c in charts_of(at)}
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
    assert "not a valid name" in "\n".join(e.value for e in at.error)
    at.text_input(key=_key(at, "wi_name_")).set_value("too-late")
    at.multiselect(key=_key(at, "wi_move_")).set_value(["havana-visit"])
    at.number_input(key=_key(at, "wi_shift_")).set_value(52)
    at.button(key="wi_save").click().run()
    ok(at)
    assert "outside the horizon" in "\n".join(e.value for e in at.error)
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
    assert "Valid:" in "\n".join(s.value for s in at.success)
    text = at.text_area(key="fp_editor").value
    at.text_area(key="fp_editor").set_value(text.replace("horizon: 52", "horizon: -1")).run()
    ok(at)
    err = "\n".join(e.value for e in at.error)
    line = text.splitlines().index("  horizon: 52") + 1
    assert f"editor.yaml:{line}:12: calendar.horizon" in err
    assert at.code and f"{line} |" in at.code[0].value
    assert at.button(key="editor_run").disabled
    at.text_area(key="fp_editor").set_value("id: x\ntitle: [unclosed\n").run()
    ok(at)
    assert LOCATED.search("\n".join(e.value for e in at.error))
    at.text_area(key="fp_editor").set_value(text.replace("horizon: 52", "horizon: 12").replace(
        "id: korea-russia-2024", "id: short-run")).run()
    at.button(key="editor_run").click().run()
    ok(at)
    assert at.session_state["fp_scenario"] == "edited:short-run"
    assert at.title[0].value.startswith("Run:")


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
    at.button[-1].click()  # the form's submit button
    at.run()
    ok(at)
    vals = [m.value for m in at.metric]
    assert vals[0] == "40 %" and vals[1].endswith("%")
    assert "Your 40 % is" in text_of(at)


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
    assert LOCATED.search("\n".join(e.value for e in at.error))
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
