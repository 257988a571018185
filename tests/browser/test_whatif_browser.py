"""Acceptance in a real browser: a student builds "South Korea sends arms to Ukraine" without typing YAML,
compares it with the baseline, asks why it changed, and a fresh browser opening the link sees the same.

Screenshots go to test-results/screenshots/ (see conftest.py).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.test_browser import (
    click_and_wait,
    no_exceptions,
    open_page,
    rerun_draws,
    wait_for_app_run,
)

RUNS = 200


def pick(page: Page, key: str, option: str) -> None:
    """Choose ``option`` in the selectbox or multiselect with widget key ``key`` (typing, then the listed option)."""
    box = page.locator(f".st-key-{key} input").first
    box.click()
    box.fill(option.split(" (")[0])
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def widget_key(page: Page, prefix: str, suffix: str = "") -> str:
    """The full key of the widget whose key starts with ``prefix`` (and ends with ``suffix``), once it is drawn."""
    found = page.locator(f"[class*='st-key-{prefix}']" + (f"[class*='{suffix}']" if suffix else ""))
    expect(found.first).to_be_attached()
    cls = found.first.get_attribute("class") or ""
    return next(c for c in cls.split() if c.startswith(f"st-key-{prefix}") and c.endswith(suffix))[len("st-key-"):]


def choose_event_type(page: Page, title: str, type_id: str) -> None:
    """Choose the event type, then wait for the form of that type: its widgets' keys end in ``_<type_id>``.

    The form of the previous type stays on the page until the rerun replaces it; reading its keys
    (``ev_actor_…_defense_pact``) as soon as the page looks idle waited 30 s for a widget that was gone.
    """
    pick(page, widget_key(page, "ev_type_"), title)
    rerun_draws(page, page.locator(f"[class*='st-key-ev_actor_'][class*='_{type_id}']"))


def compare_and_explain(page: Page) -> tuple[list[str], str]:
    click_and_wait(page, page.get_by_role("button", name=re.compile(rf"^Compare \({RUNS} runs each")))
    expect(page.get_by_role("heading", name="What changed, in words")).to_be_visible(timeout=120_000)
    expect(page.locator("[class*='st-key-cmp_diff'] g.trace.scatter").first).to_be_attached(timeout=30_000)
    click_and_wait(page, page.get_by_role("button", name="Explain", exact=True))
    first = page.locator(".st-key-explain_0")
    expect(first).to_contain_text(re.compile(r"Replaying the first \d+ seeds"), timeout=120_000)
    verdict_box = page.locator("[data-testid='stMarkdownContainer'] li")
    verdicts = [t.strip() for t in verdict_box.all_inner_texts() if "Under" in t]
    return verdicts, first.inner_text()


def test_a_student_builds_compares_explains_and_shares_a_what_if(page: Page, offline, shot, browser):
    open_page(page, f"/compare?scenario=korea-russia-2024&variant=baseline&seed=0&runs={RUNS}")
    expect(page.get_by_role("heading", name=re.compile("What-if builder"))).to_be_visible()
    name = page.locator(f".st-key-{widget_key(page, 'wi_name_')} input")
    name.fill("rok-arms-ukraine")
    name.press("Enter")
    wait_for_app_run(page)
    choose_event_type(page, "Arms transfer", "arms_transfer")
    pick(page, widget_key(page, "ev_actor_", "_arms_transfer"), "South Korea (ROK)")
    pick(page, widget_key(page, "ev_partners_", "_arms_transfer"), "Ukraine (UKR)")
    pick(page, widget_key(page, "ev_near_", "_arms_transfer"), "Russia (RUS)")
    amount = page.locator(f".st-key-{widget_key(page, 'ev_amount_', '_arms_transfer')} input")
    amount.fill("0.5")
    click_and_wait(page, page.get_by_role("button", name="Add this event to the what-if"))
    expect(page.get_by_text("Added: Arms transfer by South Korea")).to_be_visible()
    shot("9-whatif-added-event")
    click_and_wait(page, page.get_by_role("button", name="Save this what-if"))
    expect(page.get_by_text(re.compile("Saved “rok-arms-ukraine”"))).to_be_visible()
    assert "whatif=1." in page.url and "variant=rok-arms-ukraine" in page.url and f"runs={RUNS}" in page.url
    link = page.url
    verdicts, why = compare_and_explain(page)
    assert re.search(r"“[^”]+” \(\d+ → \d+ runs\)", why), why  # chains named, with their counts
    no_exceptions(page)
    shot("9-whatif-compared-explained")
    print(f"\npermalink: {len(link)} characters")

    fresh = browser.new_context(viewport={"width": 1400, "height": 3000})  # nothing shared but the link
    try:
        p2 = fresh.new_page()
        p2.goto(link)
        wait_for_app_run(p2)
        expect(p2.get_by_role("heading", name=re.compile("What-if builder"))).to_be_visible()
        assert "variant=rok-arms-ukraine" in p2.url and "whatif=1." in p2.url
        expect(p2.locator("[class*='st-key-cmp_']").first).to_contain_text("rok-arms-ukraine (yours)")
        verdicts2, why2 = compare_and_explain(p2)
        assert verdicts2 == verdicts
        assert why2 == why
        no_exceptions(p2)
    finally:
        fresh.close()
    assert not offline, f"the page tried to reach the network: {offline}"
