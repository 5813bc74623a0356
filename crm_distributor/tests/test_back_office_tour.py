from odoo.tests import HttpCase, tagged, users

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import CrmDistributorCommon


@tagged("post_install", "-at_install")
class TestChannelManagerTour(HttpCase, CrmDistributorCommon):
    """The channel manager's review -> approve flow in the web client, as the
    least-privileged channel manager (no sales manager, no admin), in zh_CN."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["res.lang"]._lang_get("zh_CN"):
            # a database made without zh_CN (odoo-bin -i ... --test-enable)
            cls.env["res.lang"]._activate_lang("zh_CN")
            cls.env["ir.module.module"].search(
                [("name", "in", ("base", "web", "crm_distributor"))]
            )._update_translations("zh_CN")
        cls.user_channel_zh = mail_new_test_user(
            cls.env,
            login="test_channel_manager_zh",
            name="渠道经理",
            groups="base.group_user,crm_distributor.group_channel_manager",
            lang="zh_CN",
        )
        cls.distributor_a.channel_manager_id = cls.user_channel_zh

    def test_channel_manager_review_approve_tour(self):
        holder = self._create_registration(self.distributor_b, partner_name="苏州华光精工有限公司")
        holder.action_submit()
        holder.action_approve()
        registration = self._create_registration(
            self.distributor_a, partner_name="苏州花光精工有限公司"
        )
        registration.action_submit()
        self.assertTrue(registration.review_required)
        self.assertFalse(
            self.user_channel_zh.has_group("sales_team.group_sale_manager"),
            "the least-privileged channel manager",
        )
        self.start_tour(
            "/odoo/action-crm_distributor.crm_deal_registration_action",
            "crm_distributor_review_tour",
            login="test_channel_manager_zh",
        )
        self.assertEqual(registration.state, "converted")
        self.assertEqual(registration.customer_choice, "new")
        self.assertNotEqual(registration.partner_id, holder.partner_id)
        self.assertEqual(holder.partner_id.end_customer_distributor_id, self.distributor_b)


@tagged("post_install", "-at_install")
class TestBackOfficeViews(CrmDistributorCommon):
    @users("test_channel_manager")
    def test_kanban_in_workflow_order_opening_on_to_review(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_distributor.crm_deal_registration_action"
        )
        self.assertEqual(action["view_mode"].split(",")[0], "kanban")
        self.assertIn("'search_default_to_review': 1", action["context"])
        self._create_registration(self.distributor_a).sudo().action_submit()
        groups = self.env["crm.deal.registration"].web_read_group(
            [], ["state"], ["state"], lazy=True
        )["groups"]
        self.assertEqual(
            [group["state"] for group in groups],
            ["draft", "submitted", "returned", "converted", "rejected", "expired"],
            "workflow order; 'approved' (without opportunity) only when used",
        )
