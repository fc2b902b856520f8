"""Audit the locked dependencies for known vulnerabilities with pip-audit, and say plainly what was not audited.

pip-audit asks a vulnerability service (PyPI's JSON API, or OSV) about each pinned package. Where neither is
reachable it skips every package and still exits 0, which would read as "clean"; this wrapper counts the
skipped packages and reports them as NOT AUDITED. Exit codes: 0 audited and clean (or not audited, unless
FACTCHECK_REQUIRE_AUDIT=1), 1 known vulnerabilities, 2 not audited while an audit is required.

    python scripts/audit_dependencies.py [requirements.lock] [--out results/pip-audit.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path


def run_pip_audit(lock: Path, service: str) -> dict:
    """One pip-audit run over the lock file against one vulnerability service; its JSON report."""
    cmd = [
        sys.executable, "-m", "pip_audit", "-r", str(lock), "--no-deps", "--disable-pip",
        "--progress-spinner", "off", "--format", "json", "--vulnerability-service", service, "--timeout", "20",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"dependencies": [], "error": f"pip-audit ({service}) failed: {tail[0]}"}


def summarise(report: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """(audited, vulnerable, skipped) dependencies of a pip-audit JSON report."""
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = [d for d in deps if not d.get("skip_reason")]
    vulnerable = [d for d in audited if d.get("vulns")]
    return audited, vulnerable, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", nargs="?", default="requirements.lock")
    parser.add_argument("--out", default="results/pip-audit.json", help="Where to write the combined report.")
    args = parser.parse_args(argv)
    lock = Path(args.lock)
    total = sum(1 for line in lock.read_text().splitlines() if line.strip() and not line.lstrip().startswith("#"))

    best: tuple[str, dict] | None = None
    for service in ("pypi", "osv"):
        report = run_pip_audit(lock, service)
        audited, _, _ = summarise(report)
        if best is None or len(audited) > len(summarise(best[1])[0]):
            best = (service, report)
        if audited and len(audited) == total:
            break
    assert best is not None
    service, report = best
    audited, vulnerable, skipped = summarise(report)

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"service": service, "locked": total, **report}, indent=1))

    print(f"dependency audit of {lock} ({total} pinned packages) via pip-audit/{service}:")
    print(f"  audited: {len(audited)}  vulnerable: {len(vulnerable)}  not audited: {len(skipped)}")
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "none yet"
            print(f"  VULNERABLE {dep['name']}=={dep.get('version')}: {vuln['id']} (fixed in: {fixes})")
    if report.get("error"):
        print(f"  {report['error']}")
    if skipped:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in skipped})
        print(f"  NOT AUDITED: {len(skipped)} packages ({'; '.join(reasons)}); no vulnerability service was reachable")
    print(f"  report: {out}")

    if vulnerable:
        return 1
    if len(audited) < total and os.environ.get("FACTCHECK_REQUIRE_AUDIT") == "1":
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
