"""Tests of the actor catalog (sim.catalog) and its build script."""

from __future__ import annotations

import builtins
import dataclasses
import hashlib
import io
import json
import pathlib
import subprocess
import sys
import time

import numpy as np
import pytest

import sim.catalog.catalog as catmod
from sim.catalog import AllianceRecord, Catalog, StateRecord, load_catalog
from sim.errors import CatalogError, FlashpointError

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
PKG = REPO / "sim"


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


def pair(recs: list[AllianceRecord], a: str, b: str) -> AllianceRecord | None:
    for r in recs:
        if {r.a, r.b} == {a, b}:
            return r
    return None


# --- coverage and state-years ---------------------------------------------------------------


def test_coverage(cat):
    assert (cat.first_year, cat.last_year, cat.atop_last_year) == (1816, 2022, 2018)
    assert load_catalog() is cat
    codes = cat.codes(2022)
    assert codes == sorted(codes) and len(codes) == 195
    assert {"USA", "RUS", "PRK", "ROK", "JPN", "CHN", "UKR", "CUB"} <= set(codes)
    assert "GFR" not in codes and "AUH" not in codes
    assert {"GMY", "AUH", "RUS", "UKG", "FRN", "ITA", "BEL", "YUG"} <= set(cat.codes(1914))


@pytest.mark.parametrize(
    "code,year,cinc,tol",
    [
        ("CHN", 2022, 0.234, 0.0006),
        ("USA", 2022, 0.124, 0.0006),
        ("RUS", 2022, 0.038, 0.0006),
        ("JPN", 2022, 0.025, 0.0006),
        ("ROK", 2022, 0.020, 0.0006),
        ("PRK", 2022, 0.014, 0.0006),
        ("UKR", 2022, 0.0086, 0.0001),
        ("CUB", 2022, 0.0011, 0.0001),
        ("GMY", 1913, 0.143, 0.0006),
        ("RUS", 1913, 0.116, 0.0006),
        ("UKG", 1913, 0.113, 0.0006),
        ("FRN", 1913, 0.068, 0.0006),
        ("AUH", 1913, 0.045, 0.0006),
        ("ITA", 1913, 0.034, 0.0006),
        ("USA", 1962, 0.210, 0.0006),
        ("RUS", 1962, 0.176, 0.0006),
        ("CUB", 1962, 0.004, 0.0006),
    ],
)
def test_cinc_matches_cases(cat, code, year, cinc, tol):
    assert cat.state(code, year).cinc == pytest.approx(cinc, abs=tol)


def test_cinc_shares_sum_near_one(cat):
    # COW averages each state's shares over its non-missing components, so yearly sums run
    # 1.00-1.08 in the 19th century (documented in docs/data.md); recent years are ~1.
    for year in (1816, 1860, 1914, 1962):
        total = sum(r.cinc for r in cat.states(cat.codes(year), year))
        assert 0.99 < total < 1.08
    assert sum(r.cinc for r in cat.states(cat.codes(2022), 2022)) == pytest.approx(1, abs=0.01)


def test_state_record_fields(cat):
    r = cat.state("prk", 2022)
    assert isinstance(r, StateRecord)
    assert (r.code, r.ccode, r.name, r.year) == ("PRK", 731, "North Korea", 2022)
    assert r.capital == "Pyongyang" and r.lat == pytest.approx(39.0, abs=0.2)
    assert r.nuclear and not r.major_power
    assert r.sipri_milex_usd_m is None  # SIPRI has no figures for North Korea
    assert r.polity2 == -10 and r.polyarchy < 0.2
    assert any("polyarchy carried forward from 2019" == f for f in r.flags)
    assert any("polity2 carried forward" in f for f in r.flags)
    assert any("major-power status carried forward from 2016" in f for f in r.flags)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.cinc = 1.0  # type: ignore[misc]
    assert cat.state("PRK", 2022) is r  # cached


def test_regime_and_un_values(cat):
    usa = cat.state("USA", 2022)
    assert usa.polyarchy > 0.7 and usa.polity2 >= 8 and usa.ideal_point > 1.5
    assert usa.sipri_milex_usd_m > 800_000
    assert cat.state("CUB", 2022).sipri_milex_usd_m is None
    assert cat.state("USA", 1945).ideal_point is None
    assert cat.state("USA", 1946).ideal_point is not None
    assert cat.state("USA", 2010).flags == ()
    # the carry-forward is capped: Germany 1990 gets no polity2 from 1944
    assert cat.state("GMY", 1990).polity2 is None


def test_major_powers(cat):
    assert cat.state("GMY", 1913).major_power
    assert not cat.state("CHN", 1949).major_power and cat.state("CHN", 1950).major_power
    assert not cat.state("RUS", 1920).major_power and cat.state("RUS", 1923).major_power
    assert cat.state("USA", 2022).major_power and not cat.state("IND", 2022).major_power


def test_nuclear_table(cat):
    assert not cat.state("PRK", 2005).nuclear and cat.state("PRK", 2006).nuclear
    assert not cat.state("USA", 1944).nuclear and cat.state("USA", 1945).nuclear
    assert cat.state("RUS", 1949).nuclear and not cat.state("RUS", 1948).nuclear
    assert cat.state("IND", 1974).nuclear and cat.state("PAK", 1998).nuclear
    isr = cat.state("ISR", 2022)
    assert isr.nuclear and any("undeclared" in f for f in isr.flags)
    assert cat.state("SAF", 1985).nuclear and not cat.state("SAF", 2000).nuclear
    assert not cat.state("JPN", 2022).nuclear and not cat.state("UKR", 2022).nuclear


def test_capitals_by_date(cat):
    assert cat.state("RUS", 1914).capital == "Saint Petersburg"
    assert cat.state("RUS", 1962).capital == "Moscow"
    assert cat.state("FRN", 1941).capital == "Vichy"
    assert cat.state("GFR", 1970).capital == "Bonn"
    bra = cat.state("BRA", 2022)  # source gives the country centroid; corrected
    assert bra.capital == "Brasilia" and bra.lat == pytest.approx(-15.79, abs=0.05)


def test_serbia_alias(cat):
    srb = cat.state("SRB", 1914)
    yug = cat.state("YUG", 1914)
    assert srb.ccode == yug.ccode == 345 and srb.cinc == yug.cinc
    assert srb.code == "SRB" and srb.name == "Serbia" and srb.cow_name == "Yugoslavia"
    assert any("alias of COW YUG" in f for f in srb.flags)
    assert cat.state("SRB", 1960).name == "Yugoslavia"
    assert cat.search("SRB")[0][0] == "SRB"


def test_states_bulk_and_speed(cat):
    codes = cat.codes(2021)
    t = time.perf_counter()
    recs = cat.states(codes, 2021)
    assert time.perf_counter() - t < 0.2
    assert [r.code for r in recs] == codes
    with pytest.raises(CatalogError) as ei:
        cat.states(["USA", "XXQ", "GFR"], 2021)
    assert "XXQ" in str(ei.value) and "GFR" in str(ei.value)


def test_load_time():
    t = time.perf_counter()
    Catalog()
    assert time.perf_counter() - t < 0.5


# --- errors -----------------------------------------------------------------------------------


def test_unknown_code_suggests(cat):
    with pytest.raises(CatalogError) as ei:
        cat.state("USR", 2022)
    msg = str(ei.value)
    assert "unknown actor code 'USR'" in msg and "Did you mean" in msg and "USA" in msg
    assert isinstance(ei.value, FlashpointError)
    with pytest.raises(CatalogError, match="UKG"):
        cat.state("GBR", 2022)  # ISO code hint
    with pytest.raises(CatalogError, match="GMY"):
        cat.state("Germany", 2000)  # a name finds the code
    assert not cat.has_state("USR", 2022) and cat.has_state("usa", 2022)


def test_code_absent_in_year(cat):
    with pytest.raises(CatalogError) as ei:
        cat.state("AUH", 2022)
    assert "1816–1918" in str(ei.value) and "not in 2022" in str(ei.value)
    with pytest.raises(CatalogError, match="GFR"):
        cat.state("GMY", 1960)
    with pytest.raises(CatalogError, match="ROK"):
        cat.state("KOR", 2022)  # COW Korea 1887-1905, ISO KOR is South Korea
    assert not cat.has_state("GMY", 1960)


def test_year_out_of_range(cat):
    with pytest.raises(CatalogError, match="2022"):
        cat.state("RUS", 2024)
    with pytest.raises(CatalogError):
        cat.codes(1700)
    with pytest.raises(CatalogError):
        cat.alliances(["RUS", "PRK"], 2024)


def test_iso_collision_flag(cat):
    aus = cat.state("AUS", 2022)
    assert aus.name == "Austria" and any("AUL" in f for f in aus.flags)


def test_search(cat):
    hits = dict(cat.search("korea"))
    assert {"PRK", "ROK", "KOR"} <= set(hits)
    assert cat.search("usa")[0] == ("USA", "United States of America")
    assert ("GMY", "Germany") in cat.search("germ")
    assert cat.search("") == []


# --- dyadic -----------------------------------------------------------------------------------

KOREA = ["RUS", "PRK", "USA", "ROK", "JPN", "CHN", "UKR", "CUB"]
JULY = ["AUH", "SRB", "GMY", "RUS", "FRN", "UKG", "BEL", "ITA"]


def test_atop_2018_korea_case(cat):
    for year in (2018, 2022):
        al = cat.alliances(KOREA, year)
        assert all(r.source_year == 2018 for r in al)
        assert pair(al, "CHN", "PRK").defense
        assert pair(al, "USA", "JPN").defense and pair(al, "USA", "ROK").defense
        rp = pair(al, "RUS", "PRK")
        assert rp.consul and not rp.defense and not rp.offense
        assert pair(al, "RUS", "CUB") is None  # no Russia-Cuba pact of any kind
        assert pair(al, "CUB", "PRK").defense
        assert pair(al, "CHN", "USA") is None or not pair(al, "CHN", "USA").defense
    assert cat.alliances(KOREA, 1990) and pair(cat.alliances(KOREA, 1990), "RUS", "PRK").defense


def test_atop_1914(cat):
    al = cat.alliances(JULY, 1914)
    assert pair(al, "GMY", "AUH").defense
    assert pair(al, "FRN", "RUS").defense
    ukg_frn = pair(al, "UKG", "FRN")
    assert ukg_frn is not None and not ukg_frn.defense  # Entente: consultation only
    assert pair(al, "SRB", "AUH") is None
    # one record per unordered pair, a before b in the caller's order, echoed codes
    keys = [(r.a, r.b) for r in al]
    assert len(keys) == len({frozenset(k) for k in keys})
    assert all(JULY.index(a) < JULY.index(b) for a, b in keys)
    assert pair(al, "GMY", "ITA").obligations[0] == "defense"


def test_contiguity(cat):
    m = cat.contiguity(KOREA, 2022)
    i = {c: k for k, c in enumerate(KOREA)}
    assert m.dtype == np.int8 and m.shape == (8, 8)
    assert (m == m.T).all() and (np.diag(m) == 0).all()
    assert m[i["USA"], i["CUB"]] != 1 and 2 <= m[i["USA"], i["CUB"]] <= 5
    assert m[i["PRK"], i["ROK"]] == 1 and m[i["RUS"], i["PRK"]] == 1
    assert m[i["CUB"], i["PRK"]] == 0
    assert m[i["RUS"], i["USA"]] == 2  # Bering Strait
    j = cat.contiguity(["GMY", "AUH", "UKG", "FRN"], 1914)
    assert j[0, 1] == 1 and j[2, 3] in (2, 3, 4)


def test_distances(cat):
    d = cat.min_distance(KOREA)
    i = {c: k for k, c in enumerate(KOREA)}
    assert np.allclose(d, d.T, equal_nan=True) and (np.diag(d) == 0).all()
    assert d[i["PRK"], i["ROK"]] == 0 and 100 < d[i["USA"], i["CUB"]] < 400
    h = cat.min_distance(["AUH", "USA"])
    assert np.isnan(h[0, 1]) and h[0, 0] == 0
    c = cat.capital_distance(["USA", "RUS", "PRK", "ROK"], 2022)
    assert c[0, 1] == pytest.approx(7840, abs=100)  # Washington-Moscow
    assert c[2, 3] == pytest.approx(195, abs=15)  # Pyongyang-Seoul
    assert (np.diag(c) == 0).all() and np.allclose(c, c.T)


def test_rivalries_and_arms_races(cat):
    riv = cat.rivalries(KOREA, 2022)
    names = {frozenset((a, b)): n for a, b, n, _types in riv}
    assert frozenset(("PRK", "ROK")) in names and frozenset(("USA", "CUB")) in names
    assert frozenset(("RUS", "UKR")) in names
    assert frozenset(("USA", "JPN")) not in names
    assert ("GMY", "UKG") in cat.arms_races(JULY, 1914)
    assert cat.arms_races(KOREA, 2022) == []
    rr = cat.rivalry_records(["PRK", "ROK"], 2022)[0]
    assert rr.end is None and rr.start == 1948


def test_unknown_code_in_dyadic_call(cat):
    with pytest.raises(CatalogError, match="Did you mean"):
        cat.contiguity(["USA", "CUBA"], 2022)


# --- provenance and packaging -----------------------------------------------------------------


def test_sources_and_manifest(cat):
    ids = {s["id"] for s in cat.sources}
    assert {
        "cow_nmc",
        "cow_contdir",
        "cshapes",
        "peacesciencer",
        "vdem",
        "polity5",
        "atop",
        "unga",
        "sipri",
        "tss",
        "grh",
        "nuclear",
    } <= ids
    for s in cat.sources:
        assert s["title"] and s["citation"] and s["url"].startswith("http") and s["terms"]
    man = cat.manifest
    assert man["script_version"] and len(man["inputs"]) >= 10
    for name, info in man["outputs"].items():
        data = (catmod.DATA_DIR / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"], name


def test_data_dir_is_inside_package():
    pkg = PKG.resolve()
    assert catmod.DATA_DIR.resolve().is_relative_to(pkg)
    src = (pkg / "catalog" / "catalog.py").read_text()
    assert "shared" not in src.replace("the shared", "")


def test_reads_no_file_outside_package(monkeypatch):
    seen: list[pathlib.Path] = []
    real_open, real_io_open = builtins.open, io.open

    def spy_open(file, *a, **k):
        if isinstance(file, (str, pathlib.Path)):
            seen.append(pathlib.Path(file).resolve())
        return real_open(file, *a, **k)

    def spy_io_open(file, *a, **k):
        if isinstance(file, (str, pathlib.Path)):
            seen.append(pathlib.Path(file).resolve())
        return real_io_open(file, *a, **k)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_io_open)
    c = Catalog()
    c.states(c.codes(2022), 2022)
    c.alliances(KOREA, 2022)
    c.contiguity(KOREA, 2022)
    c.min_distance(KOREA)
    c.rivalries(KOREA, 2022)
    c.arms_races(KOREA, 2022)
    _ = c.sources, c.manifest
    assert len(seen) >= 7
    pkg = PKG.resolve()
    outside = [p for p in seen if not p.is_relative_to(pkg)]
    assert outside == []


def test_build_is_deterministic(tmp_path):
    if not (SHARED / "PROVENANCE.md").is_file():
        pytest.skip(f"shared reference data not found at {SHARED}")
    out = tmp_path / "catalog"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "build_catalog.py"),
            "--shared",
            str(SHARED),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    shipped = sorted(p.name for p in catmod.DATA_DIR.iterdir() if p.is_file())
    built = sorted(p.name for p in out.iterdir())
    assert built == shipped
    for name in built:
        a = hashlib.sha256((out / name).read_bytes()).hexdigest()
        b = hashlib.sha256((catmod.DATA_DIR / name).read_bytes()).hexdigest()
        assert a == b, f"{name} differs from a fresh build: run scripts/build_catalog.py"
    man = json.loads((out / "MANIFEST.json").read_text())
    for fname, digest in man["inputs"].items():
        assert hashlib.sha256((SHARED / fname).read_bytes()).hexdigest() == digest
