from datetime import timedelta

from odoo import fields
from odoo.tests import Form, tagged, users

from .common import CrmServiceChannelCommon


@tagged("post_install", "-at_install")
class TestRecentContacts(CrmServiceChannelCommon):
    """No visit in the dark: who else touched the same customer, through the matching engine."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = fields.Datetime.now()
        cls.salesman_2 = cls.env["res.users"].create(
            {
                "name": "销售 李敏",
                "login": "sv_salesman_2",
                "email": "sv_salesman_2@example.com",
                "groups_id": [
                    fields.Command.set(cls.env.ref("sales_team.group_sale_salesman").ids)
                ],
            }
        )
        # the same customer, typed differently by another salesperson, no partner linked
        cls.lead_typed_differently = (
            cls.env["crm.lead"]
            .with_user(cls.salesman_2)
            .create(
                {
                    "name": "精工五金 扩产机器人",
                    "partner_name": "精工五金制品（佛山）有限公司",
                    "type": "opportunity",
                    "user_id": cls.salesman_2.id,
                }
            )
        )
        # sounds the same (晶工 / 精工), another company: shown as such, never merged
        cls.homophone = cls.env["res.partner"].create(
            {"name": "佛山晶工五金制品有限公司", "is_company": True}
        )
        cls.env["crm.visit"].with_user(cls.salesman_2).create(
            {
                "name": "晶工拜访",
                "partner_id": cls.homophone.id,
                "date": cls.now - timedelta(days=3),
                "user_id": cls.salesman_2.id,
            }
        )

    @users("sv_service")
    def test_planner_sees_lead_typed_differently(self):
        with Form(self.env["crm.visit"]) as form:
            form.name = "现场服务"
            form.partner_id = self.end_customer
            form.visit_type = "service"
            summary = form.recent_contact_summary
        self.assertIn("精工五金 扩产机器人", summary)
        self.assertIn("销售 李敏", summary)
        self.assertIn("晶工拜访", summary, "the homophone is shown")
        homophone_line = next(line for line in summary.splitlines() if "晶工拜访" in line)
        lead_line = next(line for line in summary.splitlines() if "扩产机器人" in line)
        self.assertIn("similar-sounding", homophone_line)
        self.assertNotIn("similar-sounding", lead_line)
        visit = form.record
        self.assertEqual(visit.recent_contact_user_ids, self.salesman_2)
        notified = visit.message_ids.filtered(lambda m: self.salesman_2.partner_id in m.partner_ids)
        self.assertEqual(len(notified), 1, "the colleague is notified once, when planned")
        self.assertFalse(self.lead_typed_differently.partner_id, "recognised, not merged or linked")

    @users("sv_service")
    def test_window_and_own_contacts(self):
        self.env.company.sudo().service_contact_window_days = 1
        visit = self.env["crm.visit"].create(
            {"name": "回访", "partner_id": self.homophone.id, "date": self.now}
        )
        self.assertNotIn(
            "晶工拜访", visit.recent_contact_summary or "", "3 days ago, outside 1 day"
        )

    def test_distributor_registration_is_a_contact(self):
        self.env["crm.sell.out"].create(
            {
                "distributor_id": self.distributor.id,
                "partner_id": self.end_customer.id,
                "product_id": self.robot.id,
                "quantity": 1,
                "date": fields.Date.today(),
            }
        )
        visit = (
            self.env["crm.visit"]
            .with_user(self.salesman)
            .create({"name": "拜访", "partner_id": self.end_customer.id, "date": self.now})
        )
        self.assertIn(self.distributor.name, visit.recent_contact_summary)

    @users("sv_salesman")
    def test_meeting_shows_recent_contacts(self):
        meeting = self.env["calendar.event"].create(
            {
                "name": "技术交流",
                "start": self.now + timedelta(days=1),
                "stop": self.now + timedelta(days=1, hours=1),
                "partner_ids": [fields.Command.set(self.end_customer.ids)],
            }
        )
        self.assertIn("精工五金 扩产机器人", meeting.recent_contact_summary)

    @users("sv_salesman")
    def test_meeting_notifies_recent_contacts_once(self):
        # sudo: set-up by the administrator, a third salesperson who saw only the homophone
        salesman_3 = self.salesman_2.sudo().copy({"login": "sv_salesman_3", "name": "销售 王芳"})
        self.env["crm.visit"].sudo().create(
            {
                "name": "晶工回访",
                "partner_id": self.homophone.id,
                "date": self.now - timedelta(days=1),
                "user_id": salesman_3.id,
            }
        )
        meeting = self.env["calendar.event"].create(
            {
                "name": "技术交流",
                "start": self.now + timedelta(days=1),
                "stop": self.now + timedelta(days=1, hours=1),
                "partner_ids": [fields.Command.set(self.end_customer.ids)],
            }
        )
        self.assertIn("晶工回访", meeting.recent_contact_summary, "the homophone is shown")
        told = meeting.message_ids.filtered(lambda message: "技术交流" in (message.body or ""))
        self.assertEqual(len(told), 1, "one note when the meeting is planned")
        self.assertIn(self.salesman_2.partner_id, told.partner_ids, "the lead typed differently")
        self.assertNotIn(salesman_3.partner_id, told.partner_ids, "a homophone is another customer")
        self.assertNotIn(self.env.user.partner_id, told.partner_ids, "not the planner")

    @users("sv_salesman")
    def test_meeting_attendee_colleague_not_told_twice(self):
        meeting = self.env["calendar.event"].create(
            {
                "name": "联合拜访",
                "start": self.now + timedelta(days=1),
                "stop": self.now + timedelta(days=1, hours=1),
                "partner_ids": [
                    fields.Command.set((self.end_customer | self.salesman_2.partner_id).ids)
                ],
            }
        )
        self.assertFalse(
            meeting.message_ids.filtered(
                lambda message: message.message_type == "comment"
                and "联合拜访" in (message.body or "")
            ),
            "an invited colleague learns of the meeting from the invitation",
        )
