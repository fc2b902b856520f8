"""The scoreboard: every set of a run beside the committed baseline, with the items each change broke.

    python -m evals.scoreboard RUN_DIR [--baseline DIR] [--show N]

`python -m evals` prints it at the end of every run (and writes `scoreboard.md` and `regressions.jsonl` into the
run folder). Per set: the headline metrics with the baseline's figure beside each, the confusion matrix, accuracy
per language direction and per phenomenon where the set's items carry them (the news gold set's `phenomena`, the
cross-document benchmark's `direction` and `phenomenon`, the stance sets' `tags`), each with the labels predicted
(a confusion row per group: a phenomenon of the cross-document benchmark has one gold label), and the
**regressions**: items right at the baseline and wrong now (for the extraction sets, gold claims found at the
baseline and missed now), with the fixes counted beside them.

An item is right when its prediction equals its gold label; the extraction sets record per gold claim whether a
system claim matched it. Items are compared by their id within a set and backend, so only items present in both
runs count; a baseline of another split is not compared.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from evals.metrics import classification_summary

BASELINE_DIR = Path(__file__).resolve().parent / "results" / "baseline"
SHOW = 12  # regressions printed per set; all of them go to regressions.jsonl


@dataclass
class Run:
    """A run folder read back: its summary and its rows, per (set, backend)."""

    path: Path
    summary: dict
    rows: dict[tuple[str, str], list[dict]] = field(default_factory=dict)

    @property
    def split(self) -> str:
        return self.summary.get("split", "?")

    @property
    def label(self) -> str:
        return f"{self.summary.get('run', self.path.name)} @ {self.summary.get('commit') or '?'}"


def load_run(path: Path) -> Run:
    """The summary.json and results.jsonl of a run folder."""
    summary = json.loads((path / "summary.json").read_text(encoding="utf-8"))
    rows: dict[tuple[str, str], list[dict]] = defaultdict(list)
    results = path / "results.jsonl"
    if results.exists():
        with results.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    rows[(row["set"], row["backend"])].append(row)
    return Run(path, summary, dict(rows))


def item_outcomes(rows: Iterable[dict]) -> dict[str, tuple[bool, dict]]:
    """Item id -> (right?, the row or gold claim it came from). Extraction rows give one item per gold claim."""
    out: dict[str, tuple[bool, dict]] = {}
    for row in rows:
        if "gold_matched" in row:  # extraction: one item per gold claim
            matched = {tuple(k) for k in row["gold_matched"]}
            for si, sentence in enumerate(row.get("gold_claims", [])):
                for ci, claim in enumerate(sentence.get("claims", [])):
                    out[f"{row['id']}#{si}.{ci}"] = ((si, ci) in matched, {"claim": claim})
        elif "gold" in row and "pred" in row:
            out[str(row["id"])] = (row["pred"] == row["gold"], row)
    return out


def phenomena_of(row: dict) -> list[str]:
    """The phenomena an item carries: `phenomena` (news gold), `phenomenon` (cross-document), `tags` (stance)."""
    if row.get("phenomena"):
        return list(row["phenomena"])
    if row.get("phenomenon"):
        return [row["phenomenon"]]
    return list(row.get("tags") or [])


def by_phenomenon(rows: Iterable[dict]) -> dict[str, dict]:
    """Accuracy, count and predicted labels per phenomenon over the rows that have a gold label and a prediction."""
    return _grouped(rows, phenomena_of)


def by_direction(rows: Iterable[dict]) -> dict[str, dict]:
    """The same per language direction, for the sets whose items carry one (the cross-document benchmark)."""
    return _grouped(rows, lambda row: [row["direction"]] if row.get("direction") else [])


def _grouped(rows: Iterable[dict], keys) -> dict[str, dict]:
    tally: dict[str, dict] = defaultdict(lambda: {"right": 0, "n": 0, "predicted": defaultdict(int)})
    for row in rows:
        if "gold" not in row or "pred" not in row:
            continue
        for name in keys(row):
            tally[name]["right"] += row["pred"] == row["gold"]
            tally[name]["n"] += 1
            tally[name]["predicted"][row["pred"]] += 1
    return {name: {"accuracy": t["right"] / t["n"], "n": t["n"], "predicted": dict(t["predicted"])}
            for name, t in sorted(tally.items())}


def _describe(item_id: str, row: dict) -> str:
    if "claim" in row and "gold" not in row:
        return f"{item_id}: missed gold claim {row['claim']!r}"
    text = row.get("quote") or row.get("claim") or row.get("query") or ""
    text = text if len(text) <= 90 else text[:87] + "..."
    was = f", was {row['_baseline_pred']}" if row.get("_baseline_pred") else ""
    return f"{item_id}: gold {row['gold']}, now {row['pred']}{was} - {text!r}"


def regressions(current: list[dict], baseline: list[dict]) -> tuple[list[tuple[str, dict]], int, int]:
    """(items right at the baseline and wrong now, how many were fixed, how many items both runs have)."""
    now, before = item_outcomes(current), item_outcomes(baseline)
    common = [i for i in now if i in before]
    broke = []
    for item in common:
        if before[item][0] and not now[item][0]:
            row = dict(now[item][1])
            if "pred" in before[item][1]:
                row["_baseline_pred"] = before[item][1]["pred"]
            broke.append((item, row))
    fixed = sum(1 for i in common if now[i][0] and not before[i][0])
    return broke, fixed, len(common)


def _num(value) -> str:
    return f"{value:.3f}" if isinstance(value, (int, float)) and not isinstance(value, bool) else "–"


def _beside(value, base) -> str:
    if not isinstance(value, (int, float)) or not isinstance(base, (int, float)):
        return f"{_num(value)} (baseline {_num(base)})"
    delta = value - base
    return f"{_num(value)} (baseline {_num(base)}, {'+' if delta >= 0 else ''}{delta:.3f})"


def _confusion_lines(confusion: dict) -> list[str]:
    labels = confusion["labels"]
    width = max(len(label) for label in labels) + 2
    lines = ["    gold \\ predicted".ljust(width + 4) + "".join(label[:12].rjust(14) for label in labels)]
    for label, counts in zip(labels, confusion["matrix"]):
        lines.append(f"    {label}".ljust(width + 4) + "".join(str(c).rjust(14) for c in counts))
    return lines


def _confusion_of(summary: dict, rows: list[dict]) -> dict | None:
    if "confusion" in summary:
        return summary["confusion"]
    for key in ("cross_lingual", "sentence_checkworthiness"):
        if isinstance(summary.get(key), dict) and "confusion" in summary[key]:
            return summary[key]["confusion"]
    labelled = [r for r in rows if "gold" in r and "pred" in r]
    if labelled:
        labels = sorted({r["gold"] for r in labelled} | {r["pred"] for r in labelled})
        return classification_summary([r["gold"] for r in labelled], [r["pred"] for r in labelled], labels)["confusion"]
    return None


def scoreboard(run: Run, baseline: Run | None, show: int = SHOW) -> tuple[str, list[dict]]:
    """The scoreboard text of `run` against `baseline`, and every regression as a JSON-able record."""
    comparable = baseline is not None and baseline.split == run.split
    lines = [f"Scoreboard: {run.label}, split {run.split}"]
    if baseline is None:
        lines.append("No baseline to compare with.")
    elif not comparable:
        lines.append(f"Baseline {baseline.label} is of split {baseline.split}: not compared.")
    else:
        lines.append(f"Baseline: {baseline.label} ({baseline.path})")
    records: list[dict] = []
    for set_name, by_backend in run.summary["sets"].items():
        for backend, summary in by_backend.items():
            rows = run.rows.get((set_name, backend), [])
            base_summary = (baseline.summary["sets"].get(set_name, {}).get(backend) if comparable else None)
            base_rows = baseline.rows.get((set_name, backend), []) if comparable else []
            lines += ["", f"== {set_name} [{backend}] =="]
            base_head = (base_summary or {}).get("headline", {})
            for metric, value in summary.get("headline", {}).items():
                lines.append(f"  {metric}: " + (_beside(value, base_head.get(metric)) if base_summary
                                                else _num(value)))
            confusion = _confusion_of(summary, rows)
            if confusion:
                lines.append("  confusion (rows gold, columns predicted):")
                lines += _confusion_lines(confusion)
            for title, group in (("by direction", by_direction), ("by phenomenon", by_phenomenon)):
                parts, base_parts = group(rows), group(base_rows)
                if parts:
                    lines.append(f"  {title}:")
                    for name, part in parts.items():
                        before = base_parts.get(name)
                        figure = _beside(part["accuracy"], before["accuracy"]) if before else _num(part["accuracy"])
                        predicted = ", ".join(f"{label} {n}" for label, n in sorted(part["predicted"].items()))
                        lines.append(f"    {name} (n={part['n']}): {figure}; predicted: {predicted}")
            if not base_summary:
                lines.append("  regressions: no baseline for this set")
                continue
            broke, fixed, common = regressions(rows, base_rows)
            lines.append(f"  regressions: {len(broke)} of {common} items right at the baseline are wrong now; "
                         f"{fixed} fixed")
            for item, row in broke[:show]:
                lines.append(f"    - {_describe(item, row)}")
            if len(broke) > show:
                lines.append(f"    ... {len(broke) - show} more in regressions.jsonl")
            records += [{"set": set_name, "backend": backend, "id": item, "text": _describe(item, row)}
                        for item, row in broke]
    return "\n".join(lines), records


def _compare(run_dir: Path, baseline_dir: Path | None, show: int) -> tuple[str, list[dict]]:
    run = load_run(run_dir)
    baseline = None
    if baseline_dir is not None and (baseline_dir / "summary.json").exists() and baseline_dir.resolve() != run_dir.resolve():
        baseline = load_run(baseline_dir)
    return scoreboard(run, baseline, show)


def write_scoreboard(run_dir: Path, baseline_dir: Path | None = BASELINE_DIR, show: int = SHOW) -> str:
    """Write scoreboard.md and regressions.jsonl into the run folder; returns the text."""
    text, records = _compare(run_dir, baseline_dir, show)
    (run_dir / "scoreboard.md").write_text("```\n" + text + "\n```\n", encoding="utf-8")
    with (run_dir / "regressions.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.scoreboard", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", type=Path, help="a run folder (evals/results/<run>)")
    parser.add_argument("--baseline", type=Path, default=BASELINE_DIR, help="the run to compare with")
    parser.add_argument("--show", type=int, default=SHOW, help="regressions printed per set")
    args = parser.parse_args(argv)
    if not (args.run / "summary.json").exists():
        print(f"no summary.json in {args.run}", file=sys.stderr)
        return 2
    print(_compare(args.run, args.baseline, args.show)[0])  # reading only: the run folder keeps what its run wrote
    return 0


if __name__ == "__main__":
    sys.exit(main())
