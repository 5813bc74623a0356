from odoo.tests import tagged

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
