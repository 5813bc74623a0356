"""Validation of what a distributor types for an end customer.

Plain Python: each check returns True when the value is acceptable. Empty
optional values are acceptable; the model turns failures into translated
messages.
"""

import phonenumbers
from stdnum.cn import uscc

from .claim_key import normalise_credit_code

DEFAULT_REGION = "CN"


def is_valid_credit_code(vat):
    """Unified social credit code (统一社会信用代码), checksum included."""
    if not vat:
        return True
    return uscc.is_valid(normalise_credit_code(vat))


def is_valid_phone(number, region=DEFAULT_REGION):
    if not number:
        return True
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed)


def format_phone(number, region=DEFAULT_REGION):
    """E.164 form of a valid number, the input unchanged otherwise."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_valid_number(parsed):
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
