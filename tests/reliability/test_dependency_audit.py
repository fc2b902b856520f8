"""The audit wrapper fails on a known vulnerability and never reports 'clean' for packages it could not audit."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"


@pytest.fixture()
def audit(monkeypatch):
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _lock(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("fastapi==0.165.0\nstarlette==1.10.0\n")
    return lock


def test_vulnerability_fails(audit, tmp_path, monkeypatch, capsys):
    report = {"dependencies": [
        {"name": "fastapi", "version": "0.165.0", "vulns": []},
        {"name": "starlette", "version": "1.10.0", "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["1.10.1"]}]},
    ]}
    monkeypatch.setattr(audit, "run_pip_audit", lambda lock, service: report)
    assert audit.main([str(_lock(tmp_path)), "--out", str(tmp_path / "r.json")]) == 1
    assert "VULNERABLE starlette==1.10.0: GHSA-xxxx (fixed in: 1.10.1)" in capsys.readouterr().out


def test_unreachable_service_is_reported_not_clean(audit, tmp_path, monkeypatch, capsys):
    report = {"dependencies": [{"name": n, "skip_reason": "Dependency not found on PyPI"} for n in ("fastapi", "starlette")]}
    monkeypatch.setattr(audit, "run_pip_audit", lambda lock, service: report)
    lock = _lock(tmp_path)
    monkeypatch.delenv("FACTCHECK_REQUIRE_AUDIT", raising=False)
    assert audit.main([str(lock), "--out", str(tmp_path / "r.json")]) == 0
    assert "NOT AUDITED: 2 packages" in capsys.readouterr().out
    monkeypatch.setenv("FACTCHECK_REQUIRE_AUDIT", "1")
    assert audit.main([str(lock), "--out", str(tmp_path / "r.json")]) == 2


def test_clean_audit(audit, tmp_path, monkeypatch, capsys):
    report = {"dependencies": [{"name": n, "version": "1", "vulns": []} for n in ("fastapi", "starlette")]}
    monkeypatch.setattr(audit, "run_pip_audit", lambda lock, service: report)
    monkeypatch.setenv("FACTCHECK_REQUIRE_AUDIT", "1")
    assert audit.main([str(_lock(tmp_path)), "--out", str(tmp_path / "r.json")]) == 0
    assert "audited: 2  vulnerable: 0  not audited: 0" in capsys.readouterr().out
