from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged, users

from .common import VAT_ALPHA, VAT_BETA, CrmDistributorCommon


@tagged("post_install", "-at_install")
class TestRegistrationWorkflow(CrmDistributorCommon):
    def test_submit_takes_reference_and_claim(self):
        registration = self._create_registration(self.distributor_a, vat=VAT_ALPHA)
        self.assertTrue(registration.name.startswith("REG/"))
        self.assertEqual(registration.state, "draft")
        registration.action_submit()
        self.assertEqual(registration.state, "submitted")
        self.assertTrue(registration.submit_date)
        self.assertEqual(registration.claim_vat_key, VAT_ALPHA)
        self.assertEqual(registration.claim_name_key, "测试客户")
        self.assertFalse(registration.is_conflict)
        with self.assertRaises(UserError):
            registration.action_submit()

    @users("test_channel_manager")
    def test_approve_creates_customer_and_opportunity(self):
        registration = self._create_registration(
            self.distributor_a, vat=VAT_ALPHA, partner_name_en="Test Customer Ltd"
        ).with_user(self.env.user)
        registration.action_submit()
        registration.action_approve()
        today = fields.Date.context_today(registration)
        self.assertEqual(registration.state, "converted")
        self.assertEqual(registration.approve_date, today)
        self.assertEqual(registration.protection_end_date, today + timedelta(days=30))
        partner = registration.partner_id
        self.assertEqual(partner.name, "测试客户有限公司")
        self.assertEqual(partner.vat, VAT_ALPHA)
        self.assertTrue(partner.is_end_customer)
        self.assertEqual(partner.end_customer_distributor_id, self.distributor_a)
        self.assertEqual(partner.end_customer_since, today)
        self.assertEqual(partner.end_customer_protected_until, registration.protection_end_date)
        self.assertEqual(partner.child_ids.name, "王先生")
        lead = registration.lead_id
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.distributor_id, self.distributor_a)
        self.assertEqual(lead.registration_id, registration)
        self.assertEqual(lead.partner_id, partner)
        self.assertEqual(lead.expected_revenue, 20000.0)
        self.assertEqual(
            lead.source_id, self.env.ref("crm_distributor.utm_source_distributor_registration")
        )
        self.assertEqual(lead.registration_line_ids.product_id, self.product)
        self.assertEqual(lead.registration_protection_end_date, registration.protection_end_date)

    def test_return_and_resubmit(self):
        registration = self._create_registration(self.distributor_a)
        registration.action_submit()
        action = registration.action_return()
        self.assertEqual(action["res_model"], "crm.deal.registration.reason.wizard")
        wizard = Form(
            self.env["crm.deal.registration.reason.wizard"].with_context(**action["context"])
        )
        wizard.reason = "Add the credit code"
        wizard.save().action_confirm()
        self.assertEqual(registration.state, "returned")
        self.assertEqual(registration.return_reason, "Add the credit code")
        self.assertTrue(registration.claim_name_key, "a returned registration keeps its claim")
        registration.write({"vat": VAT_ALPHA})
        registration.action_submit()
        self.assertEqual(registration.state, "submitted")
        self.assertFalse(registration.return_reason)
        self.assertEqual(registration.claim_vat_key, VAT_ALPHA)

    def test_reject_releases_claim(self):
        registration = self._create_registration(self.distributor_a, vat=VAT_ALPHA)
        registration.action_submit()
        registration.action_reject(reason="Not an end customer")
        self.assertEqual(registration.state, "rejected")
        self.assertEqual(registration.reject_reason, "Not an end customer")
        self.assertFalse(registration.claim_name_key)
        other = self._create_registration(self.distributor_b, vat=VAT_ALPHA)
        other.action_submit()
        self.assertFalse(other.is_conflict)
        self.assertEqual(other.claim_vat_key, VAT_ALPHA)

    def test_conflict_with_protected_registration(self):
        first = self._create_registration(self.distributor_a, vat=VAT_ALPHA)
        first.action_submit()
        first.action_approve()
        second = self._create_registration(
            self.distributor_b, partner_name="测试客户股份有限公司", vat=VAT_ALPHA
        )
        second.action_submit()
        self.assertEqual(second.state, "submitted", "nothing lost: the registration is kept")
        self.assertTrue(second.is_conflict)
        self.assertEqual(second.conflict_until, first.protection_end_date)
        self.assertFalse(second.claim_vat_key)
        message = second.message_ids[:1]
        self.assertIn("already registered by another partner", message.body)
        self.assertNotIn(self.distributor_a.name, message.body)
        with self.assertRaises(UserError):
            second.action_approve()

    def test_same_name_written_differently_conflicts(self):
        first = self._create_registration(self.distributor_a, partner_name="ＡＢＣ 科技有限公司")
        first.action_submit()
        second = self._create_registration(self.distributor_b, partner_name="abc科技")
        second.action_submit()
        self.assertTrue(second.is_conflict)
        self.assertEqual(second.conflict_until, first._get_protected_until())

    def test_homophone_is_reviewed_not_blocked(self):
        first = self._create_registration(self.distributor_a, partner_name="苏州华光精工有限公司")
        first.action_submit()
        first.action_approve()
        second = self._create_registration(self.distributor_b, partner_name="苏州花光精工有限公司")
        second.action_submit()
        self.assertFalse(second.is_conflict, "homophone names are different customers")
        homophones = second.match_ids.filtered(lambda m: m.kind == "homophone")
        self.assertIn(first, homophones.matched_registration_id)
        self.assertIn(first.partner_id, homophones.partner_id)
        self.assertTrue(homophones[0].reasons)
        self.assertTrue(second.review_required)
        with self.assertRaises(UserError):
            second.action_approve()
        second.action_link_new_customer()
        second.action_approve()
        self.assertNotEqual(second.partner_id, first.partner_id, "never merged silently")

    def test_invalid_input_is_refused(self):
        with self.assertRaises(ValidationError):
            self._create_registration(self.distributor_a, vat="913301001234567890")
        with self.assertRaises(ValidationError):
            self._create_registration(self.distributor_a, email_from="not an email")
        with self.assertRaises(ValidationError):
            self._create_registration(self.distributor_a, phone="12")
        errors = self.env["crm.deal.registration"]._get_input_errors(
            {"partner_name": " ", "vat": "X", "phone": "+86 20 3888 1200"}
        )
        self.assertEqual(set(errors), {"partner_name", "vat"})

    def test_open_registration_limit(self):
        self.tier.max_open_registrations = 1
        self._create_registration(self.distributor_a, partner_name="甲公司").action_submit()
        second = self._create_registration(self.distributor_a, partner_name="乙公司")
        with self.assertRaises(UserError):
            second.action_submit()
        self.assertEqual(second.state, "draft")

    def test_existing_partner_needs_explicit_choice(self):
        existing = self.env["res.partner"].create(
            {"name": "测试客户有限公司", "is_company": True, "vat": VAT_BETA}
        )
        registration = self._create_registration(self.distributor_a, vat=VAT_BETA)
        registration.action_submit()
        match = registration.match_ids.filtered(lambda m: m.partner_id == existing)
        self.assertTrue(match)
        self.assertTrue(registration.review_required)
        with self.assertRaises(UserError):
            registration.action_approve()
        match.action_use_partner()
        self.assertFalse(registration.review_required)
        registration.action_approve()
        self.assertEqual(registration.partner_id, existing, "linked, not duplicated")
        self.assertEqual(existing.end_customer_distributor_id, self.distributor_a)

    def test_choice_new_customer(self):
        self.env["res.partner"].create(
            {"name": "测试客户有限公司", "is_company": True, "vat": VAT_BETA}
        )
        registration = self._create_registration(self.distributor_a, vat=VAT_BETA)
        registration.action_submit()
        self.assertTrue(registration.review_required)
        registration.action_link_new_customer()
        registration.action_approve()
        self.assertEqual(registration.customer_choice, "new")
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("vat", "=", VAT_BETA), ("is_company", "=", True)]
            ),
            2,
        )

    def test_expiry_releases_end_customer(self):
        registration = self._create_registration(self.distributor_a, vat=VAT_ALPHA)
        registration.action_submit()
        registration.action_approve()
        partner = registration.partner_id
        end = registration.protection_end_date
        Registration = self.env["crm.deal.registration"]
        with freeze_time(end):
            self.assertFalse(Registration._cron_expire_registrations())
        with freeze_time(end + timedelta(days=1)):
            expired = Registration._cron_expire_registrations()
        self.assertIn(registration, expired)
        self.assertEqual(registration.state, "expired")
        self.assertFalse(registration.claim_vat_key)
        self.assertFalse(partner.end_customer_distributor_id)
        self.assertTrue(partner.is_end_customer)
        other = self._create_registration(self.distributor_b, vat=VAT_ALPHA)
        other.action_submit()
        self.assertFalse(other.is_conflict)

    def test_won_opportunity_does_not_expire(self):
        registration = self._create_registration(self.distributor_a)
        registration.action_submit()
        registration.action_approve()
        registration.lead_id.action_set_won()
        with freeze_time(registration.protection_end_date + timedelta(days=1)):
            self.env["crm.deal.registration"]._cron_expire_registrations()
        self.assertEqual(registration.state, "converted")

    def test_distributor_notified_on_every_state_change(self):
        portal_partner = self.portal_a.partner_id
        registration = self._create_registration(self.distributor_a)
        self.assertIn(portal_partner, registration.message_partner_ids)
        registration.action_submit()
        registration.action_return(reason="Missing phone")
        registration.action_submit()
        registration.action_approve()
        notified = registration.message_ids.filtered(
            lambda m: portal_partner in m.partner_ids and m.message_type == "comment"
        )
        # submitted, returned, submitted, approved, converted
        self.assertEqual(len(notified), 5)
        self.assertTrue(all(not m.subtype_id.internal for m in notified))
        mails = self.env["mail.mail"].search([("mail_message_id", "in", notified.ids)])
        self.assertTrue(mails, "the distributor is e-mailed too")
        self.assertIn("Missing phone", " ".join(notified.mapped("body")))
