"""The four addons are installed together in the test database."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSuiteInstalled(TransactionCase):
    def test_four_addons_installed(self):
        modules = self.env["ir.module.module"].search(
            [
                (
                    "name",
                    "in",
                    [
                        "crm_match",
                        "crm_distributor",
                        "crm_quotation",
                        "crm_service_bridge",
                        "crm_analytics_ext",
                    ],
                )
            ]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 5)

    def test_channel_crm_category(self):
        category = self.env.ref("crm_distributor.module_category_channel_crm")
        groups = self.env["res.groups"].search([("category_id", "=", category.id)])
        self.assertIn(self.env.ref("crm_distributor.group_channel_manager"), groups)
