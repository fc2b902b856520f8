"""Stage 3, verify: candidate evidence for every claim, its stance, and the verdict the evidence decides.

Reads the corpus, never writes it: the ingest and recompute stages store what it returns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from retrieval.candidates import HybridSearch
from retrieval.embeddings import Embedder
from service.analysis import Candidate, StanceJudge, StanceResult
from service.analysis.attribution import addresses_the_model
from service.db import Database
from service.models import Claim, EvidenceOut, Verdict
from service.pipeline.name_rarity import NameRarity
from service.pipeline.prepare import Prepared
from service.pipeline.verdicts import decide


@dataclass
class Verified:
    """A claim with its verdict, the confidence in it, and the evidence that decided it."""

    claim: Claim
    verdict: Verdict
    confidence: float
    evidence: list[EvidenceOut]
    backend: str


class Verifier:
    """Hybrid search, stance judgement, verdict: one Verified per claim of a prepared document."""

    def __init__(self, db: Database, search: HybridSearch, embedder: Embedder, judge: StanceJudge,
                 rarity: NameRarity) -> None:
        self.db = db
        self.search = search
        self.embedder = embedder
        self.judge = judge
        self.rarity = rarity

    def dense_hits(self, p: Prepared):
        """Nearest stored claims of each claim of `p` (asked once per document; grouping and verifying share it)."""
        return p.dense_hits(self.search.nearest)

    def verify(self, p: Prepared) -> list[Verified]:
        """Candidates for each claim (dense + shared names/figures, other documents), stance, verdict.

        A claim of an article that is not check-worthy (an opinion, a forecast, a speech tag, a fragment) gets no
        verdict of its own: it stays unverified whatever its neighbours say, and it is never evidence for another
        claim. What a user asks to check (`p.on_request`) is judged whatever the extractor thinks of it.
        """
        claims = p.claims
        if not claims:
            return []
        self.rarity.sync()
        dense = self.dense_hits(p)
        denial_links = _denial_links(p.claims)
        judged = [i for i, claim in enumerate(claims) if claim.checkworthy or p.on_request]
        candidates_of = {i: self._candidates(p, i, dense[i] if i < len(dense) else []) for i in judged}
        asked = [i for i in judged if candidates_of[i]]
        # one call for the whole document: the model reads all its pairs in full batches
        answers = dict(zip(asked, self.judge.judge_many([(claims[i], candidates_of[i]) for i in asked])))
        out: list[Verified] = []
        for i, claim in enumerate(claims):
            if i not in candidates_of:
                verdict, confidence = decide([])
                out.append(Verified(claim, verdict, confidence, [], self.judge.name))
                continue
            candidates, results = candidates_of[i], answers.get(i, [])
            evidence = [evidence_from(c, r) for c, r in zip(candidates, results) if r.stance != "neutral"]
            evidence += _denial_evidence(p, claim, denial_links)
            evidence.sort(key=lambda e: (e.same_source, -e.score))
            verdict, confidence = decide(evidence)
            backend = results[0].backend if results else self.judge.name
            out.append(Verified(claim, verdict, confidence, evidence, backend))
        return out

    def _candidates(self, p: Prepared, i: int, dense: list) -> list[Candidate]:
        """The claims of other documents (and of this one's other-language half) that claim i is judged against."""
        claim = p.claims[i]
        # Instructions to a model (prompt injection) are neither judged nor used as evidence, whatever
        # the extractor made of them: no LLM ever sees them next to another document's claims.
        if addresses_the_model(claim.quote):
            return []
        ids = self.search.candidate_ids(dense, p.keys[i], p.id)
        stored = self.db.claims.by_id(ids)
        groups = self.db.documents.source_groups(list({s.document_id for s in stored.values()}))
        denied = self._denied_in_documents(list(groups))
        candidates: list[Candidate] = []
        for cid, row in stored.items():
            if row.document_id == p.id or not row.claim.checkworthy:
                continue
            group = groups[row.document_id]
            candidates.append(Candidate(
                claim=row.claim, similarity=float(p.vecs[i] @ row.vec), source_group=group,
                same_source=group == (p.source_group or p.id), denied_by=denied.get(cid),
            ))
        candidates += self._same_document_translations(p, i, p.vecs[i])
        candidates = [c for c in candidates if not addresses_the_model(c.claim.quote)]
        candidates.sort(key=lambda c: -c.similarity)
        return candidates[: self.search.k + 4]

    def judge_pair(self, claim: Claim, evidence: Claim) -> StanceResult:
        """Stance of one evidence claim toward one claim, the pair taken as given (no search)."""
        a, b = self.embedder.query([claim.text, evidence.text])
        return self.judge.judge(claim, [Candidate(claim=evidence, similarity=float(a @ b), given=True)])[0]

    def _same_document_translations(self, p: Prepared, i: int, vec: np.ndarray) -> list[Candidate]:
        """Claims of the other-language half of a bilingual document: listed as same-source evidence."""
        if not p.translated_sections:
            return []
        mine = p.claim_sections[i]
        partners = {b for a, b in p.translated_sections if a == mine} | {a for a, b in p.translated_sections if b == mine}
        out = []
        for j, other in enumerate(p.claims):
            if p.claim_sections[j] in partners and other.checkworthy:
                out.append(Candidate(claim=other, similarity=float(vec @ p.vecs[j]), same_source=True))
        out.sort(key=lambda c: -c.similarity)
        return out[:3]

    def _denied_in_documents(self, doc_ids: list[str]) -> dict[str, str]:
        """Claim id -> who denies it, for claims their own document reports as denied."""
        # One query for all the documents, reading only the denial rows: this ran once per candidate document
        # per claim and read every claim with its vectors (a fifth of ingest time in the profile).
        out: dict[str, str] = {}
        for denied_id, attribution in self.db.claims.denials_in_documents(doc_ids):
            out[denied_id] = json.loads(attribution or "{}").get("speaker") or "another party"
        return out


def _denial_links(claims: list[Claim]) -> dict[int, list[int]]:
    """Claim index -> indexes of same-document claims that deny it or that it denies."""
    links: dict[int, list[int]] = {}
    for c in claims:
        if c.denies_claim_index is not None:
            links.setdefault(c.denies_claim_index, []).append(c.index)
            links.setdefault(c.index, []).append(c.denies_claim_index)
    return links


def _denial_evidence(p: Prepared, claim: Claim, links: dict[int, list[int]]) -> list[EvidenceOut]:
    """One party asserts, another denies, inside the same document: evidence both ways."""
    out = []
    for other_index in links.get(claim.index, []):
        other = next((c for c in p.claims if c.index == other_index), None)
        if other is None:
            continue
        denying = other.attribution is not None and other.attribution.stance == "denies"
        who = other.attribution.speaker if other.attribution else None
        rationale = f"denied by {who}" if denying else f"asserted by {who or 'the article'}, against this denial"
        out.append(EvidenceOut(
            document_id=p.id, claim_id=other.id, quote=other.quote, start=other.start, end=other.end,
            stance="refutes", score=0.9, same_source=True, rationale=rationale, backend="offline",
            kind="denial" if denying else "assertion", basis="rule",
        ))
    return out


def evidence_from(c: Candidate, r: StanceResult) -> EvidenceOut:
    """The evidence item a judged candidate becomes."""
    return EvidenceOut(
        document_id=c.claim.document_id, claim_id=c.claim.id, quote=c.claim.quote, start=c.claim.start,
        end=c.claim.end, stance=r.stance, score=round(min(max(r.score, 0.0), 1.0), 3), same_source=c.same_source,
        source_group=c.source_group or c.claim.document_id, rationale=r.rationale, backend=r.backend,
        kind=r.kind if r.kind in ("denial", "assertion") else "evidence", basis="rule" if r.basis == "rule" else "model",
    )
