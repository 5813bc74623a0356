from odoo.tests import HttpCase, tagged

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsUi(HttpCase, CrmAnalyticsCommon):
    def test_customer_value_tour(self):
        """A sales manager (not admin) in zh_CN: dashboard, segment drill-down, year-end review."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.manager.write({"tour_enabled": False, "lang": "zh_CN"})
        self.start_tour("/odoo", "crm_analytics_ext_customer_value_tour", login="rfm_manager")

    def test_year_review_report_renders(self):
        customer = self.env["crm.analytics.customer"].search(
            [("company_id", "=", self.company_rfm.id), ("partner_id", "=", self.champion.id)]
        )
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_qweb_html("crm_analytics_ext.action_report_customer_year_review", customer.ids)
        )
        self.assertIn("Tour Champion Robotics", html.decode())
        self.assertIn("39,000", html.decode())
