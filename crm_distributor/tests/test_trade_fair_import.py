import base64
import datetime

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, tagged, users

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user

from . import spreadsheet_corpus as corpus

FAIR_HEADER = [
    "展会名称",
    "期数",
    "展位号",
    "日期",
    "姓名",
    "公司",
    "职位",
    "邮箱",
    "电话",
    "国家",
    "感兴趣产品",
]


@tagged("post_install", "-at_install")
class TestTradeFairImport(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.fair_manager = mail_new_test_user(
            cls.env,
            login="fair_manager",
            groups="sales_team.group_sale_salesman_all_leads",
            name="Fair Manager",
        )
        cls.sales_1 = mail_new_test_user(
            cls.env, login="fair_sales_1", groups="sales_team.group_sale_salesman", name="Sales 1"
        )
        cls.sales_2 = mail_new_test_user(
            cls.env, login="fair_sales_2", groups="sales_team.group_sale_salesman", name="Sales 2"
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Export Team (fair test)",
                "member_ids": [Command.link(cls.sales_1.id), Command.link(cls.sales_2.id)],
            }
        )
        cls.germany = cls.env.ref("base.de")
        cls.brazil = cls.env.ref("base.br")
        cls.distributor_de = cls.env["res.partner"].create(
            {
                "name": "Rhein Pumpen GmbH",
                "is_distributor": True,
                "is_company": True,
                "country_id": cls.germany.id,
                "channel_manager_id": cls.sales_2.id,
                "territory_country_ids": [Command.link(cls.germany.id)],
            }
        )
        cls.env["crm.lead"].create(
            {"name": "Known buyer", "email_from": "known.buyer@example.com", "type": "lead"}
        )

    def _file(self):
        rows = [
            FAIR_HEADER,
            [
                "第138届广交会",
                "1",
                "12.1F23",
                "2025-10-15",
                "Hans Müller",
                "Rhein Industrie AG",
                "Purchasing Manager",
                "hans.mueller@rhein-industrie.example",
                "+49 30 1234567",
                "Germany",
                "Centrifugal pumps",
            ],
            [
                "第138届广交会",
                "1",
                "12.1F23",
                "2025-10-15",
                "Ana Souza",
                "Bomba Brasil Ltda",
                "CEO",
                "ana@bomba.example.br",
                "+55 11 91234 5678",
                "Brazil",
                "Valves",
            ],
            [
                "第138届广交会",
                "1",
                "12.1F23",
                "2025-10-16",
                "Known Buyer",
                "Known Co",
                "Buyer",
                "known.buyer@example.com",
                None,
                "Germany",
                "Pumps",
            ],
            [
                "第138届广交会",
                "1",
                "12.1F23",
                "2025-10-16",
                "Broken Card",
                "Nowhere Inc",
                None,
                "broken-at-example",
                None,
                None,
                None,
            ],
            [
                "第138届广交会",
                "1",
                "12.1F23",
                "2025-10-16",
                "Li Wei",
                "<b>Bold</b> Trading",
                "Buyer",
                "li.wei@bold.example.com",
                None,
                "DE",
                "<script>x</script>",
            ],
        ]
        return base64.b64encode(corpus.build_xlsx(rows))

    def _wizard(self, assignment="team"):
        form = Form(self.env["crm.trade.fair.import"])
        form.file = self._file()
        form.team_id = self.team
        form.assignment = assignment
        wizard = form.save()
        wizard.file_name = "canton_fair_138.xlsx"
        wizard.action_triage()
        return wizard

    @users("fair_manager")
    def test_triage_and_round_robin(self):
        wizard = self._wizard()
        statuses = [line.status for line in wizard.line_ids]
        self.assertEqual(statuses, ["new", "new", "duplicate", "invalid", "new"])
        self.assertIn("broken-at-example", wizard.line_ids[3].reason)
        self.assertFalse(wizard.line_ids[2].selected)
        # The duplicate names the record it matched (issue 13).
        self.assertIn("Matches Known buyer (Lead", wizard.line_ids[2].reason)
        self.assertEqual(wizard.line_ids[2].match_model, "crm.lead")
        # Each step keeps the wizard's title and width.
        action = wizard._reopen()
        self.assertEqual(action["name"], "Import Trade Fair Leads")
        self.assertEqual(action["context"]["dialog_size"], "extra-large")
        self.assertEqual(wizard.summary, "3 new, 1 possible duplicates, 1 invalid")
        wizard.action_import()
        leads = wizard.lead_ids.sorted("id")
        self.assertEqual(len(leads), 3)
        # It ends with who got which leads.
        summary = wizard.assignment_summary.split("\n")
        self.assertEqual(len(summary), 2)
        self.assertTrue(any(line.startswith(f"{self.sales_1.name}: ") for line in summary))
        for lead in leads:
            self.assertIn(lead.partner_name or lead.contact_name, wizard.assignment_summary)
        # The UTM source and medium read in Chinese and English (their names
        # are not translatable in Odoo).
        self.assertEqual(leads.source_id.name, "展会 / Trade Fair")
        self.assertEqual(leads.medium_id.name, "展会名片 / Trade Fair Business Cards")
        # round-robin: alternating salespeople of the team
        self.assertEqual(
            leads.mapped("user_id"),
            self.sales_1 | self.sales_2,
        )
        self.assertNotEqual(leads[0].user_id, leads[1].user_id)
        self.assertEqual(leads[0].user_id, leads[2].user_id)
        self.assertEqual(set(leads.mapped("team_id.id")), {self.team.id})
        campaign = leads.campaign_id
        self.assertEqual(len(campaign), 1)
        self.assertEqual(campaign.name, "第138届广交会, phase 1")
        self.assertEqual(leads.source_id, self.env.ref("crm_distributor.utm_source_trade_fair"))
        self.assertEqual(leads.medium_id, self.env.ref("crm_distributor.utm_medium_trade_fair"))
        hans = leads.filtered(lambda lead: lead.contact_name == "Hans Müller")
        self.assertEqual(hans.country_id, self.germany)
        self.assertEqual(hans.function, "Purchasing Manager")
        self.assertIn("12.1F23", hans.description)
        self.assertIn("Centrifugal pumps", hans.description)
        li = leads.filtered(lambda lead: lead.contact_name == "Li Wei")
        self.assertEqual(li.country_id, self.germany)
        self.assertNotIn("<script>", str(li.description))
        # one first follow-up per lead, for its salesperson
        for lead in leads:
            self.assertEqual(len(lead.activity_ids), 1)
            self.assertEqual(lead.activity_ids.user_id, lead.user_id)
            self.assertEqual(
                lead.activity_ids.activity_type_id, self.env.ref("mail.mail_activity_data_call")
            )
            self.assertEqual(
                lead.activity_ids.date_deadline,
                datetime.date.today() + datetime.timedelta(days=2),
            )

    @users("fair_manager")
    def test_assignment_by_territory(self):
        wizard = self._wizard(assignment="territory")
        wizard.action_import()
        leads = wizard.lead_ids
        german = leads.filtered(lambda lead: lead.country_id == self.germany)
        self.assertEqual(len(german), 2)
        self.assertEqual(german.distributor_id, self.distributor_de)
        self.assertEqual(german.user_id, self.sales_2)
        brazilian = leads.filtered(lambda lead: lead.country_id == self.brazil)
        self.assertFalse(brazilian.distributor_id)
        self.assertIn(brazilian.user_id, self.sales_1 | self.sales_2)

    @users("fair_manager")
    def test_bad_file_and_empty_selection(self):
        before = self.env["crm.lead"].search_count([])
        wizard = self.env["crm.trade.fair.import"].create(
            {
                "file": base64.b64encode(corpus.HTML_BYTES),
                "file_name": "fair.xlsx",
                "team_id": self.team.id,
            }
        )
        with self.assertRaises(UserError) as ctx:
            wizard.action_triage()
        self.assertIn("is really a HTML file", ctx.exception.args[0])
        wizard = self._wizard()
        wizard.line_ids.selected = False
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertEqual(self.env["crm.lead"].search_count([]), before)
