"""Atomic, self-contained claims in French (spaCy's parse) and Vietnamese (pyvi's tags), and their bounds."""

from service.analysis.claims import extract_claims
from service.analysis.nlp.shape import is_fragment
from service.analysis.quantity import extract_quantities
from service.analysis.text import MAX_SENTENCE_CHARS, detect_language, sentences


def by_text(claims, start):
    return next(c for c in claims if c.text.startswith(start))


def test_french_relative_clause_is_its_own_claim_with_its_own_figure():
    claims = extract_claims("Meta a approché plus de 100 employés d'OpenAI, dont au moins 10 ont été embauchés avec "
                            "succès, selon Sam Altman.")
    approached = by_text(claims, "Meta a approché plus de 100 employés")
    hired = by_text(claims, "Au moins 10 employés d'OpenAI ont été embauchés")
    assert [q.value for q in approached.quantities] == [100]
    assert [(q.value, q.qualifier) for q in hired.quantities] == [(10, "at_least")]
    assert approached.attribution.speaker == hired.attribution.speaker == "Sam Altman"
    assert hired.self_contained and hired.checkworthy


def test_french_coordinated_verbs_share_the_subject_and_the_quote_is_exact():
    text = "La Chine considère les déserteurs comme des migrants et les rapatrie souvent de force. " \
           "Palin est placé en détention provisoire et est détenu sous caution de 500 dollars, a fait savoir KTUU."
    claims = extract_claims(text)
    assert all(text[c.start : c.end] == c.quote for c in claims)
    held = by_text(claims, "Palin est détenu sous caution")
    assert [q.value for q in held.quantities] == [500] and held.attribution.speaker == "KTUU"
    assert not by_text(claims, "Palin est placé").quantities


def test_french_apposition_and_reported_speech():
    claims = extract_claims("Mike Coupe, directeur général de Sainsbury's, a déclaré que les points de vente "
                            "ressembleront de plus en plus aux grandes surfaces.")
    assert any(c.text.startswith("Mike Coupe est directeur général de Sainsbury") for c in claims)
    content = by_text(claims, "Les points de vente ressembleront")
    assert content.attribution.speaker == "Mike Coupe"
    assert content.quote.startswith("Mike Coupe")  # the quote shows who says it


def test_french_pronouns_resolve_only_when_one_antecedent_agrees():
    claims = extract_claims("Track Palin a été arrêté samedi en Alaska. Il a plaidé non coupable aux 22 chefs "
                            "d'accusation.")
    pleaded = next(c for c in claims if "plaidé" in c.quote)
    assert pleaded.text.startswith("Track Palin a plaidé") and pleaded.self_contained
    claims = extract_claims("Au début des années 2000, Sainsbury's tenta un partenariat avec Boots, mais il prit fin "
                            "après une polémique.")
    ended = next(c for c in claims if "prit fin" in c.quote)
    assert not ended.self_contained and ended.text.startswith("Il prit fin")


def test_a_speaker_is_a_name_never_a_clause_fragment():
    claims = extract_claims("Le PDG d'OpenAI, Sam Altman, a affirmé que Meta avait offert jusqu'à 1 milliard de "
                            "dollars, mais cette affirmation a été niée par Meta.")
    offered = by_text(claims, "Meta avait offert")
    assert offered.attribution.speaker == "Sam Altman"
    denial = next(c for c in claims if "niée par Meta" in c.quote)
    assert denial.attribution.stance == "denies" and denial.attribution.speaker == "Meta"
    en = extract_claims("Meta bought a stake in Scale AI in June. The company also confirmed that it hired 40 "
                        "engineers.")
    assert next(c for c in en if "confirmed" in c.quote).attribution.speaker != "The company also"


def test_fragments_are_never_checkworthy():
    claims = extract_claims("Marc Benioff affirme que l'IA effectue déjà la moitié du travail dans son entreprise, "
                            "tout en continuant à recruter massivement pour des postes liés à l'IA.")
    gerund = next(c for c in claims if "continuant" in c.quote)
    assert not gerund.checkworthy
    assert is_fragment("Plutôt par le sens de mission de l'organisation", "fr")
    assert is_fragment("Continuant à recruter massivement pour des postes liés à l'IA", "fr")
    assert not is_fragment("Au moins 10 employés ont été embauchés", "fr")
    assert is_fragment("đã được tuyển dụng thành công", "vi")
    assert not is_fragment("Có hơn 135 loài cá mập trong khu vực.", "vi")


def test_vietnamese_two_facts_joined_by_va_are_two_claims_with_their_own_figures():
    claims = extract_claims("Meta đã tiếp cận hơn 100 nhân viên của OpenAI và ít nhất 10 người đã được tuyển dụng "
                            "thành công, theo ông Sam Altman.")
    assert [c.language for c in claims] == ["vi", "vi"]
    approached, hired = claims
    assert [q.value for q in approached.quantities] == [100]
    assert hired.text.startswith("Ít nhất 10 nhân viên của OpenAI đã được tuyển dụng")
    assert [q.value for q in hired.quantities] == [10]
    assert hired.attribution.speaker.endswith("Sam Altman")


def test_vietnamese_pronoun_and_apposition():
    claims = extract_claims("Ông Corbyn công bố một loạt các cải cách nhà ở. Ông cũng muốn trao cho các hội đồng nhiều "
                            "quyền lực hơn để xây dựng nhà mới.")
    assert by_text(claims, "Ông Corbyn cũng muốn trao").self_contained
    claims = extract_claims("Mike Coupe, giám đốc điều hành của Sainsbury’s, cho biết các quầy hàng sẽ ngày càng giống "
                            "với các cửa hàng bách hóa.")
    assert any(c.text == "Mike Coupe là giám đốc điều hành của Sainsbury’s" for c in claims)
    assert by_text(claims, "Các quầy hàng").attribution.speaker == "Mike Coupe"
    claims = extract_claims("Cô bị tạm giữ tại Texas.")
    assert not claims[0].self_contained  # nobody named: the pronoun stays and the claim says so


def test_a_vietnamese_time_at_the_start_is_neither_a_name_nor_a_speaker():
    claims = extract_claims("Năm ngoái, hãng đã vận chuyển 24 triệu lượt hành khách.")
    assert [c.text for c in claims] == ["Năm ngoái, hãng đã vận chuyển 24 triệu lượt hành khách"]
    claims = extract_claims("Sáng nay, Vietnam Airlines cho biết hãng đã ký thỏa thuận mua 50 máy bay.")
    assert [c.attribution.speaker for c in claims] == ["Vietnam Airlines"]
    assert not any(" là " in c.text for c in claims)


def test_language_identification_with_lingua():
    assert detect_language("Meta a investi 14 milliards de dollars dans Scale AI.") == "fr"
    assert detect_language("Meta đã đầu tư 14,3 tỷ USD vào Scale AI.") == "vi"
    assert detect_language("Мета инвестировала 14,3 миллиарда долларов.") == "und"
    assert detect_language("メタは143億ドルを投資した。") == "und"


def test_numbers_written_in_words():
    found = extract_quantities("Six agents ont été blessés et vingt-trois employés sont partis, un homme aussi.", 0,
                               "fr")
    assert [(q.text, q.value) for q in found] == [("Six", 6), ("vingt-trois", 23)]
    assert [q.value for q in extract_quantities("deux milliards de dollars", 0, "fr")] == [2e9]
    assert [q.value for q in extract_quantities("They hired twenty-three engineers.", 0, "en")] == [23]


def test_run_on_text_is_cut_into_bounded_pieces_with_exact_quotes():
    text = "Meta a investi " + ", ".join(f"{i} millions de dollars dans l'unité {i}" for i in range(3000)) + "."
    pieces = sentences(text)
    assert len(pieces) > 1 and all(len(s.text) <= MAX_SENTENCE_CHARS for s in pieces)
    claims = extract_claims(text)
    assert claims and all(text[c.start : c.end] == c.quote for c in claims)
    assert all(not c.checkworthy and not c.quantities for c in claims if len(c.quote) > 1000)
