"""Atomic, self-contained claims in French (spaCy's parse) and Vietnamese (pyvi's tags), and their bounds."""

from service.analysis.attribution import is_opinion_or_advice
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


def test_full_sentences_the_taggers_misread_are_not_fragments():
    # fr_core_news_sm makes the name the root and the verb its xcomp: the word order still gives the subject
    assert not is_fragment("Coursio revendique environ 12 000 livreurs actifs en France", "fr")
    assert not is_fragment("Ancien collaborateur de West, JAY-Z a lui aussi joué avec le trait d'union", "fr")
    assert is_fragment("A salué le maire", "fr")  # a speech tag opens with its verb
    assert is_fragment("A aussi joué sur le trait d'union et les majuscules", "fr")  # "A" tagged NOUN
    # pyvi tags an unknown first word, or an opening adverbial, as a verb
    assert not is_fragment("Athens từ lâu đã khẳng định rằng cái tên này thuộc về vùng lãnh thổ của mình", "vi")
    assert not is_fragment("Tính đến trưa 11/11, trận động đất đã làm 31 người chết", "vi")
    assert is_fragment("Sao cơ", "vi")
    claims = extract_claims("Coursio revendique environ 12 000 livreurs actifs en France, dont 1 300 dans la "
                            "métropole lyonnaise.")
    assert all(c.checkworthy for c in claims)


def test_a_reported_report_is_not_an_opinion():
    assert not is_opinion_or_advice("Bà Mai đã bác bỏ thông tin rằng khoản bảo lãnh là 350.000 đô la", "vi")
    assert is_opinion_or_advice("Tôi tin rằng anh ấy đúng", "vi")
    assert not is_opinion_or_advice("Giá nhà trở nên đắt hơn", "vi")


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


def test_reported_content_after_a_time_or_place_adverbial_keeps_its_subject():
    # "denied on Tuesday that it had filed": the adverbial is not the content, and "it" is the speaker
    [claim] = extract_claims("Seowon Rail Systems denied on Tuesday that it had filed an appeal against the award.")
    assert claim.text == "Seowon Rail Systems had filed an appeal against the award"
    assert claim.attribution.speaker == "Seowon Rail Systems" and claim.attribution.stance == "denies"
    [claim] = extract_claims("Meta denied in a statement that it offered $1 billion.")
    assert claim.text == "Meta offered $1 billion" and claim.checkworthy


def test_vietnamese_denial_of_a_fact_names_its_speaker_as_subject():
    [claim] = [c for c in extract_claims("Seowon Rail Systems (Hàn Quốc), xếp thứ hai, hôm thứ Ba bác bỏ việc đã nộp "
                                         "đơn kiến nghị phản đối kết quả.") if c.attribution]
    assert claim.text == "Seowon Rail Systems đã nộp đơn kiến nghị phản đối kết quả"
    assert claim.attribution.speaker == "Seowon Rail Systems" and claim.attribution.stance == "denies"
    [claim] = extract_claims("Bộ Y tế hôm thứ Tư bác bỏ thông tin rằng bệnh viện đang thiếu dịch truyền.")
    assert claim.attribution.speaker == "Bộ Y tế"


def test_a_speaker_described_by_a_relative_clause_and_a_second_statement_after_saying():
    claim, second = extract_claims("Callexa, which is based in Tunis, denied that its systems had been the entry "
                                   "point, saying it was cooperating with investigators.")
    assert claim.attribution.speaker == "Callexa" and claim.attribution.stance == "denies"
    assert claim.text == "Callexa's systems had been the entry point"
    assert second.text == "Callexa was cooperating with investigators"
    assert second.attribution.speaker == "Callexa" and second.attribution.stance == "asserts"
    [claim] = extract_claims("Coursio, which says it works with some 11,500 couriers nationwide, denied that the "
                             "ruling obliges it to pay back social contributions.")
    assert claim.attribution.speaker == "Coursio" and claim.attribution.stance == "denies"
    assert claim.text.startswith("The ruling obliges")


def test_a_vietnamese_denial_of_this_information_states_the_claim_it_denies():
    asserted, denied = extract_claims("Công đoàn USC cho biết Công ty Hòa Bình đang chuẩn bị cắt giảm tới 400 việc làm. "
                                      "Người phát ngôn của công ty, bà Lan Phạm, đã bác bỏ thông tin này.")
    assert denied.denies_claim_index == 0 and denied.text == asserted.text and denied.checkworthy
    assert denied.attribution.stance == "denies" and asserted.attribution.stance == "asserts"
