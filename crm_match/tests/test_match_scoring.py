"""Scoring (tools/scoring.py) on Chinese and Western cases (plain Python, no
database); the quality on a generated corpus is test_match_quality."""

from odoo.tests import BaseCase, tagged

from odoo.addons.crm_match.tools.normalize import match_keys
from odoo.addons.crm_match.tools.scoring import name_similarity, score_keys


def _score(a, b):
    return score_keys(match_keys(a), match_keys(b))


@tagged("post_install", "-at_install")
class TestMatchScoring(BaseCase):
    def test_same_credit_code(self):
        result = _score(
            {"name": "华为技术有限公司", "vat": "91440300708461136T"},
            {"name": "深圳华为", "vat": "9144 0300 7084 6113 6t"},
        )
        self.assertEqual(result.kind, "same")
        self.assertEqual(result.score, 100)
        self.assertEqual(result.reasons[0], "vat")

    def test_same_name_after_normalisation(self):
        result = _score({"name": "北京華為技術有限公司"}, {"name": "华为技术股份有限公司"})
        self.assertEqual((result.kind, result.score, result.reasons), ("same", 90, ["name"]))

    def test_homophone_is_never_same(self):
        result = _score(
            {"name": "华为技术有限公司", "phone": "13800138000"},
            {"name": "华维技术有限公司", "phone": "138 0013 8000"},
        )
        self.assertEqual(result.kind, "homophone")
        self.assertEqual(result.reasons, ["phone", "homophone"])

    def test_romanised_name_is_similar_not_homophone(self):
        result = _score({"name": "华为"}, {"name": "Huawei Co., Ltd."})
        self.assertEqual(result.kind, "probable")
        self.assertEqual(result.reasons, ["similar_name"])

    def test_different_credit_codes_lower_the_score(self):
        result = _score(
            {"name": "星辉贸易有限公司", "vat": "91110000802100433B"},
            {"name": "星辉贸易公司", "vat": "91440300708461136T"},
        )
        self.assertEqual(result.kind, "probable")
        self.assertEqual(result.score, 50)
        self.assertEqual(result.reasons, ["name", "vat_conflict"])

    def test_phone_alone_is_probable_public_mail_domain_is_nothing(self):
        result = _score(
            {"name": "甲公司", "phone": "13800138000"}, {"name": "乙厂", "phone": "13800138000"}
        )
        self.assertEqual((result.kind, result.score), ("probable", 80))
        self.assertIsNone(
            _score(
                {"name": "星辉贸易", "email": "a@163.com"},
                {"name": "鑫源机械", "email": "b@163.com"},
            )
        )

    def test_contact_person_matching(self):
        result = _score({"contact_name": "張偉"}, {"contact_name": "张伟 先生"})
        self.assertEqual(result.kind, "probable")
        result = _score({"contact_name": "李明"}, {"contact_name": "黎明"})
        self.assertEqual(result.kind, "homophone")
        # a shared contact name under two different company names is no match
        self.assertIsNone(
            _score(
                {"name": "星辉贸易", "contact_name": "张伟"},
                {"name": "鑫源机械", "contact_name": "张伟"},
            )
        )

    def test_shared_first_word_is_not_the_same_company(self):
        self.assertIsNone(_score({"name": "Orient Bank Ltd."}, {"name": "Orient Shipping Lines"}))
        self.assertEqual(
            _score({"name": "Müller & Schmidt GmbH"}, {"name": "Schmidt und Mueller"}).kind,
            "same",
        )

    def test_name_similarity(self):
        self.assertGreater(name_similarity("acmetrading", "acmetradng"), 0.7)
        self.assertEqual(name_similarity("华为技术", "华润置地"), 0.0)
        self.assertEqual(name_similarity("", "x"), 0.0)
