"""scripts/setup_system.sh: the newcomer's set-up (issue 13), run against stubbed
system commands (dpkg-query, apt-get, id, sudo, git), so nothing is installed or
fetched; ODOO_PATH is a temporary directory."""

import os
import pty
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "setup_system.sh"
CLONE = "git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git"

STUBS = {
    # installed unless named in STUB_MISSING
    "dpkg-query": 'pkg="${!#}"; case " $STUB_MISSING " in *" $pkg "*) exit 1;; esac\n'
    'printf "install ok installed"\n',
    "apt-get": 'echo "apt-get $*" >>"$STUB_LOG"\n',
    "id": 'case "$1" in -u) echo "${STUB_UID:-1000}";; -un) echo newcomer;;\n'
    '  *) echo "uid=1000";; esac\n',
    "sudo": 'if [ "$*" = "-n true" ]; then [ "${STUB_SUDO:-0}" = 1 ]; exit; fi\n'
    'echo "sudo $*" >>"$STUB_LOG"; [ "${STUB_SUDO:-0}" = 1 ] || exit 1\n'
    'shift; [ "$1" = -n ] && shift; "$@"\n',
    "git": 'echo "git $*" >>"$STUB_LOG"\n'
    'case "$1" in\n'
    '  ls-remote) exit "${STUB_GIT_REACH:-0}";;\n'
    '  clone) dest="${!#}"; mkdir -p "$dest/odoo/addons/base"; touch "$dest/odoo-bin";;\n'
    "esac\n",
}


@pytest.fixture
def system(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in STUBS.items():
        stub = bin_dir / name
        stub.write_text("#!/bin/bash\n" + body)
        stub.chmod(0o755)
    log = tmp_path / "calls.log"
    log.touch()
    odoo = tmp_path / "odoo"
    (odoo / "odoo" / "addons" / "base").mkdir(parents=True)
    (odoo / "odoo-bin").touch()
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "STUB_LOG": str(log),
        "ODOO_PATH": str(odoo),
    }

    def run(*args, stdin=subprocess.DEVNULL, **extra):
        result = subprocess.run(
            ["bash", str(SCRIPT), *args],
            env={**env, **extra},
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        result.calls = log.read_text().splitlines()
        return result

    run.tmp = tmp_path
    return run


def test_nothing_missing_nothing_done(system):
    result = system("test")
    assert result.returncode == 0, result.stderr
    assert result.calls == []
    assert "System ready for 'test'" in result.stderr


def test_missing_packages_without_rights_print_the_one_command(system):
    result = system("run", STUB_MISSING="libldap2-dev libsasl2-dev")
    assert result.returncode == 1
    assert (
        "sudo apt-get update && sudo apt-get install -y --no-install-recommends "
        "libldap2-dev libsasl2-dev" in result.stderr
    )
    assert result.calls == [], "nothing is installed without rights"


def test_root_installs_the_missing_packages(system):
    result = system("test", STUB_MISSING="chromium libpq-dev", STUB_UID="0")
    assert result.returncode == 0, result.stderr
    assert result.calls == [
        "apt-get update -qq",
        "apt-get install -y -qq --no-install-recommends libpq-dev chromium",
    ]


def test_passwordless_sudo_installs_the_missing_packages(system):
    result = system("run", STUB_MISSING="libsasl2-dev", STUB_SUDO="1")
    assert result.returncode == 0, result.stderr
    assert "sudo -n apt-get update -qq" in result.calls
    assert "apt-get install -y -qq --no-install-recommends libsasl2-dev" in result.calls


def test_setup_system_0_only_checks(system):
    result = system("run", STUB_MISSING="libpq-dev", STUB_UID="0", SETUP_SYSTEM="0")
    assert result.returncode == 1
    assert "sudo apt-get install -y --no-install-recommends libpq-dev" in result.stderr
    assert result.calls == []


def test_ci_purpose_adds_git_and_chromium(system):
    result = system("ci", STUB_MISSING="git chromium")
    assert result.returncode == 1
    assert "--no-install-recommends chromium git" in result.stderr


def test_no_odoo_non_interactive_says_what_to_do(system):
    missing = system.tmp / "nowhere" / "odoo"
    result = system("run", ODOO_PATH=str(missing))
    assert result.returncode == 1
    assert f"{CLONE} {missing}" in result.stderr
    assert "ODOO_FETCH=1 make run" in result.stderr
    assert "nightly.odoo.com/18.0" in result.stderr
    assert not any(call.startswith("git") for call in result.calls), "nothing fetched unasked"


@pytest.mark.parametrize("trigger", [{"ODOO_FETCH": "1"}, {"CI": "true"}])
def test_no_odoo_fetches_when_asked_or_in_ci(system, trigger):
    target = system.tmp / "new" / "odoo"
    result = system("run", ODOO_PATH=str(target), **trigger)
    assert result.returncode == 0, result.stderr
    assert f"{CLONE} {target}" in result.calls
    assert (target / "odoo-bin").is_file()


def test_odoo_fetch_0_wins_over_ci(system):
    result = system("run", ODOO_PATH=str(system.tmp / "x"), CI="true", ODOO_FETCH="0")
    assert result.returncode == 1
    assert not any(call.startswith("git clone") for call in result.calls)


def test_unreachable_network_says_what_to_do(system):
    target = system.tmp / "new" / "odoo"
    result = system("run", ODOO_PATH=str(target), ODOO_FETCH="1", STUB_GIT_REACH="128")
    assert result.returncode == 1
    assert "Cannot reach https://github.com/odoo/odoo.git" in result.stderr
    assert f"{CLONE} {target}" in result.stderr
    assert "https_proxy" in result.stderr
    assert not any(call.startswith("git clone") for call in result.calls)


def test_never_clones_over_a_non_empty_directory(system):
    target = system.tmp / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = system("run", ODOO_PATH=str(target), ODOO_FETCH="1")
    assert result.returncode == 1
    assert "not cloning over it" in result.stderr
    assert not any(call.startswith("git clone") for call in result.calls)


@pytest.mark.parametrize(("answer", "fetched"), [("y\n", True), ("\n", False)])
def test_interactive_prompt(system, answer, fetched):
    target = system.tmp / "asked" / "odoo"
    leader, follower = pty.openpty()
    try:
        os.write(leader, answer.encode())
        result = subprocess.run(
            ["bash", str(SCRIPT), "run"],
            env={
                "PATH": f"{system.tmp / 'bin'}:/usr/bin:/bin",
                "HOME": str(system.tmp),
                "STUB_LOG": str(system.tmp / "calls.log"),
                "ODOO_PATH": str(target),
            },
            stdin=follower,
            stderr=follower,
            stdout=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    calls = (system.tmp / "calls.log").read_text()
    assert (f"{CLONE} {target}" in calls) is fetched
    assert (result.returncode == 0) is fetched
