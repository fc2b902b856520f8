"""The cross-document NTREX benchmark (evals/gold/xdoc): the committed files are what build.py makes, and they hold
what the README promises. No model: the generator is stdlib only and runs in about two seconds."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

XDOC = Path(__file__).resolve().parents[2] / "evals" / "gold" / "xdoc"
SPLITS = ("dev", "test")


def _load_build():
    spec = importlib.util.spec_from_file_location("xdoc_build", XDOC / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


build = _load_build()
needs_data = pytest.mark.skipif(not (build.DEFAULT_DATA_DIR / "ntrex_en_fr_vi").is_dir(),
                                reason="../shared/data/ntrex_en_fr_vi is not beside the repo")


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def committed() -> dict[str, tuple[list[dict], list[dict]]]:
    return {s: (_jsonl(XDOC / f"{s}.corpora.jsonl"), _jsonl(XDOC / f"{s}.jsonl")) for s in SPLITS}


@pytest.fixture(scope="module")
def ntrex() -> dict[str, dict[str, list]]:
    return {s: build.load_documents(s, build.DEFAULT_DATA_DIR) for s in SPLITS}


def _doc_id(pair: str) -> str:
    return pair.split("-", 4)[4]  # xdoc-<split>-<src>-<dst>-<doc_id>


@needs_data
def test_committed_files_are_what_build_generates(tmp_path):
    assert build.main(["--out", str(tmp_path)]) == 0
    for split in SPLITS:
        for name in (f"{split}.corpora.jsonl", f"{split}.jsonl"):
            assert (tmp_path / name).read_bytes() == (XDOC / name).read_bytes(), f"{name}: run build.py"


@needs_data
def test_nothing_is_missing_or_failed():
    _, problems = build.build()
    assert not problems.missing_paraphrases, "paraphrases.jsonl lacks sentences the generator picks"
    assert not problems.failed_edits, "an edit found nothing to change: add a reviewed row to edits.jsonl"


def test_every_quote_occurs_once_in_its_document(committed):
    for corpora, claims in committed.values():
        texts = {d["id"]: d["text"] for d in corpora}
        for claim in claims:
            assert texts[claim["document"]].count(claim["quote"]) == 1, claim["id"]


def test_ids_and_documents_are_consistent(committed):
    for split, (corpora, claims) in committed.items():
        ids = [c["id"] for c in claims]
        assert len(ids) == len(set(ids))
        by_id = {d["id"]: d for d in corpora}
        assert len(by_id) == len(corpora)
        roles = defaultdict(set)
        for doc in corpora:
            roles[doc["pair"]].add(doc["role"])
            src, dst = doc["direction"].split("-")
            assert doc["language"] == (src if doc["role"] == "original" else dst)
        assert all(r == {"original", "report"} for r in roles.values())
        for claim in claims:
            doc = by_id[claim["document"]]
            assert claim["split"] == split and doc["pair"] == claim["pair"] and doc["role"] == claim["side"]
            assert claim["id"] == f"{claim['pair']}-{claim['side']}-{claim['source_sentence'].split('#')[1]}"
            assert claim["gold"] == build.GOLD[claim["phenomenon"]]
            assert claim["source_sentence"].split("#")[0] == _doc_id(claim["pair"])


@needs_data
def test_reports_carry_at_most_40_percent_of_the_original(committed, ntrex):
    for split, (_, claims) in committed.items():
        carried = defaultdict(set)
        for claim in claims:
            if claim["side"] == "report":
                carried[claim["pair"]].add(claim["source_sentence"])
        for pair, sentences in carried.items():
            n = len(ntrex[split][_doc_id(pair)])
            assert len(sentences) <= max(1, math.floor(0.4 * n)), pair


@needs_data
def test_every_report_draw_respects_the_share(ntrex):
    for split, docs in ntrex.items():
        for direction in build.DIRECTIONS:
            for doc in docs.values():
                chosen = build.pick_report(split, direction, doc)
                assert 1 <= len(chosen) <= max(1, math.floor(build.MAX_REPORT_SHARE * len(doc)))
                assert len({s.n for s in chosen}) == len(chosen)


def test_every_direction_has_every_phenomenon(committed):
    for split, (_, claims) in committed.items():
        seen = defaultdict(set)
        for claim in claims:
            seen[claim["direction"]].add(claim["phenomenon"])
        assert set(seen) == {f"{s}-{d}" for s, d in build.DIRECTIONS}, split
        for direction, phenomena in seen.items():
            assert phenomena == set(build.PHENOMENA), (split, direction, set(build.PHENOMENA) - phenomena)


def test_sizes(committed):
    test_claims = committed["test"][1]
    assert len(test_claims) >= 1500
    per_direction = Counter(c["direction"] for c in test_claims)
    assert min(per_direction.values()) >= 150, per_direction
    assert {_doc_id(c["pair"]) for c in test_claims} == {_doc_id(d["pair"]) for d in committed["test"][0]}
    assert len({_doc_id(d["pair"]) for d in committed["test"][0]}) == 27
    assert 40 <= len({_doc_id(d["pair"]) for d in committed["dev"][0]}) <= 50
    assert min(Counter(c["direction"] for c in committed["dev"][1]).values()) >= 150


def test_dev_and_test_documents_are_disjoint(committed):
    dev = {_doc_id(d["pair"]) for d in committed["dev"][0]}
    test = {_doc_id(d["pair"]) for d in committed["test"][0]}
    assert dev and test and not dev & test


@needs_data
def test_kept_sentences_are_the_translation_and_edited_ones_differ(committed, ntrex):
    overrides = build.Overrides.load()
    for split, (_, claims) in committed.items():
        for claim in claims:
            doc_id, n = claim["source_sentence"].split("#")
            sentence = ntrex[split][doc_id][int(n) - 1]
            assert sentence.n == int(n)
            src, dst = claim["direction"].split("-")
            if claim["side"] == "original":
                assert claim["quote"] == sentence.text[src]  # the original is NTREX as is
                continue
            base = sentence.text[dst] if src != dst else overrides.paraphrases[(split, doc_id, int(n), dst)]
            if claim["phenomenon"] == "kept":
                assert claim["quote"] == base, claim["id"]
            elif claim["phenomenon"] == "denial":
                assert build.denial_content(base, dst, Counter()).lower()[1:] in claim["quote"].lower()
            else:
                assert claim["quote"] != base, claim["id"]


def test_same_language_reports_never_copy_the_original_verbatim(committed):
    for corpora, claims in committed.values():
        texts = {d["id"]: d["text"] for d in corpora}
        for claim in claims:
            src, dst = claim["direction"].split("-")
            if claim["side"] == "report" and src == dst:
                original = texts[claim["pair"] + "-original"]
                assert claim["quote"] not in original, claim["id"]


def test_paraphrases_keep_figures_and_are_rewordings():
    for row in _jsonl(XDOC / "paraphrases.jsonl"):
        assert row["lang"] in build.LANGS and row["split"] in SPLITS and row["text"].strip()
    keys = [(r["split"], r["doc_id"], r["sentence_in_doc"], r["lang"]) for r in _jsonl(XDOC / "paraphrases.jsonl")]
    assert len(keys) == len(set(keys))


@needs_data
def test_paraphrases_differ_from_their_source_and_keep_its_figures(ntrex):
    for row in _jsonl(XDOC / "paraphrases.jsonl"):
        source = ntrex[row["split"]][row["doc_id"]][row["sentence_in_doc"] - 1].text[row["lang"]]
        assert row["text"] != source, row
        figures = {build.digits(m.group(0)) for m in build.NUMBER.finditer(source)}
        assert figures <= {build.digits(m.group(0)) for m in build.NUMBER.finditer(row["text"])}, row


def test_edit_rules_on_examples():
    en = "Sims, 20, was shot and killed near Southern University's campus early Friday."
    assert build.edit_figure(en, en) == "Sims, 60, was shot and killed near Southern University's campus early Friday."
    assert build.edit_figure("voters aged 18 to 29", "voters aged 18 to 29") == "voters aged 18 to 69"
    assert build.edit_figure('"60 Minutes" asked', '"60 Minutes" asked') is None  # a name's number
    assert build.edit_figure("a 2-2 draw", "a 2-2 draw") is None  # a score
    assert build.edit_date("samedi à Stamford Bridge", "fr", "on Saturday at Stamford Bridge") == \
        "mardi à Stamford Bridge"
    assert build.edit_date("vào thứ Bảy tại sân", "vi", "on Saturday at") == "vào thứ Ba tại sân"
    assert build.edit_date("told The Sunday Telegraph", "en", "told The Sunday Telegraph") is None
    assert build.edit_negation("The boy was airlifted to hospital.", "en") == "The boy was not airlifted to hospital."
    assert build.edit_negation("Il a plaidé non coupable.", "fr") == "Il n’a pas plaidé non coupable."
    assert build.edit_negation("Hắn đã không nhận tội.", "vi") == "Hắn đã nhận tội."
    assert build.edit_negation("Mayorga a également affirmé qu’elle était là.", "fr") == \
        "Mayorga a également affirmé qu’elle n’était pas là."  # what was said, not the saying
    assert build.is_speaker("Lee", "Doubling funding could help, Lee told CNBC in an interview.")
