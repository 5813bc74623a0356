"""Scoring of two records' matching keys (no Odoo import).

`score_keys(a, b)` weighs the evidence that two records (partners, leads,
deal registrations, uploaded rows) describe the same customer and returns a
`MatchResult`: a score from 0 to 100, a kind and the reasons as message keys
that the Odoo layer translates.

Kinds:
- ``same``: the same customer (same credit code, same e-mail, same name ...);
- ``probable``: likely the same, a person should look (similar name, same
  phone or web domain only ...);
- ``homophone``: the names sound the same (same pinyin) but are written with
  different characters. Homophone names are different customers: shown for
  review, never treated as the same, whatever else they share.
"""

from dataclasses import dataclass, field

from .normalize import latin_similarity

# Reason keys, in the order they are shown.
REASON_VAT = "vat"
REASON_EMAIL = "email"
REASON_PHONE = "phone"
REASON_NAME = "name"
REASON_HOMOPHONE = "homophone"
REASON_SIMILAR_NAME = "similar_name"
REASON_DOMAIN = "domain"
REASON_CONTACT = "contact"
REASON_CONTACT_HOMOPHONE = "contact_homophone"
REASON_VAT_CONFLICT = "vat_conflict"
REASONS = (
    REASON_VAT,
    REASON_EMAIL,
    REASON_PHONE,
    REASON_NAME,
    REASON_HOMOPHONE,
    REASON_SIMILAR_NAME,
    REASON_DOMAIN,
    REASON_CONTACT,
    REASON_CONTACT_HOMOPHONE,
    REASON_VAT_CONFLICT,
)

KIND_SAME = "same"
KIND_PROBABLE = "probable"
KIND_HOMOPHONE = "homophone"

# Weight of each piece of evidence on its own.
WEIGHTS = {
    REASON_VAT: 100,
    REASON_EMAIL: 95,
    REASON_NAME: 90,
    REASON_PHONE: 80,
    REASON_HOMOPHONE: 75,
    REASON_DOMAIN: 70,
    REASON_SIMILAR_NAME: 65,
    REASON_CONTACT: 60,
    REASON_CONTACT_HOMOPHONE: 40,
}
SUPPORT_BONUS = 10  # per additional piece of evidence
CONTACT_ONLY_SUPPORT = 40  # a shared contact between two different company names
VAT_CONFLICT_PENALTY = 40
SAME_THRESHOLD = 85
MATCH_THRESHOLD = 50
SIMILARITY_THRESHOLD = 0.8
LATIN_SIMILARITY_THRESHOLD = 90


@dataclass
class MatchResult:
    score: int
    kind: str
    reasons: list = field(default_factory=list)


def _grams(text):
    """Character pairs (Chinese) or triples (Latin) of a normalised key."""
    size = 3 if text.isascii() else 2
    if len(text) <= size:
        return {text}
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def name_similarity(a, b):
    """Dice coefficient of the keys' character grams, 0.0 to 1.0."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    grams_a, grams_b = _grams(a), _grams(b)
    return 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))


def _contained(a, b):
    """One name is the other plus words (华为 / 华为技术): at least two
    Chinese characters or five Latin letters in common, at the start."""
    short, long_ = sorted((a, b), key=len)
    minimum = 5 if short.isascii() else 2
    return len(short) >= minimum and long_.startswith(short)


def _phones(keys):
    return {keys.get("match_phone_key"), keys.get("match_mobile_key")} - {None, False, ""}


def _name_evidence(a, b):
    name_a, name_b = a.get("match_name_key"), b.get("match_name_key")
    if not name_a or not name_b:
        return None
    if name_a == name_b:
        return REASON_NAME
    pinyin_a, pinyin_b = a.get("match_name_pinyin"), b.get("match_name_pinyin")
    if pinyin_a and pinyin_a == pinyin_b:
        if name_a.isascii() or name_b.isascii():
            # 华为 and Huawei: the romanised name of the same company
            return REASON_SIMILAR_NAME
        return REASON_HOMOPHONE
    if name_a.isascii() and name_b.isascii():
        # Latin names: words in any order, one name's words all in the
        # other's; a shared first word or brand alone is not enough
        # (Orient Bank / Orient Shipping Lines)
        if latin_similarity(name_a, name_b) >= LATIN_SIMILARITY_THRESHOLD:
            return REASON_SIMILAR_NAME
        return None
    if name_similarity(name_a, name_b) >= SIMILARITY_THRESHOLD or _contained(name_a, name_b):
        return REASON_SIMILAR_NAME
    return None


def _contact_evidence(a, b):
    contact_a, contact_b = a.get("match_contact_key"), b.get("match_contact_key")
    if not contact_a or not contact_b:
        return None
    if contact_a == contact_b:
        return REASON_CONTACT
    pinyin_a, pinyin_b = a.get("match_contact_pinyin"), b.get("match_contact_pinyin")
    if pinyin_a and pinyin_a == pinyin_b:
        return REASON_CONTACT_HOMOPHONE
    return None


def collect_evidence(a, b):
    """Reason keys supported by the two key dicts, in display order."""
    found = set()
    vat_a, vat_b = a.get("match_vat_key"), b.get("match_vat_key")
    if vat_a and vat_b:
        found.add(REASON_VAT if vat_a == vat_b else REASON_VAT_CONFLICT)
    if a.get("match_email_key") and a.get("match_email_key") == b.get("match_email_key"):
        found.add(REASON_EMAIL)
    if _phones(a) & _phones(b):
        found.add(REASON_PHONE)
    if a.get("match_domain_key") and a.get("match_domain_key") == b.get("match_domain_key"):
        found.add(REASON_DOMAIN)
    for evidence in (_name_evidence(a, b), _contact_evidence(a, b)):
        if evidence:
            found.add(evidence)
    return [reason for reason in REASONS if reason in found]


def score_keys(a, b):
    """Compare two key dicts (see normalize.match_keys); None when they are
    not worth showing."""
    reasons = collect_evidence(a, b)
    companies = bool(a.get("match_name_key") and b.get("match_name_key"))
    weights = []
    for reason in reasons:
        weight = WEIGHTS.get(reason)
        if weight is None:
            continue
        if reason == REASON_CONTACT and companies:
            # the same person name under two company names: support only
            weight = CONTACT_ONLY_SUPPORT
        if reason == REASON_CONTACT_HOMOPHONE and not companies:
            weight = WEIGHTS[REASON_HOMOPHONE] - 15
        weights.append(weight)
    if not weights:
        return None
    weights.sort(reverse=True)
    score = weights[0] + SUPPORT_BONUS * (len(weights) - 1)
    if REASON_VAT_CONFLICT in reasons:
        score -= VAT_CONFLICT_PENALTY
    score = max(0, min(100, score))
    if REASON_HOMOPHONE in reasons or (
        REASON_CONTACT_HOMOPHONE in reasons and not companies and REASON_CONTACT not in reasons
    ):
        kind = KIND_HOMOPHONE
    elif score >= SAME_THRESHOLD:
        kind = KIND_SAME
    elif score >= MATCH_THRESHOLD:
        kind = KIND_PROBABLE
    else:
        return None
    return MatchResult(score=score, kind=kind, reasons=reasons)
