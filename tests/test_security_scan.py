"""CI's dependency audit fails on a known vulnerability unless it is waived (scripts/pip-audit-check)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

CHECK = Path(__file__).resolve().parent.parent / "scripts" / "pip-audit-check"

REPORT = {
    "dependencies": [
        {
            "name": "django",
            "version": "5.2.0",
            "vulns": [{"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], "fix_versions": ["5.2.1"]}],
        },
        {"name": "segno", "version": "1.6.6", "vulns": []},
        {"name": "private-thing", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    ]
}


def run(tmp_path: Path, waivers: str, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "report.json").write_text(json.dumps(REPORT))
    (tmp_path / "waivers").write_text(waivers)
    return subprocess.run(
        [sys.executable, str(CHECK), "--report", str(tmp_path / "report.json"), str(tmp_path / "waivers")],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", **env},
    )


def test_a_known_vulnerability_fails_the_audit(tmp_path: Path) -> None:
    result = run(tmp_path, "# none\n")
    assert result.returncode == 1
    assert "VULNERABLE: django 5.2.0: PYSEC-2099-1 (fixed in 5.2.1)" in result.stdout
    assert "2 of 3 pinned packages audited, 1 known vulnerabilities" in result.stdout


@pytest.mark.parametrize("advisory", ["PYSEC-2099-1", "CVE-2099-1"])
def test_a_documented_waiver_lets_it_pass(tmp_path: Path, advisory: str) -> None:
    result = run(tmp_path, f"{advisory} not reachable: we never call the affected API (review by 2027-01-01)\n")
    assert result.returncode == 0 and "waived: django 5.2.0" in result.stdout


def test_packages_that_could_not_be_audited_fail_only_when_required(tmp_path: Path) -> None:
    waiver = "PYSEC-2099-1 test\n"
    assert run(tmp_path, waiver).returncode == 0
    assert "NOT audited" in run(tmp_path, waiver).stdout
    assert run(tmp_path, waiver, MINSHENG_REQUIRE_PIP_AUDIT="1").returncode == 1
