"""Scoring (tools/scoring.py) on Chinese and Western cases (plain Python, no
database); the quality on a generated corpus is test_match_quality."""

from odoo.addons.crm_match.tools.normalize import match_keys
from odoo.addons.crm_match.tools.scoring import name_similarity, score_keys


def _score(a, b):
    return score_keys(match_keys(a), match_keys(b))


def test_same_credit_code():
    result = _score(
        {"name": "华为技术有限公司", "vat": "91440300708461136T"},
        {"name": "深圳华为", "vat": "9144 0300 7084 6113 6t"},
    )
    assert result.kind == "same"
    assert result.score == 100
    assert result.reasons[0] == "vat"


def test_same_name_after_normalisation():
    result = _score({"name": "北京華為技術有限公司"}, {"name": "华为技术股份有限公司"})
    assert (result.kind, result.score, result.reasons) == ("same", 90, ["name"])


def test_homophone_is_never_same():
    result = _score(
        {"name": "华为技术有限公司", "phone": "13800138000"},
        {"name": "华维技术有限公司", "phone": "138 0013 8000"},
    )
    assert result.kind == "homophone"
    assert result.reasons == ["phone", "homophone"]


def test_romanised_name_is_similar_not_homophone():
    result = _score({"name": "华为"}, {"name": "Huawei Co., Ltd."})
    assert result.kind == "probable"
    assert result.reasons == ["similar_name"]


def test_different_credit_codes_lower_the_score():
    result = _score(
        {"name": "星辉贸易有限公司", "vat": "91110000802100433B"},
        {"name": "星辉贸易公司", "vat": "91440300708461136T"},
    )
    assert result.kind == "probable"
    assert result.score == 50
    assert result.reasons == ["name", "vat_conflict"]


def test_phone_alone_is_probable_public_mail_domain_is_nothing():
    result = _score(
        {"name": "甲公司", "phone": "13800138000"}, {"name": "乙厂", "phone": "13800138000"}
    )
    assert (result.kind, result.score) == ("probable", 80)
    assert (
        _score(
            {"name": "星辉贸易", "email": "a@163.com"}, {"name": "鑫源机械", "email": "b@163.com"}
        )
        is None
    )


def test_contact_person_matching():
    result = _score({"contact_name": "張偉"}, {"contact_name": "张伟 先生"})
    assert result.kind == "probable"
    result = _score({"contact_name": "李明"}, {"contact_name": "黎明"})
    assert result.kind == "homophone"
    # a shared contact name under two different company names is no match
    assert (
        _score(
            {"name": "星辉贸易", "contact_name": "张伟"},
            {"name": "鑫源机械", "contact_name": "张伟"},
        )
        is None
    )


def test_shared_first_word_is_not_the_same_company():
    assert _score({"name": "Orient Bank Ltd."}, {"name": "Orient Shipping Lines"}) is None
    assert _score({"name": "Müller & Schmidt GmbH"}, {"name": "Schmidt und Mueller"}).kind == "same"


def test_name_similarity():
    assert name_similarity("acmetrading", "acmetradng") > 0.7
    assert name_similarity("华为技术", "华润置地") == 0.0
    assert name_similarity("", "x") == 0.0
