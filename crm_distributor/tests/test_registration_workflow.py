from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import format_date, mute_logger

from odoo.addons.crm_match.tools.normalize import KEY_FIELDS

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
        self.assertIn("already protected for another partner", message.body)
        for date_text in (
            str(first.protection_end_date),
            format_date(self.env, first.protection_end_date),
        ):
            self.assertNotIn(date_text, message.body, "no date")
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

    def test_keys_written_with_the_row(self):
        """The matching keys are computed before the INSERT (precompute): no
        second version of each new row in the table's indexes."""
        model_fields = self.env["crm.deal.registration"]._fields
        self.assertTrue(all(model_fields[fname].precompute for fname in KEY_FIELDS))
        cr = self.env.cr
        execute = cr.execute
        queries = []

        def logged(query, params=None, log_exceptions=True):
            queries.append(str(getattr(query, "code", query)))
            return execute(query, params, log_exceptions)

        with patch.object(cr, "execute", logged):
            registration = self.env["crm.deal.registration"].create(
                {"distributor_id": self.distributor_a.id, "partner_name": "苏州华光精工有限公司"}
            )
            self.env.flush_all()
        updates = [
            query
            for query in queries
            if query.startswith('UPDATE "crm_deal_registration"') and "match_name_key" in query
        ]
        self.assertFalse(updates, "keys written by the INSERT")
        self.assertEqual(registration.match_name_key, "华光精工")

    def test_match_reasons_in_the_readers_language(self):
        """The conflict review stores the engine's codes: the reasons of a
        registration submitted in Chinese read in English for an English
        reviewer, and in Chinese for a Chinese one."""
        self.env["res.lang"]._activate_lang("zh_CN")
        first = self._create_registration(self.distributor_a, partner_name="苏州华光精工有限公司")
        first.action_submit()
        first.action_approve()
        second = self._create_registration(self.distributor_b, partner_name="苏州花光精工有限公司")
        second.with_context(lang="zh_CN").action_submit()
        homophone = second.match_ids.filtered(
            lambda m: m.matched_registration_id == first and m.kind == "homophone"
        )
        # the same contact person in both (the test's default contact)
        self.assertEqual(homophone.reason_codes.splitlines(), ["homophone", "contact"])
        self.assertEqual(
            homophone.with_context(lang="en_US").reasons,
            "Same pinyin, different characters\nSame contact person",
        )
        self.assertEqual(
            homophone.with_context(lang="zh_CN").reasons.splitlines()[0], "拼音相同，汉字不同"
        )

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
        # submitted, returned, submitted, converted: approval is one state change
        self.assertEqual(len(notified), 4)
        self.assertTrue(all(not m.subtype_id.internal for m in notified))
        # mail.mail rows may already be sent and deleted (Odoo's test runner):
        # the e-mail notifications of the distributor's user are what stays.
        mails = self.env["mail.notification"].search(
            [
                ("mail_message_id", "in", notified.ids),
                ("res_partner_id", "=", portal_partner.id),
                ("notification_type", "=", "email"),
            ]
        )
        self.assertTrue(mails, "the distributor is e-mailed too")
        self.assertIn("Missing phone", " ".join(notified.mapped("body")))


@tagged("post_install", "-at_install")
class TestRegistrationClaims(CrmDistributorCommon):
    """One owner of "who holds this end customer until when" (issues 9.4, 14.2)."""

    def test_get_claims(self):
        first = self._create_registration(self.distributor_a, vat=VAT_ALPHA)
        draft = self._create_registration(self.distributor_b, partner_name="草稿客户有限公司")
        first.action_submit()
        Registration = self.env["crm.deal.registration"]
        claims = Registration._get_claims(["测试客户", VAT_ALPHA, "草稿客户", "无人", False])
        self.assertEqual(claims, {"测试客户": first, VAT_ALPHA: first})
        self.assertNotIn(draft, claims.values(), "a draft holds nothing")
        self.assertEqual(Registration._get_claims([]), {})
        first.action_reject(reason="No")
        self.assertEqual(Registration._get_claims(["测试客户", VAT_ALPHA]), {})

    def test_free_claims_taken_at_creation(self):
        """An upload's registrations are created holding the keys nobody holds (the
        submit then writes no claim); a key held by a live registration, or named by
        two rows, is left to the submit, which finds its holder."""
        held = self._create_registration(self.distributor_a, vat=VAT_ALPHA)
        held.action_submit()
        Registration = self.env["crm.deal.registration"]
        company = self.env.company.id
        vals_list = [
            {"partner_name": "自由客户有限公司", "company_id": company},
            {"partner_name": "测试客户有限公司", "company_id": company},
            {"partner_name": "重复客户有限公司", "company_id": company},
            {"partner_name": "重复客户股份有限公司", "company_id": company},
            {"partner_name": "另一客户有限公司", "vat": VAT_ALPHA, "company_id": company},
        ]
        self.assertEqual(
            Registration._prepare_free_claim_values(vals_list),
            [{"claim_name_key": "自由客户", "claim_vat_key": False}, {}, {}, {}, {}],
        )
        free = self._create_registration(
            self.distributor_b,
            partner_name="自由客户有限公司",
            **Registration._prepare_free_claim_values(vals_list[:1])[0],
        )
        free.action_submit()
        self.assertFalse(free.is_conflict)
        self.assertEqual((free.claim_name_key, free.claim_vat_key), ("自由客户", False))
        taken = self._create_registration(self.distributor_b, partner_name="测试客户有限公司")
        taken.action_submit()
        self.assertTrue(taken.is_conflict, "the submit found the holder")
        self.assertFalse(taken.claim_name_key)

    def test_keys_follow_edit_and_resubmit(self):
        """A returned registration renamed keeps no stale claim: a third
        distributor may register the first name, and the new name is held."""
        registration = self._create_registration(
            self.distributor_a, partner_name="甲方旧名有限公司"
        )
        registration.action_submit()
        registration.action_return(reason="Wrong company")
        registration.write({"partner_name": "甲方新名有限公司"})
        self.assertEqual(registration.claim_name_key, "甲方新名")
        third = self._create_registration(self.distributor_b, partner_name="甲方旧名有限公司")
        third.action_submit()
        self.assertFalse(third.is_conflict, "the old name is free")
        self.assertEqual(third.claim_name_key, "甲方旧名")
        registration.action_submit()
        self.assertFalse(registration.is_conflict)
        self.assertEqual(registration.claim_name_key, "甲方新名")
        # renamed onto a name another distributor holds: it holds nothing any more
        registration.action_return(reason="Again")
        registration.write({"partner_name": "甲方旧名有限公司"})
        self.assertFalse(registration.claim_name_key)
        self.assertTrue(registration.is_conflict)
        registration.action_submit()
        self.assertTrue(registration.is_conflict)
        self.assertFalse(registration.claim_name_key)
        self.assertEqual(
            self.env["crm.deal.registration"]._get_claims(["甲方旧名"]), {"甲方旧名": third}
        )

    def test_pending_claim_expires_after_provisional_period(self):
        self.company.registration_provisional_days = 10
        registration = self._create_registration(self.distributor_a, vat=VAT_ALPHA)
        returned = self._create_registration(self.distributor_a, partner_name="退回客户有限公司")
        # 04:00 UTC: the same calendar day in every time zone from UTC-4 to UTC+14
        with freeze_time("2026-03-01 04:00:00"):
            registration.action_submit()
            returned.action_submit()
            returned.action_return(reason="Phone")
        self.assertEqual(registration._get_protected_until(), fields.Date.to_date("2026-03-11"))
        Registration = self.env["crm.deal.registration"]
        with freeze_time("2026-03-11 04:00:00"):
            self.assertFalse(Registration._cron_expire_registrations() & registration)
        with freeze_time("2026-03-13 04:00:00"):
            expired = Registration._cron_expire_registrations()
        self.assertEqual(expired & (registration | returned), registration | returned)
        self.assertEqual(registration.state, "expired")
        self.assertFalse(registration.claim_vat_key)
        other = self._create_registration(self.distributor_b, vat=VAT_ALPHA)
        other.action_submit()
        self.assertFalse(other.is_conflict, "the expired pending claim was released")

    def test_every_tier_has_a_limit(self):
        tier = self.env["crm.distributor.tier"].create({"name": "Default Tier"})
        self.assertEqual(tier.max_open_registrations, 50)
        with mute_logger("odoo.sql_db"), self.assertRaises(Exception):  # noqa: B017
            with self.env.cr.savepoint():
                tier.max_open_registrations = 0
                tier.flush_recordset()

    def test_limit_without_tier_and_in_batch(self):
        """The limit holds for a batch (an upload submits many at once) and
        for a distributor without tier (the company's default)."""
        self.distributor_a.distributor_tier_id = False
        self.company.registration_max_open = 2
        batch = self._create_registration(
            self.distributor_a, partner_name="批量一有限公司"
        ) | self._create_registration(self.distributor_a, partner_name="批量二有限公司")
        batch |= self._create_registration(self.distributor_a, partner_name="批量三有限公司")
        with self.assertRaises(UserError):
            batch.action_submit()
        self.assertEqual(set(batch.mapped("state")), {"draft"}, "nothing submitted")
        batch[:2].action_submit()
        batch[0].action_return(reason="Phone")
        batch[0].action_submit()  # a returned one is already open: no extra count
        self.assertEqual(batch[0].state, "submitted")

    @users("test_channel_manager")
    def test_approval_never_takes_another_distributors_hold(self):
        holder = self._create_registration(self.distributor_b, vat=VAT_ALPHA)
        holder.action_submit()
        holder.sudo().action_approve()
        held = holder.partner_id
        registration = self._create_registration(
            self.distributor_a, partner_name="完全不同名称有限公司"
        ).with_user(self.env.user)
        registration.action_submit()
        # the conflict review links it to the held partner (a "probable" match)
        registration._action_link_partner(held)
        with self.assertRaisesRegex(UserError, "Test Distributor B"):
            registration.action_approve()
        self.assertEqual(registration.state, "submitted")
        self.assertEqual(held.sudo().end_customer_distributor_id, self.distributor_b)
        registration.action_link_new_customer()
        registration.action_approve()
        self.assertNotEqual(registration.partner_id, held)

    @users("test_channel_manager")
    def test_approval_is_one_state_change(self):
        registration = self._create_registration(self.distributor_a).with_user(self.env.user)
        registration.action_submit()
        # tracking values are written when the transaction commits
        self.env.flush_all()
        self.env.cr.precommit.run()
        before = self.env["mail.message"].sudo().search([("res_id", "=", registration.id)])
        registration.action_approve()
        self.assertEqual(registration.state, "converted")
        self.assertTrue(registration.lead_id)
        self.env.flush_all()
        self.env.cr.precommit.run()
        new_messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", registration._name),
                    ("res_id", "=", registration.id),
                    ("id", "not in", before.ids),
                ]
            )
        )
        tracked = new_messages.sudo().tracking_value_ids.filtered(
            lambda value: value.field_id.name == "state"
        )
        all_tracked = (
            self.env["mail.tracking.value"]
            .sudo()
            .search([("mail_message_id.res_id", "=", registration.id)])
        )
        self.assertEqual(
            len(tracked),
            1,
            [(t.field_id.name, t.old_value_char, t.new_value_char) for t in all_tracked],
        )
        self.assertEqual(tracked.old_value_char, "Submitted")
        self.assertEqual(tracked.new_value_char, "Converted")
        notices = new_messages.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(notices), 1, "the distributor is notified once")

    def test_workflow_fields_refused_outside_the_workflow(self):
        registration = self._create_registration(self.distributor_a)
        registration.message_subscribe(partner_ids=self.user_sales.partner_id.ids)
        as_sales = registration.with_user(self.user_sales)
        as_sales.write({"description": "<p>Met the buyer</p>"})
        for values in (
            {"state": "converted"},
            {"protection_end_date": "2099-01-01"},
            {"claim_name_key": "x"},
            {"partner_id": self.distributor_b.id},
            {"distributor_id": self.distributor_b.id},
        ):
            with self.assertRaises(AccessError, msg=str(values)):
                as_sales.write(values)
        with self.assertRaises(AccessError):
            self.env["crm.deal.registration"].with_user(self.user_sales).create(
                {
                    "distributor_id": self.distributor_a.id,
                    "partner_name": "伪造已批准有限公司",
                    "state": "approved",
                }
            )
        self.assertEqual(registration.state, "draft")
