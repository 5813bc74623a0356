"""The one set of rules for what people type or upload (plain Python).

Every entry point of the suite that takes an end customer, a deal or a
sell-out from outside (the portal form, the bulk upload rows, the trade-fair
lead list) checks its values here, through
``crm.deal.registration._prepare_values_from_input`` (and the sell-out and
trade-fair equivalents), so that what passes the triage also passes the
confirmation.

A rule turns a raw value (text typed in a form, a cell read from a
spreadsheet) into the value to store, or raises :class:`InputError` with a
message key and parameters; the Odoo layer (``crm.input.rules``) translates
it and names the field (and the row). :func:`check_values` checks a whole
record and reports *every* problem, not only the first.

Choices, written down once:

* **Phone numbers** must be *valid* (``phonenumbers.is_valid_number``): the
  number exists in the numbering plan of its region, not only has a possible
  length. The phone is a matching key between distributors, so a typo
  (a digit missing in an area code) would both hide a conflict and register
  a customer nobody can call; and it is what the registration model has
  always enforced, so the data already stored passes it. Keep the
  ``phonenumbers`` package up to date for new number ranges.
* **E-mail**: one pattern (:data:`EMAIL_PATTERN`), no display name, one ``@``.
* **Credit code**: python-stdnum ``cn.uscc`` (checksum included), stored
  compact and upper case.
* **Text**: NFKC-normalised, control characters removed, stripped, and
  capped (:data:`TEXT_LIMITS`): a longer value is refused, never truncated.
* **Numbers**: finite (no ``nan``, ``inf``, ``1e309``), within
  :data:`NUMBER_MAX`, prices and revenues not negative, quantities positive.
* **Dates**: from :data:`DATE_MIN` on; a sale date not in the future, an
  expected closing date at most :data:`FUTURE_YEARS` years ahead.
"""

import datetime
import math
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from stdnum.cn import uscc

DEFAULT_REGION = "CN"
EMAIL_PATTERN = re.compile(
    r"^[^@\s<>\"'(),;:\\\[\]]+@[^@\s<>\"'(),;:\\\[\]]+\.[^@\s<>\"'(),;:\\\[\]]+$"
)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%d/%m/%Y", "%Y%m%d")
DATE_MIN = datetime.date(2000, 1, 1)
FUTURE_YEARS = 20
# Amounts and quantities above this are typing errors (and overflow numeric(…)).
NUMBER_MAX = 1e12
DEFAULT_TEXT_LIMIT = 256
TEXT_LIMITS = {
    "partner_name": 200,
    "partner_name_en": 200,
    "contact_name": 100,
    "function": 100,
    "email_from": 254,
    "phone": 40,
    "mobile": 40,
    "vat": 40,
    "street": 200,
    "city": 100,
    "product_code": 64,
    "fair_name": 200,
    "fair_phase": 50,
    "booth": 50,
    "products": 500,
    "serial_numbers": 10000,
    "description": 5000,
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


class InputError(Exception):
    """A refused value: ``key`` names the rule, ``params`` fill the message."""

    def __init__(self, key, **params):
        self.key = key
        self.params = params
        super().__init__(key)


@dataclass(frozen=True)
class Rule:
    """How one field is checked. ``kind`` is one of text, credit_code,
    email, phone, number, date."""

    kind: str = "text"
    required: bool = False
    max_length: int = 0
    minimum: float = 0.0
    strictly_positive: bool = False
    maximum: float = NUMBER_MAX
    past_only: bool = False
    multiline: bool = False


def text_rule(field, required=False, multiline=False):
    return Rule(
        "text",
        required=required,
        max_length=TEXT_LIMITS.get(field, DEFAULT_TEXT_LIMIT),
        multiline=multiline,
    )


# Field name -> rule, per kind of record (fields named as on the model).
REGISTRATION_RULES = {
    "partner_name": text_rule("partner_name", required=True),
    "partner_name_en": text_rule("partner_name_en"),
    "vat": Rule("credit_code", max_length=TEXT_LIMITS["vat"]),
    "contact_name": text_rule("contact_name"),
    "email_from": Rule("email", max_length=TEXT_LIMITS["email_from"]),
    "phone": Rule("phone", max_length=TEXT_LIMITS["phone"]),
    "mobile": Rule("phone", max_length=TEXT_LIMITS["mobile"]),
    "street": text_rule("street"),
    "city": text_rule("city"),
    "expected_revenue": Rule("number"),
    "date_deadline": Rule("date"),
    "description": text_rule("description", multiline=True),
}
REGISTRATION_LINE_RULES = {
    "quantity": Rule("number", strictly_positive=True),
    "price_unit": Rule("number"),
}
SELL_OUT_RULES = {
    "quantity": Rule("number", strictly_positive=True),
    "date": Rule("date", past_only=True),
    "serial_numbers": text_rule("serial_numbers", multiline=True),
}
TRADE_FAIR_RULES = {
    "contact_name": text_rule("contact_name", required=True),
    "partner_name": text_rule("partner_name"),
    "function": text_rule("function"),
    "email_from": Rule("email", max_length=TEXT_LIMITS["email_from"]),
    "phone": Rule("phone", max_length=TEXT_LIMITS["phone"]),
    "fair_name": text_rule("fair_name"),
    "fair_phase": text_rule("fair_phase"),
    "booth": text_rule("booth"),
    "fair_date": Rule("date", past_only=True),
    "products": text_rule("products"),
    "description": text_rule("description", multiline=True),
}


def is_empty(value):
    return value is None or value is False or (isinstance(value, str) and not value.strip())


def clean_text(value, multiline=False):
    """NFKC text without control characters; single-line text has its runs
    of white space folded to one space."""
    text = _CONTROL.sub("", unicodedata.normalize("NFKC", str(value)))
    if not multiline:
        text = _SPACES.sub(" ", text)
    return text.strip()


def check_length(value, max_length):
    if max_length and len(value) > max_length:
        raise InputError("too_long", max_length=max_length, length=len(value))
    return value


def check_credit_code(value):
    """Unified social credit code (统一社会信用代码), checksum included."""
    code = uscc.compact(clean_text(value))
    if not uscc.is_valid(code):
        raise InputError("credit_code", value=value)
    return code


def is_valid_credit_code(value):
    try:
        check_credit_code(value)
    except InputError:
        return False
    return True


def check_email(value):
    text = clean_text(value)
    if not EMAIL_PATTERN.match(text):
        raise InputError("email", value=value)
    return text


def check_phone(value, region=DEFAULT_REGION):
    """The number as typed (cleaned), refused unless valid in its region."""
    text = clean_text(value)
    try:
        number = phonenumbers.parse(text, region or DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise InputError("phone", value=value) from exc
    if not phonenumbers.is_valid_number(number):
        raise InputError("phone", value=value)
    return text


def check_number(value, rule=None):
    """A finite float within the rule's bounds (text like "¥1,200" accepted)."""
    rule = rule or Rule("number")
    if isinstance(value, bool):
        raise InputError("number", value=value)
    if isinstance(value, int | float):
        # Integers stay integers (the row fingerprint of an uploaded row
        # depends on it); too large for a float is out of range anyway.
        number = value
        if isinstance(value, int) and abs(value) > rule.maximum:
            raise InputError("too_big", value=value, maximum=f"{rule.maximum:,.0f}")
    else:
        text = clean_text(value).replace(",", "").replace("，", "")
        text = text.lstrip("¥￥$€").strip()
        if len(text) > 40:
            raise InputError("number", value=value)
        try:
            number = float(text)
        except (ValueError, OverflowError) as exc:
            raise InputError("number", value=value) from exc
    if not math.isfinite(float(number)):
        raise InputError("not_finite", value=value)
    if rule.strictly_positive and number <= 0:
        raise InputError("not_positive", value=value)
    if number < rule.minimum:
        raise InputError("negative", value=value)
    if number > rule.maximum:
        raise InputError("too_big", value=value, maximum=f"{rule.maximum:,.0f}")
    return number


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InputError("date", value=value)


def check_date(value, rule=None, today=None):
    """A date from DATE_MIN on, not in the future for past-only dates, at
    most FUTURE_YEARS ahead otherwise."""
    rule = rule or Rule("date")
    today = today or datetime.date.today()
    date = parse_date(value)
    if date < DATE_MIN:
        raise InputError("date_too_old", value=date.isoformat(), minimum=DATE_MIN.isoformat())
    # One day of slack: the distributor's day may already be tomorrow.
    latest = (
        today + datetime.timedelta(days=1)
        if rule.past_only
        else today.replace(year=today.year + FUTURE_YEARS, day=min(today.day, 28))
    )
    if date > latest:
        raise InputError("date_too_late", value=date.isoformat(), maximum=latest.isoformat())
    return date


def check_value(rule, value, region=DEFAULT_REGION, today=None):
    """The cleaned value of one field, or raise InputError. An empty value
    is False (or refused when the rule requires one)."""
    if is_empty(value):
        if rule.required:
            raise InputError("required")
        return False
    if rule.kind == "number":
        return check_number(value, rule)
    if rule.kind == "date":
        return check_date(value, rule, today)
    text = check_length(clean_text(value, rule.multiline), rule.max_length)
    if rule.kind == "credit_code":
        return check_credit_code(text)
    if rule.kind == "email":
        return check_email(text)
    if rule.kind == "phone":
        return check_phone(text, region)
    return text


def check_values(raw, rules, region=DEFAULT_REGION, today=None):
    """Check the fields of ``raw`` that ``rules`` knows (and the required
    ones). Returns (values, {field: InputError}): every problem, not only
    the first; fields with a problem are left out of the values."""
    values, errors = {}, {}
    for field, rule in rules.items():
        if field not in raw and not rule.required:
            continue
        try:
            values[field] = check_value(rule, raw.get(field), region=region, today=today)
        except InputError as error:
            errors[field] = error
    return values, errors


_SERIAL_SPLIT = re.compile(r"[\s,;，；、]+")


def split_serials(value):
    """Serial numbers written one a line or separated by commas, semicolons."""
    return [serial for serial in _SERIAL_SPLIT.split(str(value or "")) if serial]
