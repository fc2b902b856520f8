"""The linear pre-scan that bounds what the extractor is handed: it must never see a sentence shorter than the
extractor will, never count fewer sentences than there are, and must accept ordinary news in every language."""

from __future__ import annotations

import pytest

from service.analysis.text import MAX_SENTENCE_CHARS, sentences
from service.errors import InputError
from service.pipeline.prepare import Preparer
from service.pipeline.shape import ShapeLimitError, scan_shape
from service.settings import Settings
from tests.support import FIXTURES, SEEDS

ORDINARY = {
    "acronym at the end": "Meta invested $4 billion in Scale AI. " * 600,
    "percentages": "The share rose to 49%. " * 1000,
    "numbers": "The count was 350. " * 1000,
    "news": "Meta invested $14.3 billion in Scale AI. The deal closed in June. " * 300,
    "vietnamese": "Meta đã đầu tư 14,3 tỷ USD. Đây là thương vụ lớn nhất. " * 400,
    "french": "Meta a investi 14,3 milliards de dollars. L'accord a été conclu en juin. " * 300,
    "short lines": "".join(f"item {i} of the list\n" for i in range(2000)),
}
ONE_SENTENCE_TO_THE_EXTRACTOR = {
    "abbreviations": "Meta Inc. " * 3000,
    "initials": "J. K. " * 5000,
    "lower-case after a full stop": "meta grew. and then. " * 1000,
    "quoted fragments": '"Meta said" ' * 2000,
    "long unpunctuated lines": ("word " * 3000 + "\n") * 3,
}


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_text_has_short_runs(name):
    assert scan_shape(ORDINARY[name], 10**6).longest < 200


@pytest.mark.parametrize("name", ONE_SENTENCE_TO_THE_EXTRACTOR)
def test_what_the_extractor_joins_is_measured_whole(name):
    text = ONE_SENTENCE_TO_THE_EXTRACTOR[name]
    longest = max(s.end - s.start for s in sentences(text))
    assert longest > MAX_SENTENCE_CHARS // 2  # the extractor really joins a long run (it cuts at MAX_SENTENCE_CHARS)
    assert scan_shape(text, 10**6).longest >= longest


@pytest.mark.parametrize("path", [*SEEDS, *sorted(FIXTURES.glob("*.txt"))], ids=lambda p: p.name)
def test_runs_are_never_shorter_than_the_extractors_sentences(path):
    text = path.read_text(encoding="utf-8")
    shape = scan_shape(text, 10**6)
    assert shape.longest >= max(s.end - s.start for s in sentences(text))
    assert shape.sentences >= len(sentences(text))  # over-counted, so the cut is never late


def test_the_cut_keeps_whole_sentences_up_to_the_limit():
    text = "".join(f"Firm {i} hired {i} workers. " for i in range(100))
    shape = scan_shape(text, 10)
    assert shape.sentences == 100
    assert text[: shape.cut].count("Firm") == 10 and text[: shape.cut].endswith("workers.")
    assert scan_shape(text, 1000).cut == len(text)


def test_refusal_is_a_413_before_any_analysis():
    class Exploding:
        name = "exploding"

        def extract(self, text, language_hint=None):
            raise AssertionError("the extractor must not run")

    preparer = Preparer(Settings(_env_file=None, max_sentence_chars=1000), Exploding(), embedder=None)
    with pytest.raises(ShapeLimitError) as caught:
        preparer.prepare("A fine opening sentence. " + "x" * 1500)
    assert caught.value.status == 413 and caught.value.code == "text_too_complex"
    assert isinstance(caught.value, InputError)
