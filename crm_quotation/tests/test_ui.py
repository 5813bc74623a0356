from odoo.tests import HttpCase, tagged

from .common import CrmQuotationCommon


@tagged("post_install", "-at_install")
class TestCrmQuotationUi(HttpCase, CrmQuotationCommon):
    def test_opportunity_to_confirmed_order_tour(self):
        self.user_salesman.groups_id |= self.env.ref("sales_team.group_sale_salesman_all_leads")
        self.lead = self._create_opportunity(
            lines=[(self.product_a, 4)],
            name="巡检商机 Tour Opportunity",
            opportunity_type_id=self.type_project.id,
            revenue_from_lines=True,
        )
        self.start_tour(
            f"/odoo/crm/{self.lead.id}",
            "crm_quotation_opportunity_to_order",
            login="cq_salesman",
        )
        order = self.lead.order_ids
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.product_uom_qty, 4)
        self.assertEqual(self.lead.probability, 100)
        self.assertTrue(order.picking_ids)
