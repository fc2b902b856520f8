import json
import os
import subprocess
import sys

from service.cli import main
from tests.support import ROOT, SEEDS, doc, find_claim, open_checker


def run_cli(args, data_dir, capsys):
    os.environ["FACTCHECK_DATA_DIR"] = str(data_dir)
    try:
        code = main(args)
    finally:
        del os.environ["FACTCHECK_DATA_DIR"]
    return code, capsys.readouterr()


def test_check_json_prints_the_report_contract(tmp_path, capsys):
    code, out = run_cli(["check", str(ROOT / "seeds"), "--json"], tmp_path / "d", capsys)
    assert code == 0
    report = json.loads(out.out)
    assert len(report["documents"]) == 2
    altman = find_claim_json(report, "Sam Altman, a affirmé")
    assert altman["verdict"] == "disputed"
    assert "text" not in report["documents"][0]


def find_claim_json(report, fragment):
    return next(c for d in report["documents"] for c in d["claims"] if fragment in c["quote"])


def test_invalid_utf8_is_refused_and_nothing_is_stored(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("Meta invested $14 billion in Scale AI.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Meta invested \xff\xfe in Scale AI.")
    code, out = run_cli(["ingest", str(good), str(bad)], tmp_path / "d", capsys)
    assert code == 2 and "not valid UTF-8" in out.err and "bad.txt" in out.err
    code, out = run_cli(["ingest", str(good)], tmp_path / "d", capsys)
    assert code == 0 and out.out.startswith("stored")  # the earlier failed call stored nothing


def test_empty_file_is_refused(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    code, out = run_cli(["ingest", str(empty)], tmp_path / "d", capsys)
    assert code == 2 and "empty" in out.err


def test_restart_loses_nothing_and_chroma_is_rebuilt_from_the_record_store(tmp_path, embedder):
    checker = open_checker(tmp_path / "d", embedder)
    reports = checker.ingest_many([doc(p) for p in SEEDS])
    claim_ids = {c.id for r, _ in reports for c in r.claims}
    verdicts = {c.id: c.verdict for r, _ in reports for c in r.claims}
    # Lose the vector store entirely; a restart must rebuild it from SQLite.
    import shutil

    checker.close()  # the process ends (its Chroma client held the files being removed)
    shutil.rmtree(tmp_path / "d" / "chroma")
    reopened = open_checker(tmp_path / "d", embedder)
    assert reopened.vectors.ids() == claim_ids
    again = [reopened.document_report(r.id) for r, _ in reports]
    assert {c.id: c.verdict for r in again for c in r.claims} == verdicts
    assert find_claim(again, "14 milliards").verdict == "corroborated"


def test_console_script_is_installed():
    out = subprocess.run([sys.executable, "-m", "service.cli", "--help"], capture_output=True, text=True, check=True)
    assert "serve" in out.stdout and "ingest" in out.stdout and "check" in out.stdout
