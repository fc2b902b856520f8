"""Text normalisation, language identification per paragraph, and sentence splitting with offsets."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from service.analysis.languages import any_language
from service.analysis.nlp import models

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_DETECT_CHARS = 2000  # lingua reads a paragraph's first characters: enough to decide, and bounded on huge input


def normalise(text: str) -> str:
    """NFC, Unix newlines, no byte-order mark: the form every offset refers to."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return unicodedata.normalize("NFC", text)


def detect_language(text: str) -> str:
    """Return 'vi', 'fr', 'en' or 'und' for a paragraph: lingua (models in its wheel) on Latin-script text; text
    with no letters, or mostly in another script (Cyrillic, CJK, Arabic...), is 'und'."""
    sample = text[:_DETECT_CHARS]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return "und"
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    if latin < len(letters) / 2:
        return "und"
    found = models.language_detector().detect_language_of(sample)
    return models.DETECTED.get(found.name, "und") if found is not None else "und"


@dataclass(frozen=True)
class Span:
    """A stretch of the document text: `text == document[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Paragraph(Span):
    language: str


@dataclass(frozen=True)
class Sentence(Span):
    language: str
    paragraph: int


def paragraphs(text: str, language_hint: str | None = None) -> list[Paragraph]:
    """Blocks separated by blank lines; a one-line block is a paragraph of its own (titles, bullets)."""
    out: list[Paragraph] = []
    for match in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        block = match.group(0)
        stripped = block.strip()
        if not stripped:
            continue
        start = match.start() + (len(block) - len(block.lstrip()))
        end = start + len(stripped)
        language = detect_language(stripped)
        if language == "und" and language_hint:
            language = language_hint
        out.append(Paragraph(start, end, text[start:end], language))
    return out


# Words after which a full stop does not end a sentence, in any of our languages (quotes and names cross languages).
_ABBREVIATIONS = any_language().abbreviations
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”»)\]]*\s+(?=[\"'“«(\[]?[^\s])")


def _is_abbreviation(before: str) -> bool:
    word = re.search(r"([^\s(\"'“«]+)\.$", before)
    if not word:
        return False
    token = word.group(1).lower()
    if token.rstrip(".") in _ABBREVIATIONS:
        return True
    # Initials: "J." or "U.S." (capitals: the Vietnamese "ở." or French "y." end sentences)
    written = word.group(1)
    return bool(re.fullmatch(r"(?:[^\W\d_]\.)*[^\W\d_]", token)) and len(token.replace(".", "")) <= 2 \
        and written[:1].isupper()


def sentences(text: str, language_hint: str | None = None) -> list[Sentence]:
    """Sentences of every paragraph, with offsets into `text` and the paragraph's language."""
    out: list[Sentence] = []
    for index, para in enumerate(paragraphs(text, language_hint)):
        # A line break inside a paragraph ends a sentence only when the line ends in punctuation or is a heading.
        pieces: list[tuple[int, int]] = []
        cursor = 0
        body = para.text
        for match in _BOUNDARY.finditer(body):
            before = body[max(0, match.start() - 80) : match.start()]  # the last word is all it needs; the whole
            # prefix made sentence splitting quadratic (a 50,000-sentence text took over an hour)
            if _is_abbreviation(before.rstrip("\"'”»)]")):
                continue
            nxt = body[match.end() : match.end() + 1]
            if nxt.islower() and "\n" not in match.group(0):
                continue  # "... 14.3 billion. and" is rare; lower-case continuation usually means no boundary
            pieces.append((cursor, match.start()))
            cursor = match.end()
        pieces.append((cursor, len(body)))
        for a, b in pieces:
            for line_start, line_end in (cut for span in _split_lines(body, a, b) for cut in _cap(body, *span)):
                seg = body[line_start:line_end]
                lead = len(seg) - len(seg.lstrip())
                trail = len(seg.rstrip())
                if trail <= lead:
                    continue
                start = para.start + line_start + lead
                end = para.start + line_start + trail
                for a2, b2 in _headline_apart(text, start, end, first=not out):
                    a2 += _dateline_length(text[a2:b2])
                    if b2 > a2:
                        out.append(Sentence(a2, b2, text[a2:b2], para.language, index))
    return out


# A news dateline opening the lead sentence: "PARIS, 2 mars 2026 (L'Écho des Marchés) – ", "WASHINGTON (AP) — ",
# "TP.HCM, 3/3/2026 (Nhịp Sống Đầu Tư) – ". It says where and when the article was filed, not what happened.
_DATELINE = re.compile(
    r"[A-ZÀ-ỸĐ][A-ZÀ-ỸĐ.'’ -]{1,30}(?:,[^()\n–—]{1,40}?)?(?:\s*\([^()\n]{1,60}\))?\s*(?:–|—|--?)\s+(?=\S)"
)


def _dateline_length(sentence: str) -> int:
    """Length of the dateline that opens a sentence (0 when there is none)."""
    m = _DATELINE.match(sentence)
    return m.end() if m and sum(c.isalpha() for c in m.group(0)) >= 2 else 0


def _headline_apart(text: str, start: int, end: int, first: bool) -> list[tuple[int, int]]:
    """A document's first line is its headline: without final punctuation it still ends a sentence."""
    if not first:
        return [(start, end)]
    cut = text.find("\n", start, end)
    if cut < 0 or re.search(r"[.!?:;…]\s*$", text[start:cut]):
        return [(start, end)]
    rest = cut + 1 + (len(text[cut + 1 : end]) - len(text[cut + 1 : end].lstrip()))
    return [(start, len(text[:cut].rstrip()))] + ([(rest, end)] if rest < end else [])


# A line opening with "2." / "2)" / "-" / "•" is the next item of a list, whatever the previous line ends with.
# So is a glossary line ("Intellilink: a tool for ...").
_LIST_MARKER = re.compile(r"(?:\d{1,2}[.)](?!\d)|[-*•–]\s|[^\W\d_][\w’' -]{0,40}:\s)")


MAX_SENTENCE_CHARS = 2000  # a longer "sentence" (run-on text, a list without full stops) is cut at a comma or a
# space before this length, so that every later step (clause rules, parser, figures) works on bounded pieces


def _cap(body: str, a: int, b: int) -> list[tuple[int, int]]:
    """[a, b) in pieces of at most MAX_SENTENCE_CHARS, cut after the last comma or semicolon (else space)."""
    out: list[tuple[int, int]] = []
    while b - a > MAX_SENTENCE_CHARS:
        window = body[a : a + MAX_SENTENCE_CHARS]
        cut = max(window.rfind(", "), window.rfind("; "))
        if cut < MAX_SENTENCE_CHARS // 4:
            cut = window.rfind(" ")
        cut = cut + 1 if cut >= MAX_SENTENCE_CHARS // 4 else MAX_SENTENCE_CHARS
        out.append((a, a + cut))
        a += cut
    out.append((a, b))
    return out


def _split_lines(body: str, a: int, b: int) -> list[tuple[int, int]]:
    """Split a sentence candidate at line breaks that follow terminal punctuation or a short heading line."""
    spans: list[tuple[int, int]] = []
    start = a
    for match in re.finditer(r"\n", body[a:b]):
        pos = a + match.start()
        line = body[start:pos].strip()
        following = body[pos + 1 : b].lstrip()
        if not line or re.search(r"[.!?:;…]$", line) or len(line.split()) <= 12 or _LIST_MARKER.match(following):
            spans.append((start, pos))
            start = pos + 1
    spans.append((start, b))
    return spans


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters, with internal apostrophes), for overlap measures."""
    return [w.lower() for w in _WORD.findall(text)]


def dominant_language(paras: list[Paragraph]) -> tuple[str, list[str]]:
    """The language with the most characters, and all languages by decreasing share."""
    weights: Counter[str] = Counter()
    for p in paras:
        if p.language != "und":
            weights[p.language] += len(p.text)
    if not weights:
        return "und", []
    ranked = [lang for lang, _ in weights.most_common()]
    return ranked[0], ranked
