"""`factcheck ingest`/`check` on many files: a progress bar with documents/s and ETA on a terminal, nothing when
stderr is not one or with --quiet, and a final summary (documents, claims, verdicts, time)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from service import cli
from tests.support import SEEDS


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FACTCHECK_LOG_LEVEL", "ERROR")
    docs = tmp_path / "docs"
    docs.mkdir()
    for seed in SEEDS:
        (docs / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    return docs


def test_bar_on_a_terminal_with_rate_and_eta_then_summary(folder, monkeypatch, capsys):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert cli.main(["ingest", str(folder)]) == 0
    err = terminal.getvalue()
    assert "analysing" in err and "verifying" in err and "doc/s" in err
    assert f"{len(SEEDS)}/{len(SEEDS)}" in err  # the bar reached the end
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"factcheck: {len(SEEDS)} documents ({len(SEEDS)} stored, 0 already there)")
    assert "claims" in last and "documents/s" in last and "unverified" in last
    assert capsys.readouterr().out.count("stored ") == len(SEEDS)


def test_no_bar_when_not_a_terminal_but_a_summary(folder, capsys):
    assert cli.main(["ingest", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "analysing" not in err and "\r" not in err
    assert f"factcheck: {len(SEEDS)} documents" in err


def test_quiet_prints_neither_and_json_stays_clean(folder, monkeypatch, capsys):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert cli.main(["check", "--quiet", "--json", str(folder)]) == 0
    assert terminal.getvalue() == ""
    report = json.loads(capsys.readouterr().out)  # stdout is the report alone
    assert len(report["documents"]) == len(SEEDS)
    assert all("backend" in c for d in report["documents"] for c in d["claims"])


def test_summary_counts_existing_documents_and_fallbacks():
    from datetime import UTC, datetime

    from service.models import ClaimReport, DocumentReport

    def claim(verdict: str, backend: str) -> ClaimReport:
        return ClaimReport(id="c", document_id="d", text="t", quote="t", start=0, end=1, language="en",
                           checkworthy=True, verdict=verdict, confidence=0.3, backend=backend)

    report = DocumentReport(id="d", language="en", source_group="d", created_at=datetime.now(UTC),
                            claims=[claim("corroborated", "llm"), claim("unverified", "offline-fallback"),
                                    claim("unverified", "llm")])
    line = cli.summary([(report, True), (report, False)], 4.0)
    assert line.startswith("2 documents (1 stored, 1 already there); 6 claims; 4 unverified, 2 corroborated")
    assert "2 claims from the offline fallback" in line and "0.50 documents/s" in line


def _run_cli(*args: str, data_dir) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    env["FACTCHECK_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "service.cli", *args], capture_output=True, text=True, env=env,
                          timeout=300, check=False)


def test_quiet_keeps_library_logs_off_stderr_and_verbose_brings_them_back(tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    quiet = _run_cli("check", "--quiet", str(doc), data_dir=tmp_path / "quiet")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    assert "source group" in quiet.stdout  # the report itself still prints
    verbose = _run_cli("ingest", "--verbose", str(doc), data_dir=tmp_path / "verbose")
    assert verbose.returncode == 0, verbose.stderr
    assert "INFO alembic" in verbose.stderr  # the fresh data folder's migrations are logged
