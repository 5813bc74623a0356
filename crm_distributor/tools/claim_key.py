"""Claim keys of a deal registration.

A registration that is live (submitted, returned, approved or converted) holds
the claim on its end customer. The claim is stored as normalised keys on which
PostgreSQL enforces uniqueness, so that two distributors registering the same
end customer at the same moment cannot both hold it: the database serialises
them and exactly one wins.

Plain Python, no Odoo import: unit-tested on its own.
"""

import re
import unicodedata

try:  # OpenCC is in the suite's requirements; tolerate its absence in tools
    import opencc

    _T2S = opencc.OpenCC("t2s")
except ImportError:  # pragma: no cover
    _T2S = None

# Legal forms at the end of a company name, longest first.
LEGAL_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "集团",
    "公司",
    "coltd",
    "company",
    "limited",
    "corporation",
    "corp",
    "gmbh",
    "inc",
    "ltd",
    "llc",
    "co",
    "ag",
    "sa",
)

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)

# The one definition of the registration states that hold the claim on an end
# customer (crm.deal.registration owns the claims; every caller uses these).
PENDING_STATES = ("submitted", "returned")
APPROVED_STATES = ("approved", "converted")
LIVE_STATES = PENDING_STATES + APPROVED_STATES


def normalise_company_name(name):
    """Return the comparable form of a company name ('' for an empty one).

    NFKC (full width to half width), case folding, traditional to simplified
    Chinese, punctuation and spaces removed, legal-form suffixes stripped.
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name).casefold()
    if _T2S is not None:
        text = _T2S.convert(text)
    text = _NOT_WORD.sub("", text)
    stripped = True
    while stripped:
        stripped = False
        for suffix in LEGAL_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                stripped = True
                break
    return text


def normalise_credit_code(vat):
    """Return the credit code upper-cased without separators ('' for none)."""
    if not vat:
        return ""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", vat)).upper()


def claim_keys(name, vat):
    """Return the (name key, credit code key) pair of an end customer."""
    return normalise_company_name(name) or False, normalise_credit_code(vat) or False
