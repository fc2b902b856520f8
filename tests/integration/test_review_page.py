"""The review page in headless Chromium, on the seed corpus served by the real app.

Keeps screenshots as test artifacts in FACTCHECK_ARTIFACTS_DIR (default: test-artifacts/browser/ in the repo);
FACTCHECK_UPDATE_SCREENSHOTS=1 also refreshes docs/review-page*.png.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from service.http.app import create_app
from service.settings import Settings
from tests.support.browser import chromium, unavailable
from tests.support import ROOT as REPO
from tests.support import SEEDS, open_checker
from tests.support.served import Served

pytestmark = pytest.mark.integration

ARTIFACTS = Path(os.environ.get("FACTCHECK_ARTIFACTS_DIR", REPO / "test-artifacts" / "browser"))
WAIT_S = 30  # upper bound for the page to react; a healthy run takes well under a second per step


def click(find, what: str) -> None:
    """Find an element and click it, again if a live update re-rendered it between the two (a stale element)."""
    def found_and_clicked() -> bool:
        find().click()
        return True

    wait_for(found_and_clicked, what)


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
        for path in SEEDS:  # no title: the page shows each one's headline, or its source when it has none
            r = http.post("/v1/documents", json={"text": path.read_text("utf-8"), "source": f"seeds/{path.name}"})
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

    # Document list: titles are headlines (the source when a text has none), every language is listed.
    listed = http.get("/v1/documents").json()["items"]
    browser.get(f"{base}/review")
    links = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "a.doc-link"), "the document list")
    assert sorted(a.text for a in links) == sorted(d["title"] or d["source"] for d in listed)
    assert any(a.text.startswith("Les premiers grands gagnants de la course") for a in links)
    langs = {r.get_attribute("data-document-id"): r.find_element(By.CSS_SELECTOR, "td.langs").text
             for r in browser.find_elements(By.CSS_SELECTOR, "#doc-rows tr")}
    assert "fr · vi · en" in langs.values()  # the bilingual seed, with its English headline
    keep_screenshot(browser, "review-list.png")

    # Document view: the text is intact and every highlight has its claim's verdict colour and basis.
    click(lambda: next(a for a in browser.find_elements(By.CSS_SELECTOR, "a.doc-link")
                       if a.text == (doc["title"] or doc["source"])), "the document's link")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#doc-text mark.claim"), "highlights")
    shown = browser.execute_script("return document.getElementById('doc-text').textContent")
    assert shown == doc["text"]
    marks = browser.execute_script(
        "return [...document.querySelectorAll('#doc-text mark.claim')]"
        ".map(m => [m.dataset.claimId, m.className, m.textContent, m.style.getPropertyValue('--strength'),"
        " getComputedStyle(m).backgroundImage])")
    by_id = {c["id"]: c for c in doc["claims"]}
    for claim_id, classes, text, strength, stripes in marks:
        c = by_id[claim_id]
        assert f"v-{c['verdict']}" in classes.split() and f"b-{c['basis'] or 'none'}" in classes.split()
        assert text in c["quote"]
        assert float(strength) == pytest.approx(c["strength"])
        assert ("gradient" in stripes) == (c["basis"] == "model" and c["verdict"] != "unverified"
                                           and c["checkworthy"])
    items = {li.get_attribute("data-claim-id"): li for li in browser.find_elements(By.CSS_SELECTOR, "#claim-list li")}
    for c in doc["claims"]:
        if c["verdict"] != "unverified":
            assert items[c["id"]].find_element(By.CSS_SELECTOR, ".basis").text == (c["basis"] or "no deciding evidence")
    highlighted = {m[0] for m in marks}
    spans = {(c["start"], c["end"]) for c in doc["claims"]}
    # Every claim is highlighted, except one whose exact span another claim also has.
    assert len(highlighted) >= len(spans)

    # Evidence panel of the chosen claim.
    click(lambda: browser.find_element(By.CSS_SELECTOR, f"#doc-text mark.claim[data-claim-id='{claim['id']}']"),
          "the chosen claim's highlight")
    wait_for(lambda: browser.find_element(By.ID, "panel-body").get_attribute("data-claim-id") == claim["id"],
             "the evidence panel")
    assert browser.find_element(By.ID, "p-verdict").text == claim["verdict"]
    assert browser.find_element(By.ID, "p-text").text == claim["text"]
    how = browser.find_element(By.ID, "p-how")
    assert how.get_attribute("data-basis") == (claim["basis"] or "none")
    if claim["basis"]:
        assert how.find_element(By.CSS_SELECTOR, ".basis").text == claim["basis"]
        assert how.find_element(By.CSS_SELECTOR, ".strength .value").text == f"{claim['strength']:.2f}"
        assert how.find_element(By.CSS_SELECTOR, ".sources").get_attribute("data-sources") == str(
            claim["independent_sources"])
    cards = browser.find_elements(By.CSS_SELECTOR, "#p-evidence .ev")
    assert len(cards) == len(claim["evidence"])
    for card, ev in zip(cards, claim["evidence"]):
        assert card.get_attribute("data-stance") == ev["stance"] and card.get_attribute("data-basis") == ev["basis"]
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
        click(lambda: browser.find_element(By.CSS_SELECTOR, f"#doc-text mark.claim[data-claim-id='{c['id']}']"),
              "the highlight of a claim with cross-document evidence")
        wait_for(lambda: browser.find_element(By.ID, "panel-body").get_attribute("data-claim-id") == c["id"],
                 "the evidence panel of a claim with cross-document evidence")
        keep_screenshot(browser, "review-evidence.png")
        click(lambda: next(a for a in browser.find_elements(By.CSS_SELECTOR, "#p-evidence a.ev-link")
                           if f"#/documents/{ev['document_id']}/" in a.get_attribute("href")), "the evidence link")
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
    wait_for(lambda: browser.find_element(By.ID, "doc-title").text == title, "the title")
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
    click(lambda: browser.find_element(By.CSS_SELECTOR, "#queue-list li a"), "the first claim of the queue")
    wait_for(lambda: browser.find_element(By.ID, "panel-body").get_attribute("data-claim-id") == expected[0],
             "the queued claim opened in its document")


def queue_ids(browser) -> list[str]:
    from selenium.webdriver.common.by import By

    return [li.get_attribute("data-claim-id") for li in browser.find_elements(By.CSS_SELECTOR, "#queue-list li")]


def test_queue_sorts_and_filters_by_how_verdicts_were_reached(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, http = site
    browser.set_window_size(1400, 1000)
    browser.get(f"{base}/review#/queue")
    form = {name: Select(wait_for(lambda n=name: browser.find_element(By.ID, f"queue-{n}"), "the queue form"))
            for name in ("verdict", "basis", "sources", "sort")}
    form["verdict"].select_by_value("")

    # "Model-decided, weakest first": the editor's first stop.
    form["basis"].select_by_value("model")
    form["sort"].select_by_value("strength")
    expected = http.get("/v1/claims", params={"reviewed": "false", "basis": "model", "sort": "strength",
                                              "limit": 100}).json()["items"]
    assert expected, "the seed corpus has no model-decided verdict"
    wait_for(lambda: queue_ids(browser) == [c["id"] for c in expected], "the model-decided claims, weakest first")
    rows = browser.find_elements(By.CSS_SELECTOR, "#queue-list li")
    strengths = [float(li.get_attribute("data-strength")) for li in rows]
    assert strengths == sorted(strengths)
    assert {li.get_attribute("data-basis") for li in rows} == {"model"}
    assert all(li.find_element(By.CSS_SELECTOR, ".basis").text == "model" for li in rows)
    assert "basis=model" in browser.current_url and "sort=strength" in browser.current_url  # shareable
    keep_screenshot(browser, "review-queue.png")

    # Rule-decided with at least one independent source, strongest first.
    form["basis"].select_by_value("rule")
    form["sources"].select_by_value("1-1")
    form["sort"].select_by_value("-strength")
    expected = http.get("/v1/claims", params={"reviewed": "false", "basis": "rule", "min_sources": 1,
                                              "max_sources": 1, "sort": "-strength", "limit": 100}).json()["items"]
    assert expected and all(c["basis"] == "rule" and c["independent_sources"] == 1 for c in expected)
    wait_for(lambda: queue_ids(browser) == [c["id"] for c in expected], "rule-decided claims with one source")

    # The address keeps the filters: a reload shows the same queue.
    browser.refresh()
    wait_for(lambda: queue_ids(browser) == [c["id"] for c in expected], "the same queue after a reload")
    assert Select(browser.find_element(By.ID, "queue-basis")).first_selected_option.get_attribute("value") == "rule"


def platform_fonts(browser, css: str) -> dict[str, int]:
    """Fonts Chromium actually drew the text of the first element matching `css` with, and their glyph counts."""
    root = browser.execute_cdp_cmd("DOM.getDocument", {"depth": 0})
    node = browser.execute_cdp_cmd("DOM.querySelector", {"nodeId": root["root"]["nodeId"], "selector": css})
    browser.execute_cdp_cmd("CSS.enable", {})
    fonts = browser.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    return {f["familyName"]: f["glyphCount"] for f in fonts}


def colourful_pixels(png: bytes, rect: dict) -> int:
    """Pixels of a screenshot region that are strongly coloured (a colour emoji has many; a tofu box none)."""
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png)).convert("RGB")
    box = (int(rect["x"]), int(rect["y"]), int(rect["x"] + rect["width"]) + 1, int(rect["y"] + rect["height"]) + 1)
    pixels = list(image.crop(box).get_flattened_data())
    background = max(set(pixels), key=pixels.count)  # a highlight's tint is not the glyph's colour
    return sum(1 for p in pixels if max(p) - min(p) > 90 and sum(abs(a - b) for a, b in zip(p, background)) > 90)


FIND_TEXT = """
const [selector, needle] = arguments;
const root = document.querySelector(selector);
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const at = node.data.indexOf(needle);
  if (at < 0) continue;
  const range = document.createRange();
  range.setStart(node, at);
  range.setEnd(node, at + needle.length);
  const before = range.getBoundingClientRect();
  window.scrollBy(0, before.top - window.innerHeight / 2);  // into the middle of the viewport, which is what is shot
  const r = range.getBoundingClientRect();
  return {x: r.x, y: r.y, width: r.width, height: r.height};
}
return null;
"""


def test_vietnamese_and_emoji_are_drawn_with_installed_fonts(browser, site):
    """The page's font stack names installed fonts that cover Vietnamese and emoji; emoji are drawn, not tofu."""
    from selenium.webdriver.common.by import By

    if not shutil.which("fc-list"):
        unavailable("fontconfig's fc-list is not installed")
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    for family, package in (("Noto Sans", "fonts-noto-core"), ("Noto Color Emoji", "fonts-noto-color-emoji")):
        if family not in families.splitlines() and not any(line.startswith(family + ",") for line in families.splitlines()):
            unavailable(f"the {family} font is not installed (apt-get install -y {package})")
    base, http = site
    docs = {d["source"]: d for d in http.get("/v1/documents").json()["items"]}
    bilingual, emoji_doc = docs["seeds/000_0b3eac2f5663073f.txt"], docs["seeds/002_b9d94d461006a54c.txt"]
    browser.set_window_size(1400, 1000)

    # Vietnamese: every glyph of the text comes from the declared text fonts (no fallback, no tofu).
    browser.get(f"{base}/review#/documents/{bilingual['id']}")
    wait_for(lambda: "tỷ USD" in browser.find_element(By.ID, "doc-text").text, "the bilingual document")
    fonts = platform_fonts(browser, "#doc-text")
    assert set(fonts) == {"Noto Sans"}, fonts

    # Emoji: the seed's bullets (🚀 💼 🌟) come from Noto Color Emoji and are drawn in colour.
    browser.get(f"{base}/review#/documents/{emoji_doc['id']}")
    wait_for(lambda: "\U0001F680" in browser.execute_script("return document.getElementById('doc-text').textContent"),
             "the document with emoji")
    fonts = platform_fonts(browser, "#doc-text")
    assert fonts.get("Noto Color Emoji", 0) >= 3 and "Noto Sans" in fonts, fonts
    drawn, deadline = 0, time.monotonic() + WAIT_S
    while drawn < 30 and time.monotonic() < deadline:  # a frame may still be on its way after the scroll
        rocket = browser.execute_script(FIND_TEXT, "#doc-text", "\U0001F680")
        assert rocket and rocket["width"] > 8, rocket
        drawn = colourful_pixels(browser.get_screenshot_as_png(), rocket)
    # The same measure on a character no installed font has (a private-use code point): a tofu box.
    browser.execute_script("const s = document.createElement('span'); s.id = 'tofu-probe';"
                           "s.textContent = '\\uE000'; document.getElementById('doc-title').append(s);")
    tofu = browser.execute_script(FIND_TEXT, "#tofu-probe", "\uE000")
    blank = colourful_pixels(browser.get_screenshot_as_png(), tofu)
    browser.execute_script("document.getElementById('tofu-probe').remove()")
    assert drawn >= 30 and blank <= 2, (drawn, blank)
    browser.execute_script(FIND_TEXT, "#doc-text", "\U0001F31F")  # the bullets, in the middle of the picture
    keep_screenshot(browser, "review-emoji.png")


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
