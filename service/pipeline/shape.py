"""A linear pre-scan of a text's shape (its sentences and the longest run without a sentence end), so that a
text whose analysis would cost more than its size allows is refused before any analysis."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.errors import TextTooLargeError

# Every place a sentence may end: end punctuation before a space, or a line break. Counting these over-counts
# sentences, so the prefix handed to the extractor is never longer than `max_sentences` real ones.
_MAYBE_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f][\"'\u201d\u00bb)\]]*(?=\s)|\n")
# Where a sentence surely ends, for the longest-run measure (which must not under-estimate what the extractor will
# take as one sentence, so it follows the extractor's own rules, service/analysis/text.py): a blank line; a line
# break after end punctuation or after a short line (a heading, a list item); end punctuation followed by a space
# and a character that is not lower-case, after a word that cannot be an abbreviation or an initial: 4+ letters
# or digits, an all-capitals acronym of 2-3 letters ("AI.", "EU."), a number or a percentage.
_END_PUNCT = "[.!?\u2026\u3002\uff01\uff1f]"
_NEXT_STARTS = "[\"'\u201d\u00bb)\\]]*\\s+(?=[^\\s\\w]*[^\\W\\d_](?<![a-z\u00e0-\u00ff])|[^\\s\\w]*\\d)"
_SURE_END = re.compile("|".join([
    r"\n[ \t]*\n",
    r"(?<=[.!?:;\u2026\u3002\uff01\uff1f])[\"'\u201d\u00bb)\]]*[ \t]*\n",
    r"(?<![^\n]{80})(?<=\S)\n",  # a line of fewer than 80 characters: a heading or a list item
    rf"(?<=[^\W_]{{4}}{_END_PUNCT}){_NEXT_STARTS}",
    rf"(?<=[\s(\"'\u201c\u00ab][A-Z]{{2}}{_END_PUNCT}){_NEXT_STARTS}",
    rf"(?<=[\s(\"'\u201c\u00ab][A-Z]{{3}}{_END_PUNCT}){_NEXT_STARTS}",
    rf"(?<=[0-9]{_END_PUNCT}){_NEXT_STARTS}",
    rf"(?<=[0-9]%{_END_PUNCT}){_NEXT_STARTS}",
]))


class ShapeLimitError(TextTooLargeError):
    """The text is within the size limit but has a shape whose analysis would cost too much (413)."""

    code = "text_too_complex"


@dataclass(frozen=True)
class Shape:
    """What a linear pre-scan sees of a text before any analysis: its sentences, and the longest of them."""

    sentences: int
    longest: int  # characters of the longest run with no sentence end
    longest_at: int  # where it starts
    cut: int  # end of the last sentence within the sentence limit (len(text) when under it)


def scan_shape(text: str, max_sentences: int) -> Shape:
    """Sentences (over-counted) and the longest run without a sure sentence end (over-measured), in linear time."""
    count = 0
    cut = len(text)
    start = 0
    for match in _MAYBE_END.finditer(text):
        if match.start() > start and not text[start : match.start()].isspace():
            count += 1
            if count == max_sentences:
                cut = match.end()
        start = match.end()
    if start < len(text) and not text[start:].isspace():
        count += 1
    longest = longest_at = 0
    start = 0
    for match in [*_SURE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        if end - start > longest:
            longest, longest_at = end - start, start
        if match:
            start = match.end()
    while longest_at < len(text) and text[longest_at].isspace():
        longest_at += 1
    return Shape(count, longest, longest_at, cut if count > max_sentences else len(text))
