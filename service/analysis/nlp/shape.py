"""Does a claim text have a subject and a verb? A claim without either ("Plutôt par le sens de mission de
l'organisation", "Continuant à recruter massivement") cannot be checked on its own."""

from __future__ import annotations

import re
from functools import lru_cache

from service.analysis.nlp import models

_VI_PREDICATE = {"V", "A"}
_VI_NOMINAL = {"N", "Np", "Nc", "Nu", "Ny", "Nb", "P", "M", "X", "L"}
_EN_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|do|does|did|can|could|will|would|may|might|must|should|shall|"
    r"[a-z]{2,}(?:ed|es|s))\b|\b(?:became|began|built|bought|came|fell|found|gave|grew|held|kept|knew|led|left|lost|"
    r"made|met|paid|ran|rose|said|sold|sent|spent|stood|took|told|went|won|wrote|got|saw|chose|drew|broke|spoke)\b")
# a participle opening its own verb phrase ("Continuing to recruit", "Maintained its position"), or a function word
_EN_NO_SUBJECT = re.compile(
    r"^(?:[a-z]+ing|[a-z]+ed)\s+(?:the|a|an|its|their|his|her|to|by|with|from|in|on|at|for|of|and|as|into)\b"
    r"|^(?:to|by|with|from|for|of|and|but|or|because|which|who|whom)\b")
_EN_OPENER = re.compile(  # "In 1980, ..." / "Using ECharts Java, ...": an adverbial before the subject
    r"^(?:in|on|at|during|for|after|before|since|using|with|by|from|under|over|through|although|while|when|as|"
    r"despite|today|however|also|additionally|moreover|meanwhile|overall|instead)\b[^,]{0,80},\s+", re.IGNORECASE)


def is_fragment(text: str, language: str) -> bool:
    """True when `text` has no verb or no subject, read with the language's parser or tagger."""
    text = text.strip()
    if not text:
        return True
    if language == "fr":
        return _french_fragment(text[:1000])
    if language == "vi":
        return _vietnamese_fragment(text[:1000])
    # English has no tagger here: only clear fragments count (a short phrase with no verb-like word, or a verb
    # phrase that opens with its participle or a function word)
    body = _EN_OPENER.sub("", text, count=1)
    return bool(_EN_NO_SUBJECT.match(body)) or (len(body.split()) <= 5 and not _EN_VERB.search(body))


@lru_cache(maxsize=4096)
def _french_fragment(text: str) -> bool:
    doc = models.french()(text.replace("’", "'"))
    subjects = [t for t in doc if t.dep_.startswith(("nsubj", "expl", "csubj"))]
    # the small model sometimes tags a finite verb NOUN ("La Chine rapatrie"): a subject's head is a predicate
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc) or any(t.head.dep_ == "ROOT" for t in subjects)
    return not (has_verb and subjects)


@lru_cache(maxsize=4096)
def _vietnamese_fragment(text: str) -> bool:
    tokenizer, tagger = models.vietnamese()
    words, tags = tagger.postagging(tokenizer.tokenize(text))
    first = next((i for i, t in enumerate(tags) if t in _VI_PREDICATE), None)
    if first is None:
        return True
    if words[0].lower() in {"có", "còn"} and first == 0:
        return False  # existential: "Có hơn 135 loài cá mập trong khu vực"
    return not any(t in _VI_NOMINAL for t in tags[:first])
