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
_EN_NO_SUBJECT = re.compile(r"^(?:[a-z]+ing|[a-z]+ed|to|by|with|from|in|on|at|for|of|and|but|or|because|which|who)\b",
                            re.IGNORECASE)


def is_fragment(text: str, language: str) -> bool:
    """True when `text` has no verb or no subject, read with the language's parser or tagger."""
    text = text.strip()
    if not text:
        return True
    if language == "fr":
        return _french_fragment(text[:1000])
    if language == "vi":
        return _vietnamese_fragment(text[:1000])
    return not _EN_VERB.search(text) or bool(_EN_NO_SUBJECT.match(text))


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
