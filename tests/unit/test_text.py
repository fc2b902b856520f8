from service.analysis.text import detect_language, normalise, paragraphs, sentences
from tests.support import SEEDS


def test_sentence_offsets_index_the_normalised_text():
    for path in SEEDS:
        text = normalise(path.read_text(encoding="utf-8"))
        found = sentences(text)
        assert len(found) > 20
        for s in found:
            assert text[s.start : s.end] == s.text


def test_abbreviations_and_decimals_do_not_end_sentences():
    found = sentences("Dr. Smith said U.S. GDP grew 2.5% in 2023. It was fine! Next one?")
    assert [s.text for s in found] == ["Dr. Smith said U.S. GDP grew 2.5% in 2023.", "It was fine!", "Next one?"]


def test_language_per_paragraph_in_the_mixed_seed():
    text = normalise(SEEDS[0].read_text(encoding="utf-8"))
    languages = [p.language for p in paragraphs(text)]
    assert languages[:2] == ["fr", "en"]
    assert "vi" in languages and languages.index("vi") > languages.index("fr")
    assert languages[-1] == "vi"


def test_detect_language():
    assert detect_language("Meta a investi 14 milliards de dollars dans Scale AI.") == "fr"
    assert detect_language("Meta invested $14 billion in the startup, the company said.") == "en"
    assert detect_language("Meta đã đầu tư 14,3 tỷ USD vào Scale AI.") == "vi"
    assert detect_language("1234 !!") == "und"


def test_normalise_composes_and_unifies_newlines():
    assert normalise("\ufeffe\u0301\r\nx") == "é\nx"
