"""The suite's addons (every addon of the repository) are installed together in the
test database."""

from pathlib import Path

from odoo.tests import TransactionCase, tagged

REPO = Path(__file__).resolve().parent.parent
ADDONS = sorted(manifest.parent.name for manifest in REPO.glob("*/__manifest__.py"))


@tagged("post_install", "-at_install")
class TestSuiteInstalled(TransactionCase):
    def test_suite_addons_installed(self):
        self.assertTrue(
            {
                "crm_match",
                "crm_distributor",
                "crm_quotation",
                "crm_service_bridge",
                "crm_analytics_ext",
            }
            <= set(ADDONS)
        )
        modules = self.env["ir.module.module"].search([("name", "in", ADDONS)])
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), len(ADDONS))

    def test_channel_crm_category(self):
        category = self.env.ref("crm_distributor.module_category_channel_crm")
        groups = self.env["res.groups"].search([("category_id", "=", category.id)])
        self.assertIn(self.env.ref("crm_distributor.group_channel_manager"), groups)
