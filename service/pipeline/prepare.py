"""Stage 1, prepare: validate and normalise the text, split it into language sections, extract claims, embed them.

Nothing here reads or writes the corpus: a Prepared document is what the ingest stage stores and what the
verify stage checks (a /v1/check request is verified without ever being stored).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import threading
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from retrieval.embeddings import Embedder
from retrieval.vector_store import VectorHit
from service.analysis import ClaimExtractor
from service.analysis.claims import single_claim
from service.analysis.entities import entity_key
from service.analysis.text import dominant_language, normalise, paragraphs
from service.db.records import StoredClaim, StoredDocument
from service.errors import EmptyTextError, FactCheckError, InputError, TextTooLargeError
from service.models import Claim, ClaimDraft
from service.pipeline.source_groups import translated_sections
from service.settings import Settings

log = logging.getLogger(__name__)

#: Characters of a claim handed to the embedder. multilingual-e5 reads 512 tokens at a time and its cost grows
#: with length (about 1.5 ms of CPU per token here; punctuation and digits can take a token per character): a
#: 1 MB claim cost minutes. No claim of the seeds or fixtures comes near this (the longest seed claim has 257
#: characters), so their vectors do not change.
EMBED_CHARS = 1000
#: Texts per embedding call between two shutdown checkpoints.
EMBED_CHUNK = 256
#: Claims per nearest-neighbour query to the vector store.
QUERY_CHUNK = 500
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

_STOPPING = threading.Event()


class ShapeLimitError(TextTooLargeError):
    """The text is within the size limit but has a shape whose analysis would cost too much (413)."""

    code = "text_too_complex"


class AnalysisStopped(FactCheckError):
    """The server is shutting down: the text was not analysed, nothing was stored (retry on the next server)."""

    status = 503
    code = "shutting_down"

    def __init__(self, message: str = "the server is shutting down; nothing was stored, post the text again") -> None:
        super().__init__(message, retry_after=5)


def stop_analysis() -> None:
    """Make every analysis of this process stop at its next checkpoint (called when the server shuts down)."""
    _STOPPING.set()


def checkpoint() -> None:
    """Raise AnalysisStopped if the process is shutting down."""
    if _STOPPING.is_set():
        raise AnalysisStopped()


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


def document_id_for(text: str) -> str:
    """Content-addressed id: the same text always gets the same id (idempotent posting)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def claim_id_for(document_id: str, start: int, end: int, index: int) -> str:
    return hashlib.sha256(f"{document_id}:{start}:{end}:{index}".encode()).hexdigest()[:20]


def claim_keys(claim: ClaimDraft) -> list[str]:
    """Keys for the lexical half of hybrid search: names, and figures by unit and order of magnitude."""
    keys = {f"e:{entity_key(e)}" for e in claim.entities if len(entity_key(e)) > 1}
    for q in claim.quantities:
        magnitude = int(math.floor(math.log10(abs(q.value)))) if q.value else 0
        keys.add(f"q:{q.unit}:{magnitude}")
    return sorted(keys)


@dataclass
class Prepared:
    """A document ready to store or check: normalised text, claims, vectors."""

    id: str
    text: str
    meta: dict
    language: str
    languages: list[str]
    sections: list[tuple[int, int, str]]
    claims: list[Claim]
    claim_sections: list[int]
    qvecs: np.ndarray
    pvecs: np.ndarray
    keys: list[list[str]]
    source_group: str = ""
    grouping: dict | None = None  # why it joined its source group (see source_groups.Grouping)
    translated_sections: set[tuple[int, int]] = field(default_factory=set)
    dense: tuple | None = None  # (query key, hits): the nearest stored claims, asked once per document

    @classmethod
    def from_store(cls, doc: StoredDocument, stored: list[StoredClaim]) -> Prepared:
        """A stored document and (some of) its claims, as the verify stage needs them."""
        claims = [s.claim for s in stored]
        return cls(
            doc.id, doc.text, {"title": doc.title}, doc.language, doc.languages, doc.sections, claims,
            [s.section for s in stored], np.vstack([s.qvec for s in stored]), np.vstack([s.pvec for s in stored]),
            [claim_keys(c) for c in claims], doc.source_group, doc.grouping, set(doc.translated),
        )

    def dense_hits(self, query) -> list[list[VectorHit]]:
        """The nearest stored claims of each claim, excluding this document (`query(qvecs, exclude)` asks once)."""
        key = (id(self.qvecs), len(self.qvecs), self.id)
        if self.dense is None or self.dense[0] != key:
            # In parts: Chroma answers "too many SQL variables" to a few thousand query vectors at once (a
            # document with max_claims_per_document claims failed with a 500).
            hits: list[list[VectorHit]] = []
            for i in range(0, len(self.qvecs), QUERY_CHUNK):
                hits += query(self.qvecs[i : i + QUERY_CHUNK], self.id)
            self.dense = (key, hits)
        return self.dense[1]


class Preparer:
    """Text -> Prepared: validation, normalisation, language sections, claim extraction and embeddings."""

    def __init__(self, settings: Settings, extractor: ClaimExtractor, embedder: Embedder) -> None:
        self.settings = settings
        self.extractor = extractor
        self.embedder = embedder

    def validate_text(self, text: str) -> str:
        """Normalised text, or a clear InputError (empty, whitespace-only, too large, undecodable)."""
        if not isinstance(text, str):
            raise InputError("text must be a string")
        if len(text.encode("utf-8", errors="surrogatepass")) > self.settings.max_text_bytes:
            raise TextTooLargeError(
                f"text is larger than the limit of {self.settings.max_text_bytes} bytes (FACTCHECK_MAX_TEXT_BYTES)"
            )
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError("text is not valid Unicode (lone surrogates)") from exc
        text = normalise(text.replace("\x00", ""))
        if not any(not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf") for ch in text):
            raise EmptyTextError("text is empty or only whitespace, control or zero-width characters")
        return text

    def check_shape(self, text: str) -> Shape:
        """Refuse, before any analysis, a text whose shape would make its analysis cost more than its size allows.

        A run of more than `max_sentence_chars` characters with no sentence end (one endless sentence, a text
        with no punctuation or spaces) is refused with 413 `text_too_complex`: the clause splitter, the
        attribution rules and the stance features all work sentence by sentence. The sentence count is only
        measured here; `prepare` hands the extractor no more than `max_sentences` of them.
        """
        shape = scan_shape(text, self.settings.max_sentences)
        if shape.longest > self.settings.max_sentence_chars:
            raise ShapeLimitError(
                f"the text has a run of {shape.longest} characters without a sentence end (at offset "
                f"{shape.longest_at}); the limit is {self.settings.max_sentence_chars} (FACTCHECK_MAX_SENTENCE_CHARS)."
                " Split it into sentences or paragraphs."
            )
        return shape

    def prepare(self, text: str, meta: dict | None = None) -> Prepared:
        """Normalise, extract claims, embed them: everything but storing.

        Bounded whatever the text's shape: the shape is checked first (`check_shape`), the extractor reads at
        most `max_sentences` sentences (a prefix of the text, so offsets stay valid), at most
        `max_claims_per_document` claims are kept, the embedder reads at most EMBED_CHARS characters of each,
        and a server shutdown stops the work between steps (nothing is stored until `prepare` returns).
        """
        meta = meta or {}
        text = self.validate_text(text)
        doc_id = document_id_for(text)
        shape = self.check_shape(text)
        analysed = text
        if shape.cut < len(text):
            log.warning("document %s: %d sentences, analysing the first %d (FACTCHECK_MAX_SENTENCES), up to offset %d"
                        " of %d", doc_id, shape.sentences, self.settings.max_sentences, shape.cut, len(text))
            analysed = text[: shape.cut]
        checkpoint()
        paras = paragraphs(analysed, meta.get("language"))
        language, languages = dominant_language(paras)
        sections = language_sections(paras)
        drafts = self.extractor.extract(analysed, meta.get("language"))
        checkpoint()
        if len(drafts) > self.settings.max_claims_per_document:
            log.warning("document %s: %d claims, keeping the first %d", doc_id, len(drafts),
                        self.settings.max_claims_per_document)
            drafts = drafts[: self.settings.max_claims_per_document]
        claims = [
            Claim(**d.model_dump(), id=claim_id_for(doc_id, d.start, d.end, i), document_id=doc_id, index=i)
            for i, d in enumerate(drafts)
            if text[d.start : d.end] == d.quote  # the contract: quote == text[start:end], always
        ]
        qvecs, pvecs = self.embed([c.text for c in claims])
        claim_sections = [section_of(c.start, sections) for c in claims]
        return Prepared(doc_id, text, meta, language if language != "und" else (meta.get("language") or "und"),
                        languages, sections, claims, claim_sections, qvecs, pvecs, [claim_keys(c) for c in claims],
                        translated_sections=translated_sections(sections, claims, claim_sections, qvecs, pvecs))

    def embed(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Query and passage vectors of claim texts (each cut to EMBED_CHARS), with a shutdown check per chunk."""
        cut = [t[:EMBED_CHARS] for t in texts]
        if len(cut) <= EMBED_CHUNK:
            return self.embedder.query(cut), self.embedder.passage(cut)
        qparts, pparts = [], []
        for i in range(0, len(cut), EMBED_CHUNK):
            checkpoint()
            qparts.append(self.embedder.query(cut[i : i + EMBED_CHUNK]))
            pparts.append(self.embedder.passage(cut[i : i + EMBED_CHUNK]))
        return np.vstack(qparts), np.vstack(pparts)

    def single(self, text: str) -> Prepared:
        """One claim, as given (not split), as a one-claim document."""
        text = self.validate_text(text)
        self.check_shape(text)
        claim = as_claim(text)
        q, pv = self.embed([claim.text])
        return Prepared(claim.document_id, text, {}, claim.language, [claim.language],
                        [(0, len(text), claim.language)], [claim], [0], q, pv, [claim_keys(claim)],
                        claim.document_id)


def as_claim(text: str, draft: ClaimDraft | None = None) -> Claim:
    """A text taken whole as one claim of a document of its own."""
    draft = draft or single_claim(text)
    doc_id = document_id_for(text)
    return Claim(**draft.model_dump(), id=claim_id_for(doc_id, draft.start, draft.end, 0), document_id=doc_id, index=0)


def language_sections(paras) -> list[tuple[int, int, str]]:
    """Runs of consecutive paragraphs in one language: the halves of a bilingual article."""
    sections: list[tuple[int, int, str]] = []
    for para in paras:
        if para.language == "und" and sections:
            sections[-1] = (sections[-1][0], para.end, sections[-1][2])
        elif sections and sections[-1][2] == para.language:
            sections[-1] = (sections[-1][0], para.end, para.language)
        else:
            sections.append((para.start, para.end, para.language))
    return sections


def section_of(offset: int, sections: list[tuple[int, int, str]]) -> int:
    for i, (start, end, _) in enumerate(sections):
        if start <= offset < end:
            return i
    return 0
