"""Language packs: the words each rule looks for, one data-only module per language (en, fr, vi).

Rules live in the analyser's modules and take the pack of the text's language (`pack(code)`). Text whose
language is unknown ("und") gets `ANY`, the union of every pack, in pack order. Figures are recognised with
`ANY` whatever the language (articles quote figures in other languages' formats: "$14.3 billion" in French
text); only their reading (decimal mark, the French "billion") depends on the language.
"""

from __future__ import annotations

from functools import cache

from service.analysis.languages import en, fr, vi
from service.analysis.languages.pack import LanguagePack, merge

__all__ = ["LanguagePack", "any_language", "pack", "packs"]


@cache
def packs() -> dict[str, LanguagePack]:
    """The languages the analyser reads, by ISO 639-1 code."""
    return {p.code: p for p in (en.PACK, fr.PACK, vi.PACK)}


@cache
def any_language() -> LanguagePack:
    """The union of every pack: for text whose language is unknown, and for figures."""
    return merge(list(packs().values()))


def pack(code: str | None) -> LanguagePack:
    """The pack of a language; the union of all packs for an unknown or unsupported one."""
    return packs().get(code or "und") or any_language()
