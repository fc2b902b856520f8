"""Splitting sentences into atomic, self-contained claims (service/analysis/atomic.py and its use in claims.py)."""

import pytest

from service.analysis.atomic import atomic_pieces, english_subject, third_person
from service.analysis.claims import extract_claims
from service.analysis.text import sentences


def texts(text: str) -> list[str]:
    return [c.text for c in extract_claims(text)]


def check_offsets(text: str) -> None:
    for c in extract_claims(text):
        assert text[c.start : c.end] == c.quote


@pytest.mark.parametrize("sentence, expected", [
    # a list: one claim per item
    ("His research focuses on macroeconomics, public finance, and economic history.",
     ["His research focuses on macroeconomics", "His research focuses on public finance",
      "His research focuses on economic history"]),
    # 'such as' also states the general claim, and each item replaces the general noun phrase
    ("Epigenetic changes are passed on through mechanisms such as DNA methylation and histone modification.",
     ["Epigenetic changes are passed on through mechanisms", "Epigenetic changes are passed on through DNA methylation",
      "Epigenetic changes are passed on through histone modification"]),
    # the first item's possessive belongs to every item
    ("A star's temperature, size, and luminosity are determined by its mass.",
     ["A star's temperature are determined by its mass", "A star's size are determined by its mass",
      "A star's luminosity are determined by its mass"]),
    # non-restrictive relative clause: its antecedent becomes its subject
    ("It is produced by the company Mey Eden, which is one of the largest bottled water companies in Israel.",
     ["It is produced by the company Mey Eden", "Mey Eden is one of the largest bottled water companies in Israel"]),
    # restrictive relative clause after a copula
    ("Mondeca is a software company that specializes in knowledge management tools.",
     ["Mondeca is a software company", "Mondeca specializes in knowledge management tools"]),
    # apposition
    ("Sinking sand, also known as quicksand, is a type of wet sand.",
     ["Sinking sand is a type of wet sand", "Sinking sand is also known as quicksand"]),
    # a relative clause inside the subject
    ("The fins, which help control the board, are made of plastic.",
     ["The fins are made of plastic", "The fins help control the board"]),
    # trailing participle: the subject does the second action too
    ("Abacus computing uses a simple interface, making it easy to input data.",
     ["Abacus computing uses a simple interface", "Abacus computing makes it easy to input data"]),
    # coordinated determiner phrases and repeated prepositions
    ("The decision was seen as a victory for gun control advocates and a setback for gun rights supporters.",
     ["The decision was seen as a victory for gun control advocates",
      "The decision was seen as a setback for gun rights supporters"]),
    # enumerations after a colon
    ("Depeche Mode's albums are: Violator, Ultra, and Exciter.",
     ["Violator is an album of Depeche Mode", "Ultra is an album of Depeche Mode", "Exciter is an album of Depeche Mode"]),
])
def test_english_sentences_split_into_atomic_claims(sentence, expected):
    assert texts(sentence) == expected
    check_offsets(sentence)


@pytest.mark.parametrize("sentence", [
    "This Mortal Coil was known for their ethereal, haunting and atmospheric sound.",  # modifiers of one noun
    "The position of Minister for Food, Agriculture and Fisheries was created in 1899.",  # a title, not a list
    "Meta invested $14.3 billion in Scale AI.",
    "The king and princess of a corrupt kingdom ruled for a decade.",
    # A number with a thousands separator is one word, and "and makes about half" opens a verb phrase: never the
    # garbled "The plant employs around 20,makes about half ..."
    "The plant employs around 20,000 people and makes about half of the company's phones.",
])
def test_sentences_stating_one_fact_stay_whole(sentence):
    assert texts(sentence) == [sentence.rstrip(".")]


def test_pronouns_and_demonstratives_resolve_to_the_topic():
    claims = texts("Gary Smith is a professor of economics at Pomona College. He holds a doctorate from Stanford. "
                   "His research focuses on public finance.")
    assert claims[1] == "Gary Smith holds a doctorate from Stanford"
    assert claims[2] == "Gary Smith's research focuses on public finance"
    claims = texts("Epigenetic changes can be caused by diet. These changes can be passed down to future generations.")
    assert claims[1] == "Epigenetic changes can be passed down to future generations"
    claims = texts("ECharts Java is a library for data visualization. It provides an interface for creating charts.")
    assert claims[1] == "ECharts Java provides an interface for creating charts"


def test_it_agrees_in_number_and_expletive_it_stays():
    claims = texts("Using the library, developers can create charts. It is difficult to determine the average height.")
    assert claims[1] == "It is difficult to determine the average height"
    claims = texts("Quasars are very bright. It is a natural phenomenon.")
    assert claims[1] == "It is a natural phenomenon"  # 'it' never stands for a plural


def test_coordinated_verb_phrase_carries_subject_without_a_wrong_auxiliary():
    claims = texts("He was born on October 16, 1898, and served on the Supreme Court from 1939.")
    assert claims[1].endswith("served on the Supreme Court from 1939")
    assert "was served" not in claims[1]
    assert texts("The decision was seen as a victory and a setback for gun rights supporters.") == [
        "The decision was seen as a victory and a setback for gun rights supporters"]  # 'a' is not French here


def test_discourse_markers_and_the_writer_about_itself():
    assert texts("However, LiveScript was renamed to JavaScript in 1995.") == ["LiveScript was renamed to JavaScript in 1995"]
    assert texts("This is why the giant planets spin so quickly.") == ["The giant planets spin so quickly"]
    assert texts("As an AI language model, I do not have access to current news.") == []
    assert texts("Compare the quotes offered by each decorator.") == []  # an instruction is neither true nor false
    assert texts("Some reasons for this include:") == []


def test_numbered_lines_under_a_heading_are_members_of_it():
    text = "The four female presidents were: \n1.Abigail Adams (1797-1801) \n2.Hillary Clinton (2017-2021)"
    assert texts(text) == ["Abigail Adams (1797-1801) was one of the four female presidents",
                           "Hillary Clinton (2017-2021) was one of the four female presidents"]
    check_offsets(text)


def test_list_items_keep_only_their_own_figures():
    claims = extract_claims("Arsenal won the FA Cup in 1993, 1998, and 2002.")
    assert [c.text for c in claims] == ["Arsenal won the FA Cup in 1993", "Arsenal won the FA Cup in 1998",
                                        "Arsenal won the FA Cup in 2002"]
    assert [[q.text for q in c.quantities] for c in claims] == [["1993"], ["1998"], ["2002"]]


def test_checkworthiness_keeps_facts_and_drops_opinions_and_advice():
    claims = {c.text: c.checkworthy for c in extract_claims(
        "Genes are responsible for the production of proteins in an organism. "
        "It is important to ensure that the paint is safe for sheep. "
        "The detection of gravitational waves would be a major discovery.")}
    assert claims["Genes are responsible for the production of proteins in an organism"]
    assert not claims["It is important to ensure that the paint is safe for sheep"]
    assert not claims["The detection of gravitational waves would be a major discovery"]


def test_helpers():
    assert english_subject("The American Fantasy Press is a small publisher") == "The American Fantasy Press"
    assert english_subject("Mey Eden offers a variety of water products") == "Mey Eden"
    assert english_subject("Arsenal first reached the first division") == "Arsenal"
    assert english_subject("China made its debut in 1952") == "China"  # 'made' is the verb, 'its' is not
    assert english_subject("Single-cell multiomics allows for deeper analysis") == "Single-cell multiomics"
    assert [third_person(v) for v in ("making", "providing", "grossing", "earning", "running")] == [
        "makes", "provides", "grosses", "earns", "runs"]
    assert atomic_pieces("Meta invested $14.3 billion in Scale AI", "en") == []


def test_glossary_and_numbered_lines_start_sentences():
    text = "Tools include:\nIntellilink: a tool for linking data from many sources\nIntelliview: a tool for viewing data"
    assert [s.text for s in sentences(text)] == [
        "Tools include:", "Intellilink: a tool for linking data from many sources", "Intelliview: a tool for viewing data"]
    assert texts(text) == ["Intellilink is a tool for linking data from many sources",
                           "Intelliview is a tool for viewing data"]


def test_run_on_text_is_left_whole_so_splitting_stays_linear():
    # a 'clause' with no punctuation is not split: every rule then runs once per sentence-sized clause
    run_on = " ".join(["the cat and the dog, the bird"] * 2000)
    assert atomic_pieces(run_on, "en") == []
    many = " ".join(f"Team {i} won cups in 1990, 1991, and 1992." for i in range(2000))
    assert len(extract_claims(many)) == 6000


def test_a_short_coordinated_clause_is_kept_once_its_subject_is_restored():
    assert texts("The company raised 14,3 billion, and hired 1,000 people.") == [
        "The company raised 14,3 billion", "The company hired 1,000 people"]


def test_stacked_openers_and_repeated_prepositions():
    assert texts("However, based on my general knowledge, Dr. Marloes Arts is a social anthropologist who has "
                 "conducted research on water governance.") == [
        "Dr. Marloes Arts is a social anthropologist", "Dr. Marloes Arts has conducted research on water governance"]
    assert texts("Marcus Morton served as Governor of Massachusetts and as a U.S. Senator.") == [
        "Marcus Morton served as Governor of Massachusetts", "Marcus Morton served as a U.S. Senator"]
    assert texts("Epigenetic changes can be caused by various environmental factors, such as diet and stress.")[1] == \
        "Epigenetic changes can be caused by diet"


def test_two_bare_noun_phrases_after_a_verb_are_two_facts():
    assert texts("Lawson offers freshly prepared meals and snacks for customers on the go.") == [
        "Lawson offers freshly prepared meals", "Lawson offers snacks for customers on the go"]
    assert texts("California has milder winters and hot summers with little rainfall.") == [
        "California has milder winters", "California has hot summers with little rainfall"]
    # one word on a side, a determiner phrase, or a gerund on the left: not split
    for whole in ("Sinking sand becomes liquefied and viscous when it is disturbed.",
                  "The king and princess of a corrupt kingdom ruled for a decade.",
                  "Her research shaped academic and policy discussions around these issues."):
        assert texts(whole) == [whole.rstrip(".")]


def test_glossary_lines_under_a_heading_are_members_and_definitions():
    text = ("Some of the tools developed by Mondeca include:\n"
            "Intellilink: a tool for linking data from many sources\n")
    assert texts(text) == ["Intellilink is one of the tools developed by Mondeca",
                           "Intellilink is a tool for linking data from many sources"]
    assert texts("Some reasons for this include:\nCost: the software is expensive to run") == [
        "Cost: the software is expensive to run"]  # 'this' has no antecedent here: no membership claim


def test_absolute_with_clause_and_openers_before_pronouns():
    assert texts("Airplane glide ratio is expressed as a ratio, with higher numbers indicating a longer glide.") == [
        "Airplane glide ratio is expressed as a ratio", "Higher numbers indicate a longer glide"]
    assert texts("Arsenal reached the first division in 1904. Between 1989 and 2005, they won ten trophies.")[1] == \
        "Between 1989 and 2005, Arsenal won ten trophies"


def test_first_person_and_imperatives_with_a_speaker_stay_claims():
    claims = extract_claims('"I would never sell the company for $1 billion," Sam Altman said on a podcast.')
    assert len(claims) == 1 and "Sam Altman said" in claims[0].quote
