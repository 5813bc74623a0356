from odoo.tests import tagged, users

from .common import VAT_ALPHA, CrmDistributorCommon


@tagged("post_install", "-at_install")
class TestMatchRegistrationSource(CrmDistributorCommon):
    """Deal registrations are a match source of crm_match's engine (the
    `_get_match_models` hook), with their keys stored like partners'."""

    def test_registrations_are_a_match_source(self):
        engine = self.env["crm.match.engine"]
        self.assertEqual(
            engine._get_match_models(), ["res.partner", "crm.lead", "crm.deal.registration"]
        )
        registration = self._create_registration(
            self.distributor_a,
            partner_name="鑫源机械有限公司",
            vat=VAT_ALPHA,
            phone="010-6234 5678",
        )
        self.assertEqual(registration.match_vat_key, VAT_ALPHA)
        self.assertEqual(registration.match_name_key, "鑫源机械")
        matches = engine.find_matches({"name": "鑫源機械", "phone": "(010) 62345678"})
        found = [
            m for m in matches if (m["model"], m["res_id"]) == (registration._name, registration.id)
        ]
        self.assertEqual(len(found), 1, matches)
        self.assertEqual(found[0]["kind"], "same")
        batch = engine._find_matches_batch({1: {"name": "鑫源機械", "phone": "(010) 62345678"}})
        self.assertEqual(batch[1], matches)

    @users("test_channel_manager")
    def test_source_registration_is_never_a_similar_record(self):
        """The opportunity made from a registration lists neither its source
        registration nor its own customer and contact as similar; a second
        distributor's registration of the same customer still is one."""
        registration = self._create_registration(
            self.distributor_a, partner_name="鑫源机械有限公司", vat=VAT_ALPHA
        ).with_user(self.env.user)
        registration.action_submit()
        registration.action_approve()
        lead = registration.lead_id
        self.assertEqual(lead.duplicate_lead_ids, lead, "no similar lead of its own")
        self.assertEqual(lead.duplicate_lead_count, 0)
        engine = self.env["crm.match.engine"]
        values = lead._prepare_match_values()
        found = engine._find_matches_batch({0: values}, exclude={0: lead._get_match_exclude()})[0]
        self.assertFalse(
            [
                m
                for m in found
                if (m["model"], m["res_id"]) == (registration._name, registration.id)
            ],
            "the source registration is the opportunity itself",
        )
        self.assertFalse(
            [
                m
                for m in found
                if m["model"] == "res.partner"
                and m["res_id"]
                in (
                    lead.partner_id
                    | lead.partner_id.commercial_partner_id
                    | lead.partner_id.child_ids
                ).ids
            ],
            "nor its own customer",
        )
        # sudo: set-up of another distributor's registration of the same company
        other = self._create_registration(
            self.distributor_b, partner_name="鑫源機械有限公司"
        ).sudo()
        other.action_submit()
        # sudo: the other distributor's registration is not this channel manager's to read
        found = engine.sudo()._find_matches_batch(
            {0: values}, exclude={0: lead._get_match_exclude()}
        )[0]
        self.assertIn(
            ("crm.deal.registration", other.id), [(m["model"], m["res_id"]) for m in found]
        )
