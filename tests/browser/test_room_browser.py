"""In the room: presentation mode at a projector's 1280×720 and the printed handout (chromium's own PDF).

Saves test-results/screenshots/present-*.png, handout-page1.png and test-results/handout.pdf; with
FLASHPOINT_DOC_SHOTS=1 also copies them to docs/img/ (the figures of docs/app.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.browser.conftest import to_docs
from tests.browser.test_browser import click_and_wait, no_exceptions, wait_for_app_run

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-results"
QUERY = "scenario=korea-russia-2024&variant=no-pact&seed=0&runs=100"


def test_presentation_mode_is_readable_at_1280x720(browser: Browser, base_url, offline):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=base_url)
    page = ctx.new_page()
    try:
        page.goto(f"/present?{QUERY}")
        wait_for_app_run(page)
        expect(page.get_by_role("heading", name=re.compile("North Korea–Russia pact"))).to_be_visible()
        assert page.evaluate("document.querySelector('[data-testid=stSidebar]') === null || "
                             "getComputedStyle(document.querySelector('[data-testid=stSidebar]')).display === 'none'")
        (OUT / "screenshots").mkdir(parents=True, exist_ok=True)
        shots = [("question", None)] + [(s, k) for s, k in (("How likely?", "present_bars"), ("Over time", "present_fan"),
                                                                 ("Compared with the baseline", "present_diff"))]
        for slide, key in shots:
            if key is not None:
                click_and_wait(page, page.get_by_text(slide, exact=True))
                chart = page.locator(f".st-key-{key} .js-plotly-plot")
                expect(chart.locator("g.trace, g.barlayer").first).to_be_attached(timeout=60_000)
                box = chart.bounding_box()
                assert box and box["y"] + box["height"] <= 720 + 1, "the chart does not fit on the projector"
                sizes = page.evaluate(f"""[...document.querySelectorAll('.st-key-{key} .main-svg text')]
                    .filter(t => t.textContent.trim() && t.getBBox().width > 0)
                    .map(t => [t.textContent, parseFloat(getComputedStyle(t).fontSize)])""")
                small = [t for t, size in sizes if size < 16]
                assert sizes and not small, f"labels too small for a projector: {small}"
                assert page.locator(f".st-key-{key} g.legend g.traces").count() <= 4
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280
            name = "present-" + re.sub(r"[^a-z]+", "-", slide.lower()).strip("-")
            page.screenshot(path=str(OUT / "screenshots" / f"{name}.png"))
            to_docs(OUT / "screenshots" / f"{name}.png")
        no_exceptions(page)
    finally:
        ctx.close()
    assert not offline, f"the page tried to reach the network: {offline}"


def test_the_handout_prints_to_a_clean_pdf(page, offline):
    page.goto(f"/classroom?{QUERY}")
    wait_for_app_run(page)
    click_and_wait(page, page.get_by_role("button", name=re.compile(r"^Make the handout")))
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download the handout (HTML, print it)").click()
    html = Path(dl.value.path()).read_text("utf-8")
    assert "<script" not in html.lower() and "Discussion questions" in html
    printed = page.context.new_page()
    printed.set_content(html)
    expect(printed.get_by_role("heading", name="What the model gives")).to_be_visible()
    assert printed.locator("table tbody tr").count() >= 5
    OUT.mkdir(exist_ok=True)
    pdf = printed.pdf(path=str(OUT / "handout.pdf"), format="A4", print_background=True)
    assert pdf[:5] == b"%PDF-" and len(pdf) > 10_000
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 4, pages
    to_docs(OUT / "handout.pdf")
    printed.emulate_media(media="print")
    printed.set_viewport_size({"width": 794, "height": 1123})
    (OUT / "screenshots").mkdir(parents=True, exist_ok=True)
    printed.screenshot(path=str(OUT / "screenshots" / "handout-page1.png"))
    to_docs(OUT / "screenshots" / "handout-page1.png")
    assert not offline, f"the page tried to reach the network: {offline}"
