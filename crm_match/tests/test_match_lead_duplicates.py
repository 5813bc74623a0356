from odoo.tests import Form, tagged, users

from .match_common import MatchCommon


@tagged("post_install", "-at_install")
class TestMatchLeadDuplicates(MatchCommon):
    """The engine feeds core's "Similar Leads" (duplicate_lead_ids): one
    duplicate widget on the lead form, without the lead's own customer or its
    repeat business."""

    @users("match_salesman")
    def test_similar_leads_found_by_the_engine(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "星辉 新项目",
                "partner_name": "北京星輝貿易股份有限公司",
                "user_id": self.user_salesman.id,
            }
        )
        # written differently: no e-mail, phone or partner in common, which
        # is all core compares
        self.assertIn(self.lead_mine, lead.duplicate_lead_ids)
        self.assertEqual(lead.duplicate_lead_count, 1)
        self.assertNotIn("match_results_html", lead._fields, "one widget, not a second block")

    @users("match_salesman")
    def test_similar_leads_while_typing(self):
        with Form(self.env["crm.lead"]) as lead_form:
            lead_form.name = "新商机"
            lead_form.partner_name = "星辉贸易"
            self.assertEqual(lead_form.duplicate_lead_count, 1)

    def test_repeat_business_is_listed_by_core_only(self):
        """The engine adds no lead of the lead's own customer; Odoo's own rule
        (same commercial entity) still lists them, as Odoo's tests expect."""
        Lead = self.env["crm.lead"]
        first = Lead.create(
            {"name": "First order", "partner_id": self.acme.id, "partner_name": "Acme Trading"}
        )
        repeat = Lead.create(
            {"name": "Repeat order", "partner_id": self.acme.id, "partner_name": "Acme Trading"}
        )
        self.assertEqual(repeat.duplicate_lead_ids, repeat + first)
        self.assertEqual(repeat.duplicate_lead_count, 1)
        # an unlinked lead of the same name is a possible duplicate
        other = Lead.create({"name": "Inquiry", "partner_name": "ACME TRADING LIMITED"})
        self.assertIn(first, other.duplicate_lead_ids)
        self.assertIn(repeat, other.duplicate_lead_ids)

    def test_homophone_is_not_a_similar_lead(self):
        Lead = self.env["crm.lead"]
        lead = Lead.create({"name": "x", "partner_name": "星徽贸易有限公司"})
        self.assertNotIn(self.lead_mine, lead.duplicate_lead_ids)
