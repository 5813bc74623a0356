"""The demo logins printed by `make run` and listed in the README work.

`make test` installs the addons with their demo data, so this checks the demo too.
"""

from odoo.tests import HttpCase, tagged

DEMO_LOGINS = {
    # login: (group xml id the user must have, language)
    "sales": ("sales_team.group_sale_salesman", None),
    "channel": ("crm_distributor.group_channel_manager", "zh_CN"),
    "finance": ("crm_quotation.group_finance_reader", None),
    "credit": ("crm_quotation.group_credit_manager", None),
    "dist_gd": ("base.group_portal", None),
    "dist_zj": ("base.group_portal", None),
    "dist_sc": ("base.group_portal", None),
}


@tagged("post_install", "-at_install")
class TestDemoLogins(HttpCase):
    def test_demo_users_log_in(self):
        for login, (group, lang) in DEMO_LOGINS.items():
            with self.subTest(login=login):
                user = self.env["res.users"].search([("login", "=", login)])
                self.assertTrue(user, f"demo user {login} is missing")
                self.assertTrue(user.has_group(group), f"{login} lacks {group}")
                if lang:
                    self.assertEqual(user.lang, lang)
                session = self.authenticate(login, login)
                self.assertEqual(session.uid, user.id)

    def test_portal_user_reaches_the_portal(self):
        self.authenticate("dist_gd", "dist_gd")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/my/registrations", response.text)

    def test_zh_cn_is_active_for_the_demo(self):
        self.assertTrue(self.env["res.lang"]._lang_get("zh_CN").active)
