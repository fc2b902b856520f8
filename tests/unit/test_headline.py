"""A document's title defaults to its headline: the first non-empty line, when it reads like one (en, fr, vi)."""

from __future__ import annotations

import pytest

from service.bootstrap import open_factchecker
from service.models import CheckIn, DocumentIn
from service.pipeline.prepare import headline
from service.settings import Settings
from tests.support import SEEDS
from tests.support.fakes import HashingEmbedder

BODY = "\n\nThe first paragraph of the article follows here, with its facts and figures.\n"

HEADLINES = [
    # English
    ("Meta invests $14.3 billion in Scale AI", "en: a plain headline"),
    ("Will Meta's bet on Scale AI pay off?", "en: a question"),
    ("U.S. regulators open an inquiry into Meta's AI hiring", "en: an abbreviation is not a sentence break"),
    ("3 things to know about the AI talent war", "en: starting with a digit"),
    ("BREAKING: Meta hires Scale AI's chief executive", "en: all capitals, a colon inside"),
    ("Meta hires Alexandr Wang...", "en: an ellipsis"),
    # French
    ("Les premiers grands gagnants de la course à l'IA surhumaine : des humains aux rémunérations multi-millions",
     "fr: the seed's headline, a spaced colon inside"),
    ("« Nous n'avons rien offert », affirme Meta", "fr: opening with guillemets"),
    ("Pourquoi Meta investit 14,3 milliards de dollars dans Scale AI ?", "fr: a question with a spaced mark"),
    # Vietnamese (one syllable per space-separated word)
    ("Meta đầu tư 14,3 tỷ USD vào Scale AI", "vi: a plain headline"),
    ("Vì sao các kỹ sư hàng đầu của Meta chuyển sang xAI của Elon Musk?", "vi: a question"),
    ("Đại chiến nhân tài AI: Meta chi hàng tỷ USD để chiêu mộ các nhà nghiên cứu hàng đầu thế giới",
     "vi: a long headline of 22 syllables"),
]

NOT_HEADLINES = [
    ("Meta invested $14.3 billion in Scale AI, the company said on Thursday.", "en: a sentence (full stop)"),
    ("Meta invested heavily. Analysts were surprised by the size of the deal", "en: two sentences"),
    ("Meta a investi 14,3 milliards de dollars dans Scale AI, selon un communiqué publié jeudi.",
     "fr: a sentence"),
    ("Meta đã đầu tư 14,3 tỷ USD vào Scale AI, theo thông báo của công ty.", "vi: a sentence"),
    ("Here is what the company said:", "en: an introduction"),
    ("and then the company said it would hire more researchers", "en: starts in lower case (a continuation)"),
    ("https://example.com/2025/06/meta-scale-ai", "an address"),
    ("- Meta invests in Scale AI", "a list item"),
    ("1. Meta invests in Scale AI", "a numbered list item"),
    ("30/11/2026 14:05", "a date line: mostly digits"),
    ("image.png", "one word"),
    ("Meta " + "invests and hires and spends " * 12, "too long"),
]


@pytest.mark.parametrize("line,why", HEADLINES, ids=[w for _, w in HEADLINES])
def test_a_first_line_that_reads_like_a_headline_is_the_title(line, why):
    assert headline(f"\n  {line}  {BODY}") == line


@pytest.mark.parametrize("line,why", NOT_HEADLINES, ids=[w for _, w in NOT_HEADLINES])
def test_a_first_line_that_does_not_read_like_one_gives_no_title(line, why):
    assert headline(line + BODY) is None


def test_a_one_line_text_is_a_statement_not_a_title():
    assert headline("Meta invests $14.3 billion in Scale AI") is None
    assert headline("Meta invests $14.3 billion in Scale AI\n\n   \n") is None


def test_a_markdown_heading_mark_is_not_part_of_the_title():
    assert headline("# Meta invests $14.3 billion in Scale AI" + BODY) == "Meta invests $14.3 billion in Scale AI"


def test_the_seeds():
    by_name = {p.name[:3]: headline(p.read_text("utf-8")) for p in SEEDS}
    assert by_name["000"].startswith("Les premiers grands gagnants de la course à l'IA surhumaine")
    assert by_name["002"] is None  # it opens with a paragraph of three sentences


def test_a_caller_title_wins_and_a_missing_or_blank_one_becomes_the_headline(tmp_path):
    checker = open_factchecker(Settings(data_dir=tmp_path, _env_file=None), embedder=HashingEmbedder())
    body = "\n\nMeta said on Thursday that it had invested {} billion dollars in Scale AI."
    titled, _ = checker.ingest(DocumentIn(text="Meta invests in Scale AI" + body.format(1), title="Desk title"))
    untitled, _ = checker.ingest(DocumentIn(text="Meta invests in Scale AI" + body.format(2)))
    blank, _ = checker.ingest(DocumentIn(text="Meta invests in Scale AI" + body.format(3), title="  "))
    plain, _ = checker.ingest(DocumentIn(text=body.format(4).strip()))
    assert (titled.title, untitled.title, blank.title, plain.title) == (
        "Desk title", "Meta invests in Scale AI", "Meta invests in Scale AI", None)
    listed = {d.id: d.title for d in checker.list_documents(10, None)[0]}
    assert listed[untitled.id] == "Meta invests in Scale AI"
    checked = checker.check(CheckIn(text="Scale AI gets Meta's money" + body.format(5)))
    assert checked.documents[0].title == "Scale AI gets Meta's money"
    checker.close()
