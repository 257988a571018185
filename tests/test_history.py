"""ICB crises as scenarios: the reader's located errors, the mapping rules, the shipped collection."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from sim.cli.main import app
from sim.errors import FlashpointError
from sim.history.build import build_collection, map_icb, read_index
from sim.history.icb import ACTOR_COLUMNS, SYSTEM_COLUMNS, IcbDataError, read_icb
from sim.history.mapping import CHALLENGER, TRIGGER_EVENTS, pretty_name, scenario_id, trigger_date
from sim.history.training import TRAINING_ACTORS, TRAINING_SYSTEM
from sim.scenario.loader import load_scenario
from tests.conftest import ROOT

runner = CliRunner()
SYS_COLS = ["icb1", *SYSTEM_COLUMNS]
ACT_COLS = ["icb2", *ACTOR_COLUMNS]


def write_icb(tmp_path, crises, actors, name="x"):
    """Write small ICB-layout files; rows are dicts of the columns that matter (the rest blank)."""
    s, a = tmp_path / f"{name}_sys.csv", tmp_path / f"{name}_act.csv"
    for path, cols, rows in ((s, SYS_COLS, crises), (a, ACT_COLS, actors)):
        with path.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=cols)
            w.writeheader()
            for r in rows:
                w.writerow({c: r.get(c, "") for c in cols})
    return s, a


def crisis(no, name, brk, trigent, y, m, d, viol=1, **kw):
    return {"crisno": no, "crisname": name, "break": brk, "trigent": trigent, "yrtrig": y, "motrig": m, "datrig": d,
            "viol": viol, **kw}


def actor(no, cracid, abbrev, triggr, trigent, y, m, d, majres=3, **kw):
    return {"crisno": no, "cracid": cracid, "actor": abbrev, "triggr": triggr, "trigent": trigent, "yrtrig": y,
            "motrig": m, "datrig": d, "majres": majres, **kw}


SMALL = (
    [crisis(900, "BORDER WAR TEST", 9.0, 651, 1969, 3, 2, viol=4, gravcr=3, iwcmb=1, geog=15),   # Egypt hits Israel
     crisis(901, "INSURGENCY TEST", 8, 996, 1962, 10, 77, viol=2, gravcr=2),                     # non-state, one state
     crisis(902, "UNKNOWN STATE TEST", 2, 672, 1926, 1, 1),                                      # Najd: not in COW
     crisis(903, "BLANK YEAR TEST", "", "", "", "", ""),
     crisis(904, "WAR TIME TEST", 7, 2, 1944, 6, 6, viol=4, iwcmb=3)],
    [actor(900, 666, "ISR", 9, 651, 1969, 3, 2, majres=8, gravty=6, usinv=3),
     actor(900, 651, "EGY", 9, 666, 1969, 3, 8, majres=8, suinv=7),
     actor(901, 2, "USA", 8, 996, 1962, 10, 77),
     actor(902, 672, "NAJ", 2, 670, 1926, 1, 1),
     actor(903, 670, "SAU", 2, 670, "", "", ""),
     actor(904, 255, "GMY", 7, 2, 1944, 6, 6, majres=9)],
)


def test_small_files_map_by_the_documented_rules(tmp_path):
    s, a = write_icb(tmp_path, *SMALL)
    res = map_icb(read_icb(s, a))
    assert res.total == 5 and len(res.mapped) + len(res.unmapped) == 5  # every crisis accounted for
    why = {u.crisno: u.reason for u in res.unmapped}
    assert set(why) == {902, 903}
    assert "NAJ" in why[902] and "not in the state catalog" in why[902]
    assert "yrtrig" in why[903]
    m = {x.crisno: x for x in res.mapped}
    war = res.scenarios[900]
    assert war.codes[:2] == ["ISR", "EGY"] and "RUS" in war.codes  # the USSR was active militarily (suinv 7)
    assert "USA" not in war.codes  # political involvement (usinv 3) stays in the briefing
    trig = war.events[0]
    assert trig.type == TRIGGER_EVENTS[9][0] and trig.actor == "EGY" and trig.targets == ("ISR",)
    assert trig.intensity == 0.8  # Israel's gravity is 6: a threat to existence
    assert len(war.events) == 2  # Egypt's own trigger came 6 days later, within the onset window
    assert war.data_year == 1969 and war.calendar.start.isoformat() == "1969-03-02"
    assert next(x for x in war.actors if x.code == "ISR").overrides.resolve == pytest.approx(0.725)
    assert m[900].contiguous and m[900].region == "Middle East"
    # a non-state trigger with one state: a custom challenger at that state's capital
    ins = res.scenarios[901]
    assert ins.codes == ["USA", CHALLENGER] and not ins.actors[1].catalog
    assert ins.events[0].actor == CHALLENGER and ins.events[0].type == "incident"
    assert ins.calendar.start.isoformat() == "1962-10-15"  # day code 77: the middle of the month
    # a crisis within a war starts with the parties at war; a military trigger is a mobilisation
    ww = res.scenarios[904]
    assert ww.events[0].type == "mobilization" and ww.events[0].actor == "USA" and ww.events[0].near == ("GMY",)
    assert ("GMY", "USA") in {tuple(sorted(p)) for p in ww.relations.wars}


def test_catalog_year_moves_to_the_nearest_year_with_every_actor(tmp_path):
    # Syria enters the COW system in 1946: a 1945 crisis with Syria uses the 1946 catalog and says so
    s, a = write_icb(tmp_path, [crisis(905, "SYRIA TEST", 2, 220, 1945, 5, 17)],
                     [actor(905, 652, "SYR", 2, 220, 1945, 5, 17), actor(905, 220, "FRN", 2, 652, 1945, 5, 20)])
    res = map_icb(read_icb(s, a))
    (m,) = res.mapped
    assert m.trigger_year == 1945 and m.data_year == 1946
    assert any("catalog year 1946" in n for n in m.notes)
    assert "catalog of 1946" in res.scenarios[905].briefing.summary


def test_malformed_files_give_located_errors(tmp_path):
    s, a = write_icb(tmp_path, *SMALL)
    text = s.read_text().splitlines()
    text[2] = text[2].replace(",8,996,", ",eight,996,")  # crisis 901's trigger type
    text.append(text[1])  # crisis 900 again
    s.write_text("\n".join(text) + "\n")
    rows = a.read_text().splitlines()
    rows[3] = rows[3] + ",extra"
    a.write_text("\n".join(rows) + "\n")
    with pytest.raises(IcbDataError) as err:
        read_icb(s, a)
    msg = str(err.value)
    col = SYS_COLS.index("break") + 1
    assert f"{s}:3:{col}: break: expected a number, got 'eight'" in msg
    assert f"{s}:7:0: crisno: crisis 900 is listed twice (first at line 2)" in msg
    assert f"{a}:4:0: " in msg and "fields where the header has" in msg
    hdr = tmp_path / "hdr.csv"
    hdr.write_text("crisno,crisname\n1,x\n")
    with pytest.raises(IcbDataError, match=r"hdr.csv:1:1: header: missing column\(s\) break"):
        read_icb(hdr, a)
    with pytest.raises(IcbDataError, match="no such file"):
        read_icb(tmp_path / "none.csv", a)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(s.read_bytes() + "999,CAF\xc9,1,2,1950,1,1,1\n".encode("latin-1"))
    with pytest.raises(IcbDataError, match="not UTF-8"):
        read_icb(latin, a)


def test_names_ids_and_dates():
    assert pretty_name("CHINA CIVIL WAR II") == "China Civil War II"
    assert pretty_name("FORMATION OF UAR") == "Formation Of UAR"
    assert scenario_id(7, "GAZA RAID-CZECH. ARMS") == "icb-007-gaza-raid-czech-arms"
    notes: list[str] = []
    assert trigger_date(1961, 2, 30, notes).day == 15 and notes  # an impossible day is noted
    assert trigger_date(1961, 2, 88).day == 25 and trigger_date(None, 1, 1) is None


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    out = tmp_path_factory.mktemp("icb")
    return build_collection(TRAINING_SYSTEM, TRAINING_ACTORS, out), out


def test_shipped_crises_build_to_valid_scenarios(shipped):
    rep, out = shipped
    assert rep.total == 324
    assert len(rep.mapped) / rep.total >= 0.95
    assert len(rep.mapped) + len(rep.unmapped) == rep.total and all(u.reason for u in rep.unmapped)
    files = sorted(out.glob("icb-*.yaml"))
    assert len(files) == len(rep.mapped)
    for f in files:  # every generated file validates through the ordinary loader
        load_scenario(f)
    index = read_index(out)
    assert [r["crisno"] for r in index] == [m.crisno for m in rep.mapped]
    assert {r["file"] for r in index} == {f.name for f in files}
    unmapped = list(csv.DictReader((out / "unmapped.csv").open()))
    assert {int(r["crisno"]) for r in unmapped} == {u.crisno for u in rep.unmapped}


def test_committed_collection_is_the_build_of_the_shipped_tables(shipped):
    rep, out = shipped
    committed = ROOT / "scenarios" / "icb"
    assert sorted(p.name for p in committed.glob("icb-*.yaml")) == sorted(p.name for p in out.glob("icb-*.yaml"))
    for p in committed.glob("icb-*.yaml"):
        assert p.read_text() == (out / p.name).read_text(), f"{p.name}: rebuild with scripts/build_icb.py"


def test_a_sample_of_the_shipped_scenarios_runs(shipped):
    from sim.model import run_scenario

    rep, _ = shipped
    sample = list(rep.scenarios.values())[:: max(1, len(rep.scenarios) // 8)]
    for sc in sample:
        res = run_scenario(sc, seed=1)
        assert res.steps == sc.calendar.horizon


@pytest.mark.slow
def test_every_shipped_scenario_runs_once(shipped):
    from sim.model import run_scenario

    rep, _ = shipped
    for sc in rep.scenarios.values():
        assert run_scenario(sc, seed=0).steps == sc.calendar.horizon


def test_cli_build_and_its_errors(tmp_path):
    s, a = write_icb(tmp_path, *SMALL)
    res = runner.invoke(app, ["icb", "build", str(s), str(a), "--out", str(tmp_path / "out"), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["mapped"] == 3 and {u["crisno"] for u in doc["unmapped"]} == {902, 903}
    bad = tmp_path / "bad.csv"
    bad.write_text("crisno,crisname\n")
    res = runner.invoke(app, ["icb", "build", str(bad), str(a), "--out", str(tmp_path / "o2")])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert f"{bad}:1:1: header: missing column(s)" in res.output


def test_bad_horizon_is_a_user_error():
    with pytest.raises(FlashpointError):
        map_icb(read_icb(TRAINING_SYSTEM, TRAINING_ACTORS), horizon="forever")


def test_names_are_data_in_the_yaml_and_orphan_actor_rows_are_reported(tmp_path):
    odd = 'A "QUOTED": CRISIS # [bold]X[/bold] **Y** <b>z</b>'
    s, a = write_icb(tmp_path, [crisis(910, odd, 2, 2, 1962, 10, 16)],
                     [actor(910, 365, "RUS", 2, 2, 1962, 10, 16), actor(910, 2, "USA", 2, 365, 1962, 10, 16),
                      actor(999, 2, "USA", 2, 365, 1962, 10, 16)])
    rep = build_collection(s, a, tmp_path / "out")
    (m,) = rep.mapped
    sc = load_scenario(tmp_path / "out" / f"{m.scenario_id}.yaml")
    assert sc.title.lower() == f"{odd.lower()} (1962)"  # every character kept as text, nothing parsed
    assert sc.title.startswith('A "Quoted": Crisis')
    assert m.scenario_id.startswith("icb-910-a-quoted-crisis-bold-x-bold-y-b-z-b")
    assert [o.crisno for o in rep.data.orphans] == [999]
    assert "name a crisis missing from the system file" in rep.summary_text()
    assert rep.to_json()["orphan_actor_lines"] == [4]
