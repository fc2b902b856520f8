"""How a verdict was reached, for editors: by a deterministic rule or a model, how strongly, on how many sources.

Derived from the evidence the verdict rules count (service/pipeline/verdicts.py) and stored with the verdict, so
the review queue can be sorted and filtered by it ("model-decided, weakest first").
"""

from __future__ import annotations

from service.models import EvidenceOut, VerdictBasis
from service.pipeline.verdicts import counted, denials, raw_decision

NOTHING = VerdictBasis()  # an unverified claim: no basis, no strength, no source


def independent_sources(evidence: list[EvidenceOut]) -> int:
    """Distinct source groups among the supporting or refuting evidence from other sources that the rules count."""
    return len({e.source_group or e.document_id for e in counted(evidence) if e.stance in ("supports", "refutes")})


def verdict_basis(verdict: str, evidence: list[EvidenceOut]) -> VerdictBasis:
    """How `verdict` was reached on `evidence` (items carry their source group where known)."""
    if verdict == "unverified":
        return NOTHING  # nothing decides an unverified verdict, whatever weak evidence is listed
    if not (denials(evidence) or any(e.stance != "neutral" for e in counted(evidence))):
        return NOTHING
    decision = raw_decision(evidence)
    return VerdictBasis(basis="rule" if decision.by_rule else "model",
                        strength=round(min(max(decision.raw, 0.0), 1.0), 3),
                        independent_sources=independent_sources(evidence))
