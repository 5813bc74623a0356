"""`make test` fails on any skipped test (conftest.py): a skip means a broken setup."""

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run_pytest(tmp_path, body):
    shutil.copy(REPO / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_sample.py").write_text(body)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:odoo", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_skip_fails_the_run(tmp_path):
    result = _run_pytest(
        tmp_path,
        "import pytest\n\n"
        "def test_ok():\n    assert True\n\n"
        "@pytest.mark.skip(reason='no chromium')\n"
        "def test_tour():\n    pass\n",
    )
    assert result.returncode == 1, result.stdout
    assert "SKIPPED (counted as failure): test_sample.py::test_tour" in result.stdout
    assert "1 passed, 1 skipped" in result.stdout


def test_no_skip_passes(tmp_path):
    result = _run_pytest(tmp_path, "def test_ok():\n    assert True\n")
    assert result.returncode == 0, result.stdout
    assert "1 passed" in result.stdout
