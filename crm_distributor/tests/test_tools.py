from odoo.tests import BaseCase, tagged

from ..tools.claim_key import claim_keys, normalise_company_name, normalise_credit_code


@tagged("post_install", "-at_install")
class TestClaimKeys(BaseCase):
    def test_company_names(self):
        cases = {
            "深圳华为技术有限公司": "深圳华为技术",
            "深圳華為技術有限公司": "深圳华为技术",
            "ＡＢＣ 科技 股份有限公司": "abc科技",
            "Acme Co., Ltd.": "acme",
            "ACME GmbH": "acme",
            "Acme Inc.": "acme",
            "  集团 ": "集团",
            "": "",
            None: "",
        }
        for name, expected in cases.items():
            with self.subTest(name=name):
                self.assertEqual(normalise_company_name(name), expected)

    def test_homophones_keep_different_keys(self):
        self.assertNotEqual(
            normalise_company_name("深圳华为技术有限公司"),
            normalise_company_name("深圳花为技术有限公司"),
        )

    def test_credit_code(self):
        self.assertEqual(normalise_credit_code(" 9133 0106-ma2h0a3j1a "), "91330106MA2H0A3J1A")
        self.assertEqual(claim_keys("Acme Ltd", ""), ("acme", False))
        self.assertEqual(claim_keys("", None), (False, False))
