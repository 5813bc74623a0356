from odoo.tests import HttpCase, tagged

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsUi(HttpCase, CrmAnalyticsCommon):
    def test_customer_value_tour(self):
        self.manager.tour_enabled = False
        self.start_tour("/odoo", "crm_analytics_ext_customer_value_tour", login="rfm_manager")
