from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import CrmAnalyticsCommon

# what a salesperson reads (their own customers and sales)
SALES_MODELS = (
    "crm.analytics.customer",
    "crm.analytics.customer.month",
    "crm.analytics.year.review",
)
# and what only the sales and channel managers read
MANAGER_MODELS = ("crm.analytics.product.month",)
REPORT_MODELS = SALES_MODELS + MANAGER_MODELS


@tagged("post_install", "-at_install")
class TestAnalyticsAccess(CrmAnalyticsCommon):
    @users("rfm_salesman")
    def test_salesperson_sees_own_customers(self):
        customers = self.env["crm.analytics.customer"].search([])
        self.assertEqual(customers.partner_id, self.champion)
        # the facts of the orders they sold, and nothing of the other company
        facts = self.env["crm.analytics.customer.month"].search([])
        self.assertTrue(facts)
        self.assertEqual(facts.user_id, self.salesman)
        self.assertEqual(facts.company_id, self.company_rfm)
        # product profitability (company-wide margins) is the managers'
        for model in MANAGER_MODELS:
            with self.assertRaises(AccessError):
                self.env[model].search([])

    @users("rfm_other_salesman")
    def test_other_salesperson_sees_nothing_of_theirs(self):
        for model in SALES_MODELS:
            self.assertFalse(self.env[model].search([]), model)

    @users("rfm_channel", "rfm_manager")
    def test_managers_see_everything_of_their_companies(self):
        customers = self.env["crm.analytics.customer"].search([])
        self.assertEqual(
            customers.partner_id,
            self.champion | self.regular | self.middle | self.newcomer | self.lost,
        )
        for model in REPORT_MODELS:
            self.assertEqual(self.env[model].search([]).company_id, self.company_rfm, model)

    @users("rfm_salesman", "rfm_channel")
    def test_only_managers_rebuild(self):
        with self.assertRaises(AccessError):
            self.env["crm.analytics.customer"]._action_rebuild()

    @users("rfm_manager")
    def test_manager_rebuilds(self):
        action = self.env["crm.analytics.customer"]._action_rebuild()
        self.assertEqual(action["params"]["type"], "success")

    def test_reports_are_read_only(self):
        for login in ("rfm_salesman", "rfm_channel", "rfm_manager"):
            user = self.env["res.users"].search([("login", "=", login)])
            for model in REPORT_MODELS:
                with self.assertRaises(AccessError):
                    self.env[model].with_user(user).create({})

    def test_every_menu_opens_for_every_group_that_sees_it(self):
        """Each menu of the addon, as each role: its views load and its data reads."""
        menus = self.env["ir.ui.menu"].search([("id", "in", self._addon_menu_ids())], order="id")
        for login in ("rfm_salesman", "rfm_channel", "rfm_manager"):
            user = self.env["res.users"].search([("login", "=", login)])
            env = self.env(user=user, context={"lang": "zh_CN"})
            visible = env["ir.ui.menu"]._visible_menu_ids()
            self.assertIn(self.env.ref("crm_analytics_ext.channel_analytics_menu_root").id, visible)
            for menu in menus.filtered(lambda menu, visible=visible: menu.id in visible):
                action = menu.action
                if not action or action._name != "ir.actions.act_window":
                    continue
                with self.subTest(login=login, menu=menu.complete_name):
                    action_data = env["ir.actions.act_window"]._for_xml_id(
                        action.get_external_id()[action.id]
                    )
                    Model = env[action_data["res_model"]]
                    modes = action_data["view_mode"].split(",")
                    views = Model.get_views([(False, mode) for mode in modes] + [(False, "search")])
                    for mode in modes:
                        self.assertIn(mode, views["views"])
                    list_fields = views["models"][Model._name]["fields"]
                    Model.web_search_read([], {name: {} for name in list_fields}, limit=80)
                    Model.web_read_group([], ["__count"], ["company_id"])
        # the rebuild is for sales managers only
        salesman_menus = self.env(user=self.salesman)["ir.ui.menu"]._visible_menu_ids()
        self.assertNotIn(
            self.env.ref("crm_analytics_ext.crm_analytics_rebuild_menu").id, salesman_menus
        )

    def _addon_menu_ids(self):
        return (
            self.env["ir.model.data"]
            .search([("module", "=", "crm_analytics_ext"), ("model", "=", "ir.ui.menu")])
            .mapped("res_id")
        )
