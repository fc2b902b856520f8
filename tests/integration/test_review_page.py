"""The review page in headless Chromium, on the seed corpus served by the real app.

Keeps screenshots as test artifacts in FACTCHECK_ARTIFACTS_DIR (default: test-artifacts/browser/ in the repo);
FACTCHECK_UPDATE_SCREENSHOTS=1 also refreshes docs/review-page*.png.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import httpx
import pytest

from service.http.app import create_app
from service.settings import Settings
from tests.support.browser import chromium
from tests.support import ROOT as REPO
from tests.support import SEEDS, open_checker
from tests.support.served import Served

pytestmark = pytest.mark.integration

ARTIFACTS = Path(os.environ.get("FACTCHECK_ARTIFACTS_DIR", REPO / "test-artifacts" / "browser"))
WAIT_S = 30  # upper bound for the page to react; a healthy run takes well under a second per step


def wait_for(predicate, what: str, timeout: float = WAIT_S):
    """Poll `predicate` until it returns something truthy; fail with `what` if it never does."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except (StaleElementReferenceException, NoSuchElementException):
            value = None  # the page re-rendered under us (a live update): look again
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def site(tmp_path_factory, embedder):
    """The app on a fresh data dir, with the seed corpus posted through the public API."""
    data_dir = tmp_path_factory.mktemp("review-data")
    app = create_app(Settings(data_dir=data_dir, _env_file=None), checker=open_checker(data_dir, embedder))
    with Served(app) as base, httpx.Client(base_url=base, timeout=300) as http:
        for path in SEEDS:
            r = http.post("/v1/documents", json={"text": path.read_text("utf-8"), "title": path.stem,
                                                  "source": f"seeds/{path.name}"})
            assert r.status_code in (200, 201), r.text
        yield base, http


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def keep_screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    if os.environ.get("FACTCHECK_UPDATE_SCREENSHOTS") == "1":
        shutil.copy(path, REPO / "docs" / name)
    return path


def pick_claim(http) -> tuple[dict, dict]:
    """A document and the claim an editor would look at first: disputed or contradicted, with evidence."""
    docs = [http.get(f"/v1/documents/{d['id']}").json() for d in http.get("/v1/documents").json()["items"]]
    rank = {"disputed": 0, "contradicted": 1, "corroborated": 2, "unverified": 3}
    candidates = [(rank[c["verdict"]], -len(c["evidence"]), i, d, c)
                  for d in docs for i, c in enumerate(d["claims"]) if c["evidence"]]
    assert candidates, "the seed corpus produced no claim with evidence"
    _, _, _, doc, claim = min(candidates, key=lambda t: t[:3])
    return doc, claim


def test_review_page_on_the_seed_corpus(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, http = site
    doc, claim = pick_claim(http)
    browser.set_window_size(1400, 1000)

    # Document list.
    browser.get(f"{base}/review")
    links = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "a.doc-link"), "the document list")
    assert sorted(a.text for a in links) == sorted(p.stem for p in SEEDS)
    keep_screenshot(browser, "review-list.png")

    # Document view: the text is intact and every highlight has its claim's verdict colour.
    next(a for a in links if a.text == doc["title"]).click()
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#doc-text mark.claim"), "highlights")
    shown = browser.execute_script("return document.getElementById('doc-text').textContent")
    assert shown == doc["text"]
    marks = browser.execute_script(
        "return [...document.querySelectorAll('#doc-text mark.claim')]"
        ".map(m => [m.dataset.claimId, m.className, m.textContent])")
    by_id = {c["id"]: c for c in doc["claims"]}
    for claim_id, classes, text in marks:
        c = by_id[claim_id]
        assert f"v-{c['verdict']}" in classes.split()
        assert text in c["quote"]
    highlighted = {m[0] for m in marks}
    spans = {(c["start"], c["end"]) for c in doc["claims"]}
    # Every claim is highlighted, except one whose exact span another claim also has.
    assert len(highlighted) >= len(spans)

    # Evidence panel of the chosen claim.
    browser.find_element(By.CSS_SELECTOR, f"#doc-text mark.claim[data-claim-id='{claim['id']}']").click()
    wait_for(lambda: browser.find_element(By.ID, "panel-body").get_attribute("data-claim-id") == claim["id"],
             "the evidence panel")
    assert browser.find_element(By.ID, "p-verdict").text == claim["verdict"]
    assert browser.find_element(By.ID, "p-text").text == claim["text"]
    cards = browser.find_elements(By.CSS_SELECTOR, "#p-evidence .ev")
    assert len(cards) == len(claim["evidence"])
    for card, ev in zip(cards, claim["evidence"]):
        assert card.get_attribute("data-stance") == ev["stance"]
        assert ev["quote"] in card.find_element(By.CSS_SELECTOR, ".ev-quote").text
        assert claim["quote"] in card.find_element(By.CSS_SELECTOR, ".ev-claim").text
        href = card.find_element(By.CSS_SELECTOR, "a.ev-link").get_attribute("href")
        assert f"#/documents/{ev['document_id']}" in href
    assert browser.find_elements(By.CSS_SELECTOR, "#p-history li.h-machine")

    # Record a review through the form.
    override = next(v for v in ("contradicted", "corroborated") if v != claim["verdict"])
    Select(browser.find_element(By.ID, "r-verdict")).select_by_value(override)
    browser.find_element(By.ID, "r-reviewer").send_keys("Test Editor")
    browser.find_element(By.ID, "r-note").send_keys("Checked against the primary source.")
    browser.find_element(By.ID, "r-submit").click()
    wait_for(lambda: browser.find_element(By.ID, "r-status").text == "Review saved.", "the saved review")
    wait_for(lambda: browser.find_element(By.ID, "p-editor").text == override, "the editor verdict badge")
    assert browser.find_element(By.ID, "p-verdict").text == claim["verdict"]  # the machine's stays visible
    stored = http.get(f"/v1/claims/{claim['id']}").json()
    assert stored["verdict"] == claim["verdict"]
    assert [(r["verdict"], r["reviewer"]) for r in stored["reviews"]] == [(override, "Test Editor")]

    # Live update: a review recorded elsewhere reaches the open page over SSE, without a reload.
    wait_for(lambda: browser.find_element(By.ID, "live").get_attribute("data-state") == "on", "the event stream")
    r = http.post(f"/v1/claims/{claim['id']}/reviews",
                  json={"verdict": claim["verdict"], "reviewer": "Second Editor", "note": "Confirmed."})
    assert r.status_code == 201
    wait_for(lambda: any("Second Editor" in li.text
                         for li in browser.find_elements(By.CSS_SELECTOR, "#p-history li.h-review")),
             "the other editor's review in the history")

    browser.execute_script("window.scrollTo(0, 0)")
    browser.set_window_size(1400, 1600)
    time.sleep(0.3)  # let the resize reflow before the screenshot
    keep_screenshot(browser, "review-page.png")

    # Evidence from another document: its link opens that document on the cited claim.
    cross = next(((c, ev) for c in doc["claims"] for ev in c["evidence"] if ev["document_id"] != doc["id"]
                  and ev["claim_id"]), None)
    if cross is not None:
        c, ev = cross
        browser.find_element(By.CSS_SELECTOR, f"#doc-text mark.claim[data-claim-id='{c['id']}']").click()
        wait_for(lambda: browser.find_element(By.ID, "panel-body").get_attribute("data-claim-id") == c["id"],
                 "the evidence panel of a claim with cross-document evidence")
        keep_screenshot(browser, "review-evidence.png")
        link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "#p-evidence a.ev-link")
                    if f"#/documents/{ev['document_id']}/" in a.get_attribute("href"))
        link.click()
        wait_for(lambda: browser.find_element(By.ID, "panel-body").get_attribute("data-claim-id") == ev["claim_id"],
                 "the cited claim in the other document")
        mark = browser.find_element(By.CSS_SELECTOR, f"#doc-text mark.claim.selected[data-claim-id='{ev['claim_id']}']")
        assert mark.text in ev["quote"] or ev["quote"] in mark.text

    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe


def test_titles_and_text_are_never_parsed_as_html(browser, site):
    from selenium.webdriver.common.by import By

    base, http = site
    text = ('Meta invested $14.3 billion in Scale AI, <img src=x onerror="window.__pwned=1"> said the report. '
            '<script>window.__pwned=2</script> The deal closed in June 2025.')
    title = '<img src=x onerror="window.__pwned=3">Injected <b>title</b>'
    posted = http.post("/v1/documents", json={"text": text, "title": title})
    assert posted.status_code == 201, posted.text
    doc_id = posted.json()["id"]
    browser.get(f"{base}/review#/documents/{doc_id}")
    wait_for(lambda: browser.find_element(By.ID, "doc-title").text, "the title")
    assert browser.find_element(By.ID, "doc-title").text == title
    assert browser.execute_script("return document.getElementById('doc-text').textContent") == posted.json()["text"]
    assert not browser.find_elements(By.CSS_SELECTOR, "main img, main script, #doc-title b")
    assert browser.execute_script("return window.__pwned === undefined")
    browser.get(f"{base}/review")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "a.doc-link"), "the document list")
    assert title in [a.text for a in browser.find_elements(By.CSS_SELECTOR, "a.doc-link")]
    assert browser.execute_script("return window.__pwned === undefined")


def test_queue_lists_unreviewed_claims_and_opens_them(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, http = site
    browser.get(f"{base}/review#/queue")
    Select(wait_for(lambda: browser.find_element(By.ID, "queue-verdict"), "the queue form")).select_by_value("")
    expected = [c["id"] for c in http.get("/v1/claims?reviewed=false&limit=100").json()["items"]]
    wait_for(lambda: [li.get_attribute("data-claim-id")
                      for li in browser.find_elements(By.CSS_SELECTOR, "#queue-list li")] == expected,
             "the unreviewed claims")
    reviewed = {c["id"] for c in http.get("/v1/claims?reviewed=true&limit=200").json()["items"]}
    assert not reviewed & set(expected)
    first = browser.find_element(By.CSS_SELECTOR, "#queue-list li a")
    first.click()
    wait_for(lambda: browser.find_element(By.ID, "panel-body").get_attribute("data-claim-id") == expected[0],
             "the queued claim opened in its document")


def test_page_asks_for_a_key_when_the_api_needs_one(browser, tmp_path, embedder):
    from selenium.webdriver.common.by import By

    settings = Settings(data_dir=tmp_path, api_keys="editor-key:write", _env_file=None)
    app = create_app(settings, checker=open_checker(tmp_path, embedder))
    with Served(app) as base, httpx.Client(base_url=base, timeout=120,
                                           headers={"X-API-Key": "editor-key"}) as http:
        assert http.post("/v1/documents", json={"text": "Meta invested $14.3 billion in Scale AI.",
                                                 "title": "Keyed"}).status_code == 201
        browser.get(f"{base}/review")
        browser.execute_script("localStorage.clear()")
        browser.refresh()
        form = wait_for(lambda: browser.find_element(By.ID, "key-form").is_displayed()
                        and browser.find_element(By.ID, "key-form"), "the key form")
        browser.find_element(By.ID, "key-input").send_keys("editor-key")
        form.submit()
        links = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "a.doc-link"), "the document list")
        assert [a.text for a in links] == ["Keyed"]
        # The event stream authenticates with the same key (a header, not the URL).
        wait_for(lambda: browser.find_element(By.ID, "live").get_attribute("data-state") == "on", "the event stream")
        browser.execute_script("localStorage.clear()")
