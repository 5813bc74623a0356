from odoo.tests import HttpCase, tagged

from .common import CrmDistributorCommon


@tagged("post_install", "-at_install")
class TestRegistrationTours(HttpCase, CrmDistributorCommon):
    def test_portal_registration_conflict_tour(self):
        holder = self._create_registration(self.distributor_b, partner_name="旅游冲突测试有限公司")
        holder.action_submit()
        holder.action_approve()
        self.start_tour(
            "/my/registrations", "crm_distributor_portal_conflict_tour", login="test_portal_a"
        )
        registration = self.env["crm.deal.registration"].search(
            [
                ("distributor_id", "=", self.distributor_a.id),
                ("partner_name", "=", "旅游冲突测试有限公司"),
            ]
        )
        self.assertEqual(len(registration), 1, "the second submission wrote one record only")
        self.assertTrue(registration.is_conflict)
        self.assertEqual(registration.conflict_until, holder.protection_end_date)

    def test_channel_manager_approve_tour(self):
        registration = self._create_registration(
            self.distributor_a, partner_name="旅游审批测试有限公司"
        )
        registration.action_submit()
        self.start_tour(
            "/odoo/action-crm_distributor.crm_deal_registration_action",
            "crm_distributor_approve_tour",
            login="test_channel_manager",
        )
        self.assertEqual(registration.state, "converted")
        self.assertTrue(registration.lead_id)
