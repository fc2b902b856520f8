"""Does a claim text have a subject and a verb? A claim without either ("Plutôt par le sens de mission de
l'organisation", "Continuant à recruter massivement") cannot be checked on its own."""

from __future__ import annotations

import re
from functools import lru_cache

from service.analysis.nlp import models
from service.analysis.nlp.vietnamese import Word, is_fragment as vietnamese_fragment

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


_FR_NOMINAL = ("NOUN", "PROPN", "PRON", "DET", "NUM")
FRENCH_RELATIVES = {"qui", "que", "qu'", "dont", "où", "lequel", "laquelle", "lesquels", "lesquelles", "auquel",
                    "duquel"}
# finite forms of avoir and être, which the small model may tag NOUN at the start of a speech tag ("A salué ...")
_FR_AUXILIARY = {"a", "ont", "avait", "avaient", "eut", "aura", "auront", "aurait", "est", "sont", "était", "étaient",
                 "fut", "sera", "seront", "serait"}


def opens_with_subject(tokens) -> bool:
    """A French clause that opens with a noun phrase which a verb follows ("Coursio revendique 12 000 livreurs"),
    possibly after an opener set off by a comma ("Ancien collaborateur de West, JAY-Z a joué ...").

    The small parser often makes such a noun the root and the verb its dependent (xcomp, acl), leaving no nsubj:
    read by the order of the words, the noun phrase is the subject. A clause that opens with its verb ("A salué le
    maire", "Regrette l'opposition") or with a relative pronoun has none.
    """
    starts = [0] + [i + 1 for i, t in enumerate(tokens) if t.text == ","][:2]
    return any(_noun_phrase_then_verb(tokens[i:]) for i in starts)


def _noun_phrase_then_verb(tokens) -> bool:
    if not tokens or tokens[0].pos_ not in _FR_NOMINAL or tokens[0].lower_ in FRENCH_RELATIVES | _FR_AUXILIARY:
        return False
    seen_noun = False
    for t in tokens:
        if t.pos_ in ("VERB", "AUX"):
            return seen_noun
        seen_noun = seen_noun or t.pos_ in ("NOUN", "PROPN", "PRON")
    return False


@lru_cache(maxsize=4096)
def _french_fragment(text: str) -> bool:
    doc = models.french()(text.replace("’", "'"))
    subjects = [t for t in doc if t.dep_.startswith(("nsubj", "expl", "csubj"))]
    # the small model sometimes tags a finite verb NOUN ("La Chine rapatrie"): a subject's head is a predicate
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc) or any(t.head.dep_ == "ROOT" for t in subjects)
    return not (has_verb and (subjects or opens_with_subject(list(doc))))


@lru_cache(maxsize=4096)
def _vietnamese_fragment(text: str) -> bool:
    tokenizer, tagger = models.vietnamese()
    words, tags = tagger.postagging(tokenizer.tokenize(text))
    return vietnamese_fragment([Word(w, t, 0, 0) for w, t in zip(words, tags)])
