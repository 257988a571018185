"""The app in a real browser (Debian's chromium via pytest-playwright), with no network but the app.

Each test saves a screenshot under test-results/screenshots/. The 200-run ensemble test also writes
its click-to-charts time to test-results/app-timing.json (reported in docs/performance.md).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

ROOT = Path(__file__).resolve().parents[2]

APP = "[data-testid='stApp']"
IDLE = f"{APP}[data-test-script-state='notRunning']"
RUNNING = f"{APP}[data-test-script-state='running']"
#: An element that the current rerun has not drawn again yet (Streamlit greys it out).
STALE = "[data-testid='stElementContainer'][data-stale='true']"
FOUNDING = "scenario=korea-russia-2024&variant=baseline&seed=0"
DATA_GRID = "[data-testid='stDataFrame'] canvas[data-testid='data-grid-canvas']"
#: True once the ensemble's charts are drawn visibly and its outcome table has appeared.
ENSEMBLE_SHOWN = """({tablesBefore, grid}) => ['fan_level', 'fan_tension', 'heatmap'].every(k => {
    const gd = document.querySelector(`.st-key-${k} .js-plotly-plot`);
    return gd && gd.querySelector('g.trace, g.hm, image') && gd.offsetHeight > 0 && getComputedStyle(gd).visibility !== 'hidden';
  }) && document.querySelectorAll(grid).length > tablesBefore"""


def wait_for_app_run(page: Page, timeout: int = 60_000) -> None:
    """Streamlit's own e2e recipe: socket CONNECTED, script notRunning, no skeletons and no stale elements left.

    This cannot tell a rerun that has not *started* yet (the server is slow to answer under load) from
    one that has finished: after an action whose rerun draws something new, wait for that content
    (see ``rerun_draws``) rather than for idle alone.
    """
    page.locator(f"{APP}[data-test-connection-state='CONNECTED']").wait_for(state="attached", timeout=timeout)
    page.locator(IDLE).wait_for(state="attached", timeout=timeout)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)
    expect(page.locator(STALE)).to_have_count(0, timeout=timeout)


def rerun_draws(page: Page, drawn: Locator, timeout: int = 60_000) -> None:
    """Wait until the rerun triggered by the last action has drawn ``drawn`` and finished.

    ``drawn`` must be something only the new run shows (a widget keyed on the new choice, a result):
    reading the page as soon as it is idle may read the previous run when the rerun has not started.
    """
    expect(drawn.first).to_be_attached(timeout=timeout)
    wait_for_app_run(page, timeout)


def click_and_wait(page: Page, target: Locator, timeout: int = 120_000) -> None:
    """Click, then wait for the rerun it triggers: 'running' first (if visible at all), then idle."""
    target.click()
    try:
        page.locator(RUNNING).wait_for(state="attached", timeout=1_500)
    except Exception:  # noqa: BLE001 — a very fast rerun may never show 'running'
        pass
    wait_for_app_run(page, timeout)


def open_page(page: Page, path: str) -> None:
    page.goto(path)
    wait_for_app_run(page)


def no_exceptions(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_library_loads(page: Page, offline, shot):
    open_page(page, "/")
    expect(page.get_by_role("heading", name="Scenario library")).to_be_visible()
    expect(page.get_by_text("North Korea–Russia pact and Russian warships in Havana (June 2024)").first).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("What-if & Compare")
    expect(page.get_by_test_id("stFileUploader")).to_be_visible()
    assert "scenario=korea-russia-2024" in page.url and "runs=200" in page.url
    no_exceptions(page)
    shot("1-library")
    assert not offline, f"the page tried to reach the network: {offline}"


def test_scenario_map_draws_with_no_network(page: Page, offline, shot):
    open_page(page, f"/scenario?{FOUNDING}")
    expect(page.get_by_role("heading", name="The actors")).to_be_visible()
    geo = page.locator(".st-key-map")
    # the topojson comes from /app/static/: countries and land are real SVG paths
    countries = geo.locator("g.countries path")
    expect(countries.first).to_be_attached(timeout=30_000)
    d = countries.first.get_attribute("d") or ""
    assert len(d) > 5_000, "country borders were not drawn"
    land = geo.locator("g.land path")
    expect(land.first).to_be_attached()
    assert len(land.first.get_attribute("d") or "") > 5_000
    expect(geo.locator("g.scattergeo text").filter(has_text="USA")).to_have_count(1)
    expect(page.locator(".st-key-network g.trace.scatter").first).to_be_attached()
    expect(page.locator(".st-key-timeline g.trace.scatter").first).to_be_attached()
    no_exceptions(page)
    shot("2-scenario")
    assert not offline, f"the page tried to reach the network: {offline}"


def test_running_the_founding_scenario_draws_its_charts(page: Page, offline, shot):
    open_page(page, f"/run?{FOUNDING}&runs=200")
    expect(page.get_by_role("heading", name="One run, told as a story")).to_be_visible()
    expect(page.locator(".st-key-esc_net g.trace.scatter").first).to_be_attached(timeout=30_000)
    expect(page.locator(".st-key-ladder g.trace.scatter").first).to_be_attached()
    # the click-to-charts time of a 200-replication ensemble (the result is not cached yet: the
    # server was started for this test session and no other test runs this ensemble)
    button = page.get_by_role("button", name="Run 200 replications")
    expect(page.locator(DATA_GRID).first).to_be_attached()  # the run's "climbed highest" table
    tables_before = page.locator(DATA_GRID).count()
    t0 = time.perf_counter()
    button.click()
    # polled at every animation frame: the fans and the heat map drawn where they can be seen (Streamlit
    # first draws a plotly chart hidden, then again at its measured size) and the outcome table's grid
    page.wait_for_function(ENSEMBLE_SHOWN, arg={"tablesBefore": tables_before, "grid": DATA_GRID}, timeout=180_000)
    seconds = time.perf_counter() - t0
    expect(page.locator(".st-key-fan_level g.trace.scatter").first).to_be_attached()
    expect(page.locator(".st-key-heatmap g.hm, .st-key-heatmap image").first).to_be_attached()
    wait_for_app_run(page)
    expect(page.get_by_role("button", name="Charts (HTML)")).to_be_visible()
    expect(page.get_by_text(re.compile(r"estimate \(95 % interval\)")).first).to_be_attached()
    no_exceptions(page)
    shot("3-run")
    page.locator(".st-key-fan_level").scroll_into_view_if_needed()
    shot("3-run-ensemble")
    out = ROOT / "test-results" / "app-timing.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"ensemble_runs": 200, "click_to_charts_seconds": round(seconds, 2)}, indent=2))
    print(f"\n200-run ensemble: click to charts {seconds:.1f} s")
    assert not offline, f"the page tried to reach the network: {offline}"


def test_comparing_baseline_and_a_variant_shows_differences(page: Page, offline, shot):
    open_page(page, "/compare?scenario=korea-russia-2024&variant=no-pact&seed=0&runs=60")
    expect(page.get_by_role("heading", name="Compare with the baseline")).to_be_visible()
    click_and_wait(page, page.get_by_role("button", name=re.compile(r"^Compare \(60 runs each")))
    expect(page.get_by_role("heading", name="What changed, in words")).to_be_visible(timeout=120_000)
    expect(page.locator("[class*='st-key-cmp_diff'] g.trace.scatter").first).to_be_attached(timeout=30_000)
    expect(page.locator(".st-key-cmp_fan g.trace.scatter").first).to_be_attached()
    # the verdicts name the variant and give an interval
    verdicts = page.locator("[data-testid='stMarkdownContainer'] li")
    expect(verdicts.first).to_be_visible()
    expect(page.get_by_text(re.compile(r"No pact|no-pact")).first).to_be_attached()
    no_exceptions(page)
    shot("4-compare")
    page.locator("[class*='st-key-cmp_diff']").first.scroll_into_view_if_needed()
    shot("4-compare-results")
    assert not offline, f"the page tried to reach the network: {offline}"


def test_editor_shows_a_located_error_for_broken_yaml(page: Page, offline, shot):
    open_page(page, f"/editor?{FOUNDING}")
    box = page.get_by_label("Scenario YAML")
    expect(box).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Valid: "))).to_be_visible()
    box.fill("id: broken\ntitle: [unclosed\ncalendar: {}\n")
    click_and_wait(page, page.get_by_role("heading", name="Scenario editor"))  # blur commits the text
    alert = page.get_by_test_id("stAlertContentError").first
    expect(alert).to_contain_text(re.compile(r"editor\.yaml:2:\d+: "), timeout=30_000)
    expect(page.get_by_role("button", name="Run it")).to_be_disabled()
    no_exceptions(page)
    shot("5-editor")
    assert not offline, f"the page tried to reach the network: {offline}"


def test_classroom_and_about_pages(page: Page, offline, shot):
    open_page(page, f"/classroom?{FOUNDING}&runs=30")
    expect(page.get_by_role("heading", name="Learning objectives")).to_be_visible()
    expect(page.get_by_role("heading", name="Glossary")).to_be_visible()
    click_and_wait(page, page.get_by_role("button", name="Lock in my prediction and run"))
    expect(page.get_by_test_id("stMetricValue").first).to_be_visible(timeout=120_000)
    no_exceptions(page)
    shot("6-classroom")
    open_page(page, f"/about?{FOUNDING}")
    expect(page.get_by_role("tab", name="Data sources")).to_be_visible()
    no_exceptions(page)
    shot("7-about")
    assert not offline, f"the page tried to reach the network: {offline}"


def test_a_long_ensemble_shows_progress_and_can_be_cancelled(page: Page, offline, shot):
    open_page(page, "/run?scenario=korea-russia-2024&variant=china-backs&seed=5&runs=2000")
    page.get_by_role("button", name="Run 2000 replications").click()
    bar = page.get_by_test_id("stProgress")
    expect(bar).to_be_visible(timeout=60_000)
    expect(bar).to_contain_text(re.compile(r"\d+ of 2000 runs"), timeout=60_000)
    shot("8-run-progress")
    click_and_wait(page, page.get_by_role("button", name="Cancel"))
    expect(bar).to_have_count(0, timeout=30_000)
    expect(page.get_by_role("heading", name="How likely is each outcome?")).to_have_count(0)
    expect(page.get_by_role("button", name="Run 2000 replications")).to_be_enabled()
    no_exceptions(page)
    assert not offline, f"the page tried to reach the network: {offline}"
