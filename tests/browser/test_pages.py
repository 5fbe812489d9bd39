"""The pages in a real browser: the report's charts render, evidence links land on the cited lines,
and a click in the served review records a decision that a rebuild applies."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.review.decisions import load_decisions

By = pytest.importorskip("selenium.webdriver.common.by").By
WebDriverWait = pytest.importorskip("selenium.webdriver.support.ui").WebDriverWait
StaleElement = pytest.importorskip("selenium.common.exceptions").StaleElementReferenceException
# Seconds to wait for a page to react; a rebuild of the seed articles takes a few.
WAIT_S, REBUILD_S = 10, 180


def console_errors(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def screenshot(driver, folder: Path, name: str, capsys) -> Path:
    """The whole page, for a person to look at; the path is printed even under -q."""
    height = min(driver.execute_script("return document.documentElement.scrollHeight"), 12000)
    driver.set_window_size(1280, max(height, 600))
    path = folder / f"{name}.png"
    assert driver.save_screenshot(str(path))
    driver.set_window_size(1280, 900)
    with capsys.disabled():
        print(f"\nscreenshot of {name}: {path}")
    return path


def test_the_report_renders_its_charts_without_console_errors(browser, seed_build, screenshots, capsys):
    browser.get((seed_build / "report.html").as_uri())
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) >= 11
    for chart in charts:
        assert chart.size["width"] > 100 and chart.size["height"] > 40, chart.get_attribute("aria-label")
        marks = chart.find_elements(By.CSS_SELECTOR, "rect")
        assert marks and any(m.size["width"] > 0 for m in marks), chart.get_attribute("aria-label")
    assert console_errors(browser) == []
    assert screenshot(browser, screenshots, "report", capsys).stat().st_size > 20_000


def test_an_evidence_link_opens_the_audit_page_at_the_cited_lines(browser, seed_build, screenshots, capsys):
    browser.get((seed_build / "review.html").as_uri())
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "a.evidence") if "#L" in a.get_attribute("href"))
    href = link.get_attribute("href")
    first = href.split("#L")[1].split("-")[0]
    link.click()
    WebDriverWait(browser, WAIT_S).until(lambda d: "/audit/" in d.current_url)
    assert browser.current_url == href
    block = browser.find_element(By.ID, f"L{first}")
    WebDriverWait(browser, WAIT_S).until(lambda d: "hit" in block.get_attribute("class"))
    top, bottom = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom];", block
    )
    assert top > -2 and bottom <= browser.execute_script("return window.innerHeight")  # scrolled into view
    highlighted = browser.find_elements(By.CSS_SELECTOR, ".blk.hit")
    assert highlighted and all(int(b.get_attribute("data-l1")) <= int(first) for b in highlighted[:1])
    assert console_errors(browser) == []
    screenshot(browser, screenshots, "audit", capsys)


def test_the_review_page_filters_by_kind_and_status(browser, seed_build):
    browser.get((seed_build / "review.html").as_uri() + "?kind=naming")
    shown = [s for s in browser.find_elements(By.CSS_SELECTOR, "section.conflict") if s.is_displayed()]
    naming = [c for c in pq.read_table(seed_build / "conflicts.parquet").to_pylist() if c["kind"] == "naming"]
    assert {s.get_attribute("id") for s in shown} == {c["conflict_id"] for c in naming}
    assert browser.find_element(By.ID, "filter-count").text.startswith(f"{len(naming)} of ")
    browser.find_element(By.CSS_SELECTOR, "#filter-status option[value=resolved]").click()
    assert not [s for s in browser.find_elements(By.CSS_SELECTOR, "section.conflict") if s.is_displayed()]
    assert console_errors(browser) == []


def test_a_click_in_the_served_review_is_recorded_and_a_rebuild_applies_it(browser, review_server, screenshots, capsys):
    served = review_server
    out, decisions = served.context.out_dir, served.context.decisions_path
    conflicts = pq.read_table(out / "conflicts.parquet").to_pylist()
    reference = next(c for c in conflicts if c["kind"] == "reference")
    browser.get(served.url)
    WebDriverWait(browser, WAIT_S).until(
        lambda d: "served" in d.find_element(By.TAG_NAME, "body").get_attribute("class")
    )
    section = browser.find_element(By.ID, reference["conflict_id"])
    button = section.find_element(By.CSS_SELECTOR, '.decide button[data-action="accept"]')
    assert button.text == "a accept suggestion: reject 1 fact"
    section.find_element(By.CSS_SELECTOR, "input.note").send_keys("the reference is right")
    button.click()
    recorded = section.find_element(By.CSS_SELECTOR, ".recorded")
    WebDriverWait(browser, WAIT_S).until(lambda d: recorded.text.startswith("recorded: accept"))
    assert "applies on the next build" in recorded.text
    (decision,) = load_decisions(decisions)
    assert (decision.conflict_id, decision.action, decision.note) == (
        reference["conflict_id"],
        "accept",
        "the reference is right",
    )
    # The keyboard: the outlined conflict moved on to the next undecided one; k keeps its facts.
    current = browser.find_element(By.CSS_SELECTOR, "section.conflict.current")
    browser.find_element(By.TAG_NAME, "body").send_keys("k")
    WebDriverWait(browser, WAIT_S).until(lambda d: len(load_decisions(decisions)) == 2)
    assert load_decisions(decisions)[1].conflict_id == current.get_attribute("id")
    assert load_decisions(decisions)[1].action == "not_a_conflict"
    screenshot(browser, screenshots, "review-served", capsys)
    rebuild = browser.find_element(By.ID, "rebuild")
    assert rebuild.is_displayed()
    rebuild.click()
    # The page reloads after the rebuild: an element found just before the reload goes stale.
    WebDriverWait(browser, REBUILD_S, ignored_exceptions=(StaleElement,)).until(
        lambda d: d.find_element(By.ID, reference["conflict_id"]).get_attribute("data-status") == "resolved"
    )
    after = {c["conflict_id"]: c for c in pq.read_table(out / "conflicts.parquet").to_pylist()}
    assert after[reference["conflict_id"]]["status"] == "resolved"
    assert after[reference["conflict_id"]]["decision_note"] == "the reference is right"
    # The banner is filled from /api/state once the reloaded page has asked for it.
    WebDriverWait(browser, WAIT_S, ignored_exceptions=(StaleElement,)).until(
        lambda d: "Every decision" in d.find_element(By.ID, "banner-text").text
    )
    assert console_errors(browser) == []
