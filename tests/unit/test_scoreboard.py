"""The scoreboard compares a run with the baseline item by item and names what broke."""

from __future__ import annotations

import json
from pathlib import Path

from evals.scoreboard import by_direction, by_phenomenon, load_run, regressions, scoreboard, write_scoreboard


def _write_run(folder: Path, split: str, rows: list[dict], headline: dict) -> Path:
    folder.mkdir(parents=True)
    summary = {"run": folder.name, "split": split, "commit": "abc1234",
               "sets": {"news": {"offline": {"headline": headline,
                                             "confusion": {"labels": ["corroborated", "unverified"],
                                                           "matrix": [[1, 1], [0, 1]]}}}}}
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    with (folder / "results.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps({"set": "news", "backend": "offline", **row}) + "\n")
    return folder


def _rows(preds: list[str]) -> list[dict]:
    golds = ["corroborated", "corroborated", "unverified"]
    phenomena = [["figure_agree"], ["denial", "figure_agree"], ["opinion"]]
    return [{"id": f"n{i}", "gold": g, "pred": p, "quote": f"quote {i}", "phenomena": ph}
            for i, (g, p, ph) in enumerate(zip(golds, preds, phenomena))]


def test_regressions_are_items_right_before_and_wrong_now(tmp_path):
    base = _write_run(tmp_path / "base", "test", _rows(["corroborated", "unverified", "unverified"]),
                      {"accuracy": 0.667})
    run = _write_run(tmp_path / "run", "test", _rows(["unverified", "corroborated", "unverified"]),
                     {"accuracy": 0.667})
    broke, fixed, common = regressions(load_run(run).rows[("news", "offline")], load_run(base).rows[("news", "offline")])
    assert [item for item, _ in broke] == ["n0"] and fixed == 1 and common == 3
    text = write_scoreboard(run, base)
    assert "accuracy: 0.667 (baseline 0.667, +0.000)" in text
    assert "1 of 3 items right at the baseline are wrong now; 1 fixed" in text
    assert "n0: gold corroborated, now unverified, was corroborated - 'quote 0'" in text
    assert "figure_agree (n=2): 0.500 (baseline 0.500, +0.000)" in text
    assert "denial (n=1): 1.000 (baseline 0.000, +1.000)" in text
    written = [json.loads(line) for line in (run / "regressions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in written] == ["n0"]


def test_a_baseline_of_another_split_is_not_compared(tmp_path):
    base = _write_run(tmp_path / "base", "test", _rows(["corroborated"] * 3), {"accuracy": 0.667})
    run = _write_run(tmp_path / "run", "dev", _rows(["unverified"] * 3), {"accuracy": 0.333})
    text, records = scoreboard(load_run(run), load_run(base))
    assert "is of split test: not compared" in text and records == []


def test_extraction_items_are_gold_claims():
    def row(matched):
        return {"id": "fr:shark", "gold_claims": [{"claims": ["A", "B"]}, {"claims": ["C"]}], "gold_matched": matched}

    broke, fixed, common = regressions([row([[0, 1]])], [row([[0, 0], [1, 0]])])
    assert sorted(item for item, _ in broke) == ["fr:shark#0.0", "fr:shark#1.0"] and fixed == 1 and common == 3


def test_phenomena_come_from_any_of_the_three_fields():
    rows = [{"gold": "a", "pred": "a", "phenomenon": "denial"}, {"gold": "a", "pred": "b", "tags": ["cross"]},
            {"gold": "a", "pred": "a", "phenomena": ["denial"]}]
    assert by_phenomenon(rows) == {"cross": {"accuracy": 0.0, "n": 1, "predicted": {"b": 1}},
                                   "denial": {"accuracy": 1.0, "n": 2, "predicted": {"a": 2}}}


def test_directions_are_scored_apart():
    rows = [{"gold": "a", "pred": "a", "direction": "fr-vi"}, {"gold": "a", "pred": "b", "direction": "fr-vi"},
            {"gold": "a", "pred": "a", "direction": "en-en"}, {"gold": "a", "pred": "a"}]
    assert by_direction(rows) == {"en-en": {"accuracy": 1.0, "n": 1, "predicted": {"a": 1}},
                                  "fr-vi": {"accuracy": 0.5, "n": 2, "predicted": {"a": 1, "b": 1}}}
