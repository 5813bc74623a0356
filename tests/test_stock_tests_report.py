"""scripts/stock_tests_report.py: `make stock-tests` fails on any failure that is not a
known failure of stock Odoo (listed with its reason), and on a listed test that passes."""

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location(
    "stock_tests_report", REPO / "scripts" / "stock_tests_report.py"
)
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)

LOG = """\
2026-12-01 04:02:26,321 29564 ERROR db odoo.tests.suite: ERROR: setUpClass (odoo.addons.portal.tests.test_portal_wizard.TestPortalWizard)
2026-12-01 04:10:00,000 29564 ERROR db odoo.addons.sale_crm.tests.test_sale_crm: FAIL: TestSaleCrm.test_sale_crm_revenue
2026-12-01 04:10:01,000 29564 ERROR db odoo.addons.sale.tests.test_sale_order: FAIL: Subtest TestSaleOrder.test_x (line=1)
2026-12-01 04:10:02,000 29564 ERROR db odoo.addons.sale.tests.test_sale_order: FAIL: Subtest TestSaleOrder.test_x (line=2)
2026-12-01 04:10:02,500 29564 INFO db odoo.tests.stats: crm: 119 tests 30.50s 10000 queries
2026-12-01 04:10:03,000 29564 ERROR db odoo.tests.result: 3 failed, 1 error(s) of 500 tests when loading database 'db'
"""  # noqa: E501


def test_parse_names_each_failing_test_once():
    failures, stats, summary = report.parse_log(LOG)
    assert set(failures) == {
        "portal.tests.test_portal_wizard.TestPortalWizard.setUpClass",
        "sale_crm.tests.test_sale_crm.TestSaleCrm.test_sale_crm_revenue",
        "sale.tests.test_sale_order.TestSaleOrder.test_x",
    }
    assert stats == {"crm": (119, 30.5)}
    assert summary == (3, 1, 500)


def test_known_failures_need_a_reason():
    known = report.parse_known("# comment\n\na.tests.t.C.test_a  # fails on stock too: lots\n")
    assert known == {"a.tests.t.C.test_a": "fails on stock too: lots"}
    with pytest.raises(ValueError, match="no reason"):
        report.parse_known("a.tests.t.C.test_a\n")


def test_compare():
    failures, _stats, summary = report.parse_log(LOG)
    known = {
        "portal.tests.test_portal_wizard.TestPortalWizard.setUpClass": "stock too",
        "sale.tests.test_sale_order.TestSaleOrder.test_x": "stock too",
        "crm.tests.test_crm_lead.TestCrmLead.test_fixed": "was failing",
    }
    problems = report.compare(failures, known, {"crm", "sale", "sale_crm", "portal"}, summary)
    assert problems == [
        "NEW FAILURE (not on the known list): "
        "sale_crm.tests.test_sale_crm.TestSaleCrm.test_sale_crm_revenue",
        "PASSES NOW, remove it from the known list: crm.tests.test_crm_lead.TestCrmLead.test_fixed",
    ]
    # a known failure of a module not run this time is not reported as passing
    assert not report.compare({}, {"stock.tests.t.C.test_a": "x"}, {"crm"}, (0, 0, 10))
    assert report.compare({}, {}, {"crm"}, None) == [
        "Odoo printed no test summary: the run did not finish (see the log)"
    ]
