"""Checks and conversions of one uploaded row's values (plain Python).

Each ``check_*`` returns the cleaned value or raises :class:`RowError`
carrying a message key and params that the Odoo layer translates.
"""

import datetime
import hashlib
import json
import re
import unicodedata

import phonenumbers
from stdnum.cn import uscc

# Suffixes of Chinese province names (longest first): 广西壮族自治区 -> 广西.
PROVINCE_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_SERIAL_SPLIT = re.compile(r"[\s,;，；、]+")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%d/%m/%Y", "%Y%m%d")


class RowError(Exception):
    def __init__(self, key, **params):
        self.key = key
        self.params = params
        super().__init__(key)


def check_vat(value):
    """Unified social credit code (统一社会信用代码), validated."""
    code = uscc.compact(str(value))
    if not uscc.is_valid(code):
        raise RowError("vat", value=value)
    return code


def check_email(value):
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not _EMAIL.match(text):
        raise RowError("email", value=value)
    return text


def check_phone(value, region="CN"):
    """A phone number as written, refused when it cannot be a number."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise RowError("phone", value=value) from exc
    if not phonenumbers.is_possible_number(number):
        raise RowError("phone", value=value)
    return text


def check_number(value, field, positive=False):
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).replace(",", "").strip()
        text = text.lstrip("¥￥$€").strip()
        try:
            number = float(text)
        except ValueError as exc:
            raise RowError("number", field=field, value=value) from exc
    if number < 0 or (positive and number <= 0):
        raise RowError("number", field=field, value=value)
    return number


def check_date(value, field):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError("date", field=field, value=value)


def split_serials(value):
    return [serial for serial in _SERIAL_SPLIT.split(str(value or "")) if serial]


def province_keys(name):
    """Lookup keys of a Chinese province name: 广东省 -> {广东省, 广东}."""
    text = unicodedata.normalize("NFKC", str(name or "")).strip().casefold()
    keys = {text}
    for suffix in PROVINCE_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            keys.add(text[: -len(suffix)])
            break
    return {key for key in keys if key}


def fingerprint(owner_id, values):
    """Stable fingerprint of a row for one owner: the same row uploaded again
    (in any file, any column order, any format) gets the same fingerprint."""
    canonical = {
        key: (value.isoformat() if isinstance(value, datetime.date) else value)
        for key, value in values.items()
        if value not in (None, "")
    }
    canonical = {
        key: unicodedata.normalize("NFKC", value).casefold().strip()
        if isinstance(value, str)
        else value
        for key, value in canonical.items()
    }
    payload = json.dumps([owner_id, sorted(canonical.items())], ensure_ascii=False, default=str)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()
