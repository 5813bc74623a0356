"""pytest and Odoo's own test loader see the same test modules of every addon (issue 14.1).

pytest collects every `tests/test_*.py` file; `odoo-bin --test-enable` (and OCA's CI)
runs only the modules that `<addon>/tests/__init__.py` imports
(`odoo.tests.loader.get_test_modules`). A module missing from `__init__.py` runs under
`make test` but never under Odoo; this fails for it. Every addon of the repository is
checked (each directory with a `__manifest__.py`), so a new addon is covered as well.
"""

import inspect
from pathlib import Path
from unittest import TestCase

import pytest

from odoo.tests.loader import get_module_test_cases, get_test_modules

REPO = Path(__file__).resolve().parent.parent
ADDONS = sorted(manifest.parent.name for manifest in REPO.glob("*/__manifest__.py"))


def pytest_test_modules(addon):
    """The test files pytest collects in an addon (its default `python_files`)."""
    tests = REPO / addon / "tests"
    return {path.stem for path in tests.glob("test_*.py")}


def odoo_test_modules(addon):
    return {module.__name__.rpartition(".")[2] for module in get_test_modules(addon)}


def test_every_addon_is_checked():
    assert {"crm_distributor", "crm_quotation", "crm_service_bridge", "crm_analytics_ext"} <= set(
        ADDONS
    )


@pytest.mark.parametrize("addon", ADDONS)
def test_odoo_loader_sees_every_pytest_module(addon):
    seen_by_pytest = pytest_test_modules(addon)
    seen_by_odoo = odoo_test_modules(addon)
    only_pytest = sorted(seen_by_pytest - seen_by_odoo)
    assert not only_pytest, (
        f"{addon}/tests/__init__.py does not import {only_pytest}: "
        "odoo-bin --test-enable would never run them"
    )
    only_odoo = sorted(seen_by_odoo - seen_by_pytest)
    assert not only_odoo, f"{addon}: Odoo loads test modules pytest does not collect: {only_odoo}"


def pytest_only_tests(module):
    """Tests pytest runs in a module that Odoo's runner ignores: plain `test*` functions
    and `Test*` classes that are not unittest TestCases."""
    hidden = []
    for name, obj in vars(module).items():
        if getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj) and name.startswith("test"):
            hidden.append(name)
        elif inspect.isclass(obj) and name.startswith("Test") and not issubclass(obj, TestCase):
            hidden.append(name)
    return hidden


@pytest.mark.parametrize("addon", ADDONS)
def test_odoo_runs_every_test_pytest_runs(addon):
    """Inside the modules, Odoo runs TestCase methods only: a plain pytest function or
    class would pass `make test` and never run under odoo-bin --test-enable."""
    hidden = {}
    for module in get_test_modules(addon):
        names = pytest_only_tests(module)
        if names:
            hidden[module.__name__.rpartition(".")[2]] = names
    assert (
        not hidden
    ), f"{addon}: tests Odoo's runner never sees (make them TestCase methods): {hidden}"
    without_cases = [
        module.__name__
        for module in get_test_modules(addon)
        if not any(True for _case in get_module_test_cases(module))
    ]
    assert not without_cases, f"{addon}: test modules without a test case: {without_cases}"
