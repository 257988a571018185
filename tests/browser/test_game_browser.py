"""The classroom game in a real browser: an instructor and two teams play a short game.

Three browser contexts (instructor, team ROK, team PRK) against `streamlit run` on a data directory
of the test's own: a refused claim of another team's state, a decision with the model's advice, an
inject, a server restart in the middle (the game resumes, the submitted decision is kept), a turn
that the timer resolves with the model's choice, the debrief and its HTML and CSV export, and a
team link tried on another game (refused). Screenshots go to test-results/screenshots/ and, with
FLASHPOINT_DOC_SHOTS=1, to docs/img/ (the figures of docs/classroom.md); the measured times to
test-results/game-timing.json.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import _free_port, stop_server, to_docs

ROOT = Path(__file__).resolve().parents[2]
APP = "[data-testid='stApp']"
FOUNDING_TITLE = "North Korea–Russia pact and Russian warships in Havana (June 2024)"


class Server:
    """`streamlit run app.py` on a fixed port and data directory, which can be killed and restarted."""

    def __init__(self, data: Path, log: Path) -> None:
        self.port = _free_port()
        self.data, self.log = data, log
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "FLASHPOINT_DATA_DIR": str(self.data), "PYTHONPATH": str(ROOT)}
        env.pop("FLASHPOINT_DB_URL", None)
        fh = open(self.log, "a")  # noqa: SIM115 — kept open for the server's life
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(self.port), "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--client.showErrorDetails", "full"],
            cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(self.log.read_text())
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("streamlit not healthy after 60 s:\n" + self.log.read_text())

    def kill(self) -> None:
        if self.proc is not None:
            stop_server(self.proc, abrupt=True)  # SIGKILL to the server's own group: an abrupt stop, as a crash
            self.proc = None


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path / "data", tmp_path / "server.log")
    s.start()
    yield s
    s.kill()


def idle(page: Page, timeout: int = 90_000) -> None:
    page.locator(f"{APP}[data-test-connection-state='CONNECTED']").wait_for(state="attached", timeout=timeout)
    page.locator(f"{APP}[data-test-script-state='notRunning']").wait_for(state="attached", timeout=timeout)


def click(page: Page, locator) -> None:
    try:
        locator.click()
    except Exception:
        page.screenshot(path=str(ROOT / "test-results" / "game-failure.png"))
        raise
    try:
        page.locator(f"{APP}[data-test-script-state='running']").wait_for(state="attached", timeout=1_500)
    except Exception:  # noqa: BLE001 — a fast rerun may never show 'running'
        pass
    idle(page)


def choose(page: Page, key: str, option: str) -> None:
    """Pick ``option`` in the selectbox with widget key ``key``."""
    box = page.locator(f".st-key-{key} [role='combobox']")
    for attempt in range(6):  # a rerun of the page (another team's move) may close the list: open it again
        expect(box).to_be_enabled()
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            break
        except Exception:  # noqa: BLE001
            if attempt == 5:
                raise
    idle(page)
    expect(box).to_have_value(option)


def text(page: Page, pattern: str):
    return page.get_by_test_id("stText").filter(has_text=re.compile(pattern))


def no_exceptions(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def shot(page: Page, name: str) -> None:
    """A screenshot in test-results/screenshots/; with FLASHPOINT_DOC_SHOTS=1 also docs/img/ (the docs' figures)."""
    path = ROOT / "test-results" / "screenshots" / f"game-{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    to_docs(path)


def test_a_short_game_with_an_instructor_and_two_teams(browser, server, tmp_path):
    timing: dict[str, float] = {}
    ctx = {k: browser.new_context(viewport={"width": 1280, "height": 1700}, accept_downloads=True)
           for k in ("instructor", "rok", "prk")}
    inst, rok, prk = (ctx[k].new_page() for k in ("instructor", "rok", "prk"))
    for p in (inst, rok, prk):
        p.set_default_timeout(90_000)
    expect.set_options(timeout=30_000)  # a loaded 2-core machine: first runs of a page take seconds

    try:
        _play(server, ctx, inst, rok, prk, timing)
    except Exception:
        out = ROOT / "test-results"
        out.mkdir(exist_ok=True)
        for name, p in (("inst", inst), ("rok", rok), ("prk", prk)):
            p.screenshot(path=str(out / f"game-failure-{name}.png"))
        (out / "game-failure-server.log").write_text(server.log.read_text())
        raise
    out = ROOT / "test-results"
    out.mkdir(exist_ok=True)
    (out / "game-timing.json").write_text(json.dumps(timing, indent=2))
    for c in ctx.values():
        c.close()


def _play(server, ctx, inst, rok, prk, timing) -> None:
    # ---- the instructor starts a game on the founding case
    inst.goto(f"{server.url}/game-console")
    idle(inst)
    choose(inst, "ng_scenario", FOUNDING_TITLE)
    click(inst, inst.get_by_role("button", name="Start the game"))
    expect(inst.get_by_role("heading", name="Instructor console")).to_be_visible()
    inst.wait_for_url(re.compile(r"[?&]key="))
    q = parse_qs(urlparse(inst.url).query)
    code, key = q["game"][0], q["key"][0]
    assert len(code) >= 16 and len(key) >= 24

    # ---- two teams open the join page; PRK is claimed first, a stale claim of PRK is refused
    for p in (rok, prk):
        p.goto(f"{server.url}/game-team?game={code}")
        idle(p)
    choose(prk, "j_state", "PRK")
    prk.locator(".st-key-j_name input").fill("Pyongyang")
    click(prk, prk.get_by_role("button", name="Join"))
    expect(prk.get_by_role("heading", name="You are PRK")).to_be_visible()
    choose(rok, "j_state", "PRK")  # still free on ROK's page, taken meanwhile
    rok.locator(".st-key-j_name input").fill("Seoul")
    click(rok, rok.get_by_role("button", name="Join"))
    expect(rok.get_by_text("Refused: PRK is played by another team")).to_be_visible()
    choose(rok, "j_state", "ROK")
    click(rok, rok.get_by_role("button", name="Join"))
    expect(rok.get_by_role("heading", name="You are ROK")).to_be_visible()
    rok.wait_for_url(re.compile(r"[?&]team="))
    rok_token = parse_qs(urlparse(rok.url).query)["team"][0]

    # ---- turn 1: ROK asks the model, then both decide; the turn resolves at the last submission
    click(rok, rok.get_by_role("button", name="What would the model do here, and why?"))
    expect(text(rok, r"^The model's ROK would: ")).to_be_visible()
    expect(rok.get_by_text(re.compile(r"^ROK (\(|holds)")).first).to_be_visible()  # and why
    choose(rok, "d_action", "threaten — Threaten to use military force")
    choose(rok, "d_target", "PRK")
    rok.locator(".st-key-d_why textarea").fill("Deterrence: <b>show</b> resolve early.")
    click(rok, rok.get_by_role("button", name="Submit decision"))
    expect(text(rok, r"Submitted: threaten → PRK")).to_be_visible()
    shot(rok, "team")
    choose(prk, "d_action", "show force — Demonstrate military power")
    choose(prk, "d_target", "ROK")
    t0 = time.perf_counter()
    click(prk, prk.get_by_role("button", name="Submit decision"))
    expect(text(rok, r"^Turn 2 ")).to_be_visible(timeout=20_000)  # the other team sees the new turn
    timing["submit_to_other_team_sees_turn_2_s"] = time.perf_counter() - t0
    expect(text(prk, r"^Turn 2 ")).to_be_visible(timeout=10_000)
    expect(text(inst, r"^Turn 2 ")).to_be_visible(timeout=10_000)

    # ---- the instructor injects an event through the form (an incomplete one is refused on its field)
    inst.get_by_text("Inject an event").click()
    choose(inst, "inj_type", "Statement")
    choose(inst, "inj_statement_actor", "PRK")
    click(inst, inst.get_by_role("button", name="Inject at the next step"))
    expect(inst.get_by_text(re.compile("^targets: "))).to_be_visible()  # no addressee
    inst.locator(".st-key-inj_statement_targets [role='combobox']").click()
    inst.get_by_role("option", name="JPN", exact=True).click()
    inst.keyboard.press("Escape")
    idle(inst)
    expect(inst.locator(".st-key-inj_statement_targets")).to_contain_text("JPN")
    choose(inst, "inj_statement_kind", "nuclear_threat")
    click(inst, inst.get_by_role("button", name="Inject at the next step"))
    expect(inst.get_by_text("Injected: Statement by PRK at step 1.")).to_be_visible()
    shot(inst, "console")

    # ---- turn 2: ROK submits; the server is killed and restarted; nothing is lost
    choose(rok, "d_action", "reassure — Express intent to de-escalate military engagement")
    choose(rok, "d_target", "PRK")
    click(rok, rok.get_by_role("button", name="Submit decision"))
    expect(text(rok, r"Submitted: reassure → PRK")).to_be_visible()
    server.kill()
    server.start()
    for p in (inst, rok, prk):
        p.reload()
        idle(p)
    expect(text(rok, r"^Turn 2 ")).to_be_visible()
    expect(text(rok, r"Submitted: reassure → PRK")).to_be_visible()
    expect(prk.get_by_role("heading", name="You are PRK")).to_be_visible()

    # ---- the instructor sets a 3-second timer: PRK does not submit, the model decides for it
    inst.get_by_text("Turn length and timer").click()
    for attempt in range(3):
        # the typed value must reach the form before its button is pressed: on a loaded machine a click
        # right after typing can submit the old value (a race of the test's speed, not of a person's)
        box = inst.locator(".st-key-t_timer input")
        box.fill("3")
        box.press("Tab")
        expect(box).to_have_value("3")
        click(inst, inst.get_by_role("button", name="Set"))
        idle(inst)
        try:  # the instructor's own status line shows the timer running down
            expect(text(inst, r"^Turn \d+ .* s left")).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    t0 = time.perf_counter()
    expect(text(rok, r"^Turn ([3-9]|\d\d) ")).to_be_visible(timeout=20_000)  # the timer resolved turn 2 (and on)
    timing["timer_3s_to_team_sees_turn_3_s"] = time.perf_counter() - t0
    expect(text(prk, r"^Turn ([3-9]|\d\d) ")).to_be_visible(timeout=10_000)
    click(inst, inst.get_by_role("button", name="Pause"))  # the timer stops
    expect(text(inst, r" · paused")).to_be_visible()
    turn = re.match(r"Turn (\d+)", text(inst, r" · paused").inner_text()).group(1)

    # ---- the projector
    proj = ctx["instructor"].new_page()
    proj.goto(f"{server.url}/game-projector?game={code}")
    idle(proj)
    expect(proj.get_by_test_id("stMetricValue").first).to_have_text(turn)
    shot(proj, "projector")
    proj.close()

    # ---- a team link tried on another game, and a guessed instructor key: refused
    other = ctx["rok"].new_page()
    other.goto(f"{server.url}/game-console")
    idle(other)
    click(other, other.get_by_role("button", name="Start the game"))
    expect(other.get_by_role("heading", name="Instructor console")).to_be_visible()
    other.wait_for_url(re.compile(r"[?&]game="))
    other_code = parse_qs(urlparse(other.url).query)["game"][0]
    other.goto(f"{server.url}/game-team?game={other_code}&team={rok_token}")
    idle(other)
    expect(other.get_by_text("Refused: this team link does not belong to this game")).to_be_visible()
    expect(other.get_by_test_id("stDataFrame")).to_have_count(0)
    other.goto(f"{server.url}/game-debrief?game={code}&key=guess")
    idle(other)
    expect(other.get_by_text("Refused: this instructor key does not open this game")).to_be_visible()
    other.close()

    # ---- the debrief and its export
    inst.goto(f"{server.url}/game-debrief?game={code}&key={key}")
    idle(inst)
    inst.locator(".st-key-db_runs input").fill("100")
    inst.keyboard.press("Enter")
    idle(inst)
    click(inst, inst.get_by_role("button", name="Build the debrief"))
    expect(inst.get_by_text(re.compile(r"Your crisis \(.+\) reached rung \d+ .*; \d+% of 100 model runs"))).to_be_visible(timeout=120_000)
    expect(inst.locator(".st-key-db_chart .js-plotly-plot g.trace").first).to_be_attached(timeout=30_000)
    shot(inst, "debrief")
    with inst.expect_download() as dl:
        inst.get_by_role("button", name="Download the report (HTML)").click()
    report = Path(dl.value.path()).read_text("utf-8")
    assert "<h1>Debrief:" in report and "&lt;b&gt;show&lt;/b&gt;" in report and "<b>show</b>" not in report
    with inst.expect_download() as dl:
        inst.get_by_role("button", name="Download every decision (CSV)").click()
    rows = Path(dl.value.path()).read_text("utf-8").splitlines()
    assert rows[0].startswith("turn,step,state,team,source,moves,rationale,model_moves")
    assert any(",ROK,Seoul,team,threaten → PRK,Deterrence" in r for r in rows)
    assert any(",ROK,Seoul,team,reassure → PRK," in r for r in rows)  # the decision made before the restart
    assert any(",PRK,Pyongyang,model," in r for r in rows)  # the timer's default
    for p in (inst, rok, prk):
        no_exceptions(p)
