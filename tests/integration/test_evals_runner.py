"""The eval runner works end to end on a few dev items (evals are not tests: no quality bar here)."""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from pathlib import Path

import pytest

from evals import datasets as ds
from evals.metrics import classification_summary, greedy_match, macro_f1, reliability, token_f1
from evals.sets import SETS, EvalContext
from service.analysis import StanceResult
from service.models import ClaimDraft, ClaimReport, DocumentReport, EvidenceOut

needs_data = pytest.mark.skipif(not ds.DEFAULT_DATA_DIR.is_dir(), reason="../shared/data is not beside the repo")


def _report_modules():
    """The run writer and CLI; they draw PNGs, so they need matplotlib (pinned in requirements.lock)."""
    pytest.importorskip("matplotlib", reason="matplotlib is not installed: add it to requirements.lock")
    from evals.cli import main
    from evals.report import write_run

    return main, write_run


def test_metrics_on_a_hand_worked_example():
    gold = ["a", "a", "b", "c"]
    pred = ["a", "b", "b", "a"]
    summary = classification_summary(gold, pred, ["a", "b", "c"])
    assert summary["accuracy"] == 0.5
    assert summary["per_class"]["b"] == {"precision": 0.5, "recall": 1.0, "f1": pytest.approx(2 / 3),
                                         "support": 1, "predicted": 2}
    assert summary["confusion"]["matrix"] == [[1, 1, 0], [0, 1, 0], [1, 0, 0]]
    assert macro_f1(gold, pred, ["a", "b", "c"]) == pytest.approx((0.5 + 2 / 3 + 0) / 3)
    rel = reliability([0.95, 0.95, 0.15], [True, False, False], bins=10)
    assert rel["ece"] == pytest.approx(2 / 3 * 0.45 + 1 / 3 * 0.15)
    assert token_f1("Meta invested $14 billion", "meta invested 14 billion dollars") == pytest.approx(8 / 9)
    assert greedy_match(["a b c", "d e f"], ["d e f", "a b x"], 0.6) == [(1, 0, 1.0), (0, 1, pytest.approx(2 / 3))]


class WordOverlapChecker:
    """A test double of service.pipeline.FactChecker: word overlap decides stance, 'not' flips it."""

    backend_name = "offline"

    def __init__(self) -> None:
        self.docs: dict[str, str] = {}
        self.reports: dict[str, DocumentReport] = {}

    @staticmethod
    def _stance(claim: str, evidence: str) -> StanceResult:
        c, e = set(ds.tokens(claim)), set(ds.tokens(evidence))
        overlap = len(c & e) / max(1, len(c))
        if overlap < 0.3:
            return StanceResult("neutral", 1 - overlap, "little overlap")
        negated = ("not" in c) != ("not" in e)
        return StanceResult("refutes" if negated else "supports", overlap, "overlap")

    def ingest_many(self, docs):
        reports = []
        for doc in docs:
            doc_id = uuid.uuid5(uuid.NAMESPACE_URL, doc.text).hex
            self.docs[doc_id] = doc.text
            claims = [self._report(d, doc_id, "unverified", []) for d in self.extract(doc.text)]
            self.reports[doc_id] = DocumentReport(id=doc_id, language="en", source_group=doc_id, text=doc.text,
                                                  claims=claims)
            reports.append((self.reports[doc_id], True))
        return reports

    def document_report(self, document_id: str) -> DocumentReport:
        return self.reports[document_id]

    @staticmethod
    def _report(draft: ClaimDraft, doc_id: str, verdict: str, evidence) -> ClaimReport:
        return ClaimReport(id=f"{doc_id}:{draft.start}", document_id=doc_id, text=draft.text, quote=draft.quote,
                           start=draft.start, end=draft.end, language="en", checkworthy=True, verdict=verdict,
                           confidence=0.5, evidence=evidence)

    def check_claim(self, text: str) -> ClaimReport:
        evidence = []
        for doc_id, doc_text in self.docs.items():
            result = self._stance(text, doc_text)
            if result.stance != "neutral":
                evidence.append(EvidenceOut(document_id=doc_id, quote=doc_text, start=0, end=len(doc_text),
                                            stance=result.stance, score=result.score, same_source=False,
                                            rationale=result.rationale))
        stances = {e.stance for e in evidence}
        verdict = ("disputed" if stances == {"supports", "refutes"} else "corroborated" if "supports" in stances
                   else "contradicted" if "refutes" in stances else "unverified")
        draft = ClaimDraft(text=text, quote=text, start=0, end=len(text), language="en")
        return self._report(draft, "check", verdict, evidence)

    def extract(self, text: str) -> list[ClaimDraft]:
        return [ClaimDraft(text=m.group(0), quote=m.group(0), start=m.start(), end=m.end(), language="en")
                for m in re.finditer(r"[^.!?\n]+[.!?]?", text) if m.group(0).strip()]

    def judge_pair(self, claim: str, evidence: str) -> StanceResult:
        return self._stance(claim, evidence)


@needs_data
def test_every_set_runs_and_writes_a_run_folder_with_a_test_double(tmp_path: Path):
    _, write_run = _report_modules()

    @contextlib.contextmanager
    def open_checker():
        yield WordOverlapChecker()

    outcomes = []
    for name, run_set in SETS.items():
        if name == "xnli_retrieval":
            continue  # needs the real embedder; covered by the real-pipeline test
        outcome = run_set(EvalContext(split="dev", backend="offline", open_checker=open_checker, limit=3,
                                      progress=False))
        assert outcome.rows and outcome.summary["headline"], name
        outcomes.append(outcome)
    summary = {"run": "t", "split": "dev", "backends": ["offline"], "command": "pytest", "wall_seconds": 0.0,
               "sets": {o.name: {o.backend: o.summary} for o in outcomes}}
    write_run(tmp_path, {"run": "t"}, outcomes, summary)
    assert json.loads((tmp_path / "summary.json").read_text())["sets"]["climate_fever"]["offline"]["n"] == 3
    assert "| climate_fever | accuracy |" in (tmp_path / "summary.md").read_text()
    assert list(tmp_path.glob("confusion_*.png")) and list(tmp_path.glob("reliability_*.png"))
    rows = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert {r["set"] for r in rows} == {o.name for o in outcomes}


@needs_data
def test_cli_runs_a_few_dev_items_on_the_real_factchecker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    main, _ = _report_modules()
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)  # main() sets a default; undo it after the test
    sets = {"climate_fever", "vitaminc", "factcheck_bench", "xnli_retrieval"}
    code = main(["--sets", ",".join(sorted(sets)), "--split", "dev", "--limit", "2", "--jobs", "2",
                 "--run", "pytest", "--out", str(tmp_path), "--no-progress"])
    assert code == 0
    summary = json.loads((tmp_path / "pytest" / "summary.json").read_text())
    assert summary["partial"] is True and set(summary["sets"]) == sets
    assert summary["sets"]["climate_fever"]["offline"]["n"] == 2
    assert summary["sets"]["climate_fever"]["offline"]["errors"] == 0
    assert (tmp_path / "pytest" / "summary.md").exists()
    # the same items in one process give the same predictions, in the same order
    assert main(["--sets", "climate_fever,vitaminc", "--split", "dev", "--limit", "2", "--jobs", "1",
                 "--run", "serial", "--out", str(tmp_path), "--no-progress"]) == 0

    def predictions(run: str) -> list:
        rows = [json.loads(line) for line in (tmp_path / run / "results.jsonl").read_text().splitlines()]
        return [(r["set"], r["id"], r["pred"]) for r in rows if r["set"] in ("vitaminc", "climate_fever")]

    assert predictions("serial") == predictions("pytest") and len(predictions("serial")) == 4


def test_limit_on_test_split_is_refused(tmp_path: Path):
    main, _ = _report_modules()
    assert main(["--split", "test", "--limit", "5", "--out", str(tmp_path)]) == 2
