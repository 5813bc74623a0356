"""Unit tests of tools/normalize.py (plain Python, no database)."""

import phonenumbers

from odoo.tests import BaseCase, tagged

from odoo.addons.crm_match.tools import normalize

COMPANY_NAMES = [
    ("北京華為技術有限公司", "华为技术"),
    ("华为技术股份有限公司", "华为技术"),
    ("華為技術（深圳）有限公司", "华为技术"),
    ("华为技术有限公司北京分公司", "华为技术"),
    ("广东省广州市天河区星辉贸易有限公司", "星辉贸易"),
    ("北京市海淀区中关村科技集团", "中关村科技"),
    ("北京海淀华为科技", "华为科技"),
    ("重庆长安汽车股份有限公司", "长安汽车"),
    ("ＡＣＭＥ　Ｃｏ．，Ｌｔｄ．", "acme"),
    ("Acme Trading Co., Ltd.", "acme trading"),
    ("The Boring Company", "boring"),
    ("Siemens AG", "siemens"),
    ("Nestlé S.A.", "nestle"),
    ("Bosch GmbH", "bosch"),
    ("Apple Inc.", "apple"),
    # institutions named after their place keep it
    ("北京大学", "北京大学"),
    ("北京协和医院", "北京协和医院"),
    ("", ""),
]

PERSON_NAMES = [
    ("張偉", "张伟"),
    ("王芳女士", "王芳"),
    ("杨明 先生", "杨明"),
    ("Zhang, San", "sanzhang"),
    ("Mr. San Zhang", "sanzhang"),
    ("Anna Müller", "annamuller"),
]

PHONE_NUMBERS = [
    "138 0013 8000",
    "+86 138-0013-8000",
    "0086 13800138000",
    "(010) 6234 5678",
    "021-62345678",
    "0755 8888 6666",
    "0571-8888666",
    "86 10 62345678",
    "+49 30 1234567",
    "+1 (650) 253-0000",
    "１３８００１３８０００",
    "00 1 650 253 0000",
    "0086-21-62345678",
]


@tagged("post_install", "-at_install")
class TestMatchNormalize(BaseCase):
    def test_normalize_company_name(self):
        for name, expected in COMPANY_NAMES:
            with self.subTest(name=name):
                self.assertEqual(normalize.normalize_company_name(name), expected)

    def test_normalize_person_name(self):
        for name, expected in PERSON_NAMES:
            with self.subTest(name=name):
                self.assertEqual(normalize.normalize_person_name(name), expected)

    def test_pinyin_keys(self):
        self.assertEqual(normalize.pinyin_key("北京海淀"), "beijinghaidian")
        self.assertEqual(normalize.initials_key("北京海淀"), "bjhd")
        # phrase readings for polyphonic characters
        self.assertEqual(normalize.pinyin_key("重庆银行"), "chongqingyinhang")
        # Latin words and digits pass through
        self.assertEqual(normalize.pinyin_key("华为abc2"), "huaweiabc2")
        self.assertEqual(normalize.initials_key("华为abc"), "hwa")
        # homophones share their pinyin, not their characters
        self.assertEqual(normalize.pinyin_key("华为"), normalize.pinyin_key("华维"))

    def test_normalize_phone_is_e164(self):
        """The mainland fast path gives phonenumbers' own E.164 result."""
        for number in PHONE_NUMBERS:
            with self.subTest(number=number):
                parsed = phonenumbers.parse(normalize.clean_text(number), "CN")
                expected = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
                self.assertEqual(normalize.normalize_phone(number), expected)

    def test_normalize_phone_rejects_non_numbers(self):
        self.assertEqual(normalize.normalize_phone(""), "")
        self.assertEqual(normalize.normalize_phone("123"), "")
        self.assertEqual(normalize.normalize_phone("call me"), "")

    def test_email_domain_vat(self):
        self.assertEqual(normalize.normalize_email(" Li.Ming@Huawei.COM "), "li.ming@huawei.com")
        self.assertEqual(normalize.normalize_email("Li Ming <li@huawei.com>"), "li@huawei.com")
        self.assertEqual(normalize.normalize_email("not an address"), "")
        self.assertEqual(normalize.normalize_domain("https://www.Huawei.com/cn/?x=1"), "huawei.com")
        self.assertEqual(normalize.normalize_domain("huawei.com.cn"), "huawei.com.cn")
        self.assertEqual(normalize.company_domain(email="sales@huawei.com"), "huawei.com")
        self.assertEqual(normalize.company_domain(email="someone@qq.com"), "")
        self.assertEqual(normalize.normalize_vat(" 9111 0108-ma01c5dl2a "), "91110108MA01C5DL2A")
        self.assertTrue(normalize.is_valid_credit_code("91110000802100433B"))
        self.assertFalse(normalize.is_valid_credit_code("91110000802100433C"))
        self.assertFalse(normalize.is_valid_credit_code(""))

    def test_name_grams(self):
        self.assertEqual(normalize.name_grams("华为技术"), "华 为 技 术 华为 为技 技术")
        self.assertEqual(normalize.name_grams("acme"), "")
        self.assertEqual(normalize.query_grams("华"), ["华"])
        self.assertEqual(normalize.query_grams("华为技术"), ["华为", "为技", "技术"])

    def test_index_grams_keeps_the_rarest_in_order(self):
        grams = normalize.query_grams("瑞丰鼎新科技有限公司")
        common = {"科技": 0.08, "有限": 0.6, "限公": 0.6, "公司": 0.7, "新科": 0.002}
        self.assertEqual(normalize.index_grams(grams, common), ["瑞丰", "丰鼎", "鼎新"])
        # without statistics: the first ones; short names: all of them
        self.assertEqual(normalize.index_grams(grams), grams[:3])
        self.assertEqual(normalize.index_grams(["华为", "为技"], common), ["华为", "为技"])
        # every gram common: the least common ones
        self.assertEqual(
            normalize.index_grams(["有限", "限公", "公司", "科技"], common, size=2),
            ["有限", "科技"],
        )

    def test_match_keys(self):
        keys = normalize.match_keys(
            {
                "name": "北京海淀華為科技有限公司",
                "contact_name": "李明 先生",
                "vat": "91110000802100433b",
                "email": "LI@huawei.com",
                "phone": "010 6234 5678",
                "mobile": "13800138000",
            }
        )
        self.assertEqual(
            keys,
            {
                "match_name_key": "华为科技",
                "match_name_pinyin": "huaweikeji",
                "match_search_key": "北京海淀华为科技有限公司",
                "match_grams": "北 京 海 淀 华 为 科 技 北京 京海 海淀 淀华 华为 为科 科技 "
                "~bj ~jh ~hd ~dh ~hw ~wk ~kj ~bjh ~jhd ~hdh ~dhw ~hwk ~wkj ~bjhd ~jhdh ~hdhw "
                "~dhwk ~hwkj",
                "match_pinyin_key": "beijinghaidianhuaweikeji",
                "match_initials_key": "bjhdhwkj",
                "match_vat_key": "91110000802100433B",
                "match_email_key": "li@huawei.com",
                "match_domain_key": "huawei.com",
                "match_phone_key": "+861062345678",
                "match_mobile_key": "+8613800138000",
                "match_contact_key": "李明",
                "match_contact_pinyin": "liming",
            },
        )
        self.assertEqual(set(normalize.match_keys({}).values()), {False})
