"""Lookup keys of an uploaded row (plain Python): the fingerprint that makes
the same row submitted at most once, and the keys of a province name.
The checks of the values themselves are tools/input_rules."""

import datetime
import hashlib
import json
import unicodedata

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
        if value not in (None, "", False)
    }
    canonical = {
        key: unicodedata.normalize("NFKC", value).casefold().strip()
        if isinstance(value, str)
        else value
        for key, value in canonical.items()
    }
    payload = json.dumps([owner_id, sorted(canonical.items())], ensure_ascii=False, default=str)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()
