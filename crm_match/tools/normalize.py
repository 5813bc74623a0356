"""Normalisation of customer data into comparable keys (no Odoo import).

Every entry point (partners, leads, deal registrations, uploads) goes through
`match_keys()`, so that two records are compared on the same keys whatever
their script (traditional or simplified, full or half width), their legal form
(有限公司, GmbH ...) or their leading place name (北京, 广州市 ...).
"""

import functools
import re
import unicodedata

import opencc
import phonenumbers
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from .place_names import DISTRICTS, LEADING_PLACES

DEFAULT_REGION = "CN"

# Chinese legal forms, longest first so that 股份有限公司 goes before 有限公司.
CJK_LEGAL_FORMS = tuple(
    sorted(
        {
            "股份有限公司",
            "有限责任公司",
            "集团有限公司",
            "集团股份有限公司",
            "有限公司",
            "股份公司",
            "集团公司",
            "总公司",
            "分公司",
            "子公司",
            "公司",
            "集团",
            "有限合伙",
            "合伙企业",
            "分厂",
            "总厂",
            "厂",
            "商行",
            "经营部",
            "门市部",
        },
        key=len,
        reverse=True,
    )
)
# Legal forms whose removal may leave a branch place at the end:
# 华为技术有限公司北京分公司 is Huawei, not Huawei Beijing.
BRANCH_FORMS = ("分公司", "分厂", "办事处")

# Western legal forms, compared on lower-case words with dots removed
# ("S.A." -> "sa", "Co., Ltd." -> "co", "ltd").
LATIN_LEGAL_WORDS = frozenset(
    {
        "co",
        "company",
        "cos",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "gmbh",
        "mbh",
        "llc",
        "llp",
        "lp",
        "plc",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "ag",
        "kg",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "asa",
        "pte",
        "pty",
        "kk",
        "group",
        "holding",
        "holdings",
        "the",
        "and",
    }
)

# A core name this generic keeps its place: 北京大学 and 上海大学 differ.
GENERIC_CORES = frozenset(
    {
        "大学",
        "学院",
        "中学",
        "小学",
        "医院",
        "银行",
        "酒店",
        "饭店",
        "宾馆",
        "研究院",
        "研究所",
        "图书馆",
        "博物馆",
        "电视台",
        "日报",
        "政府",
        "地铁",
        "机场",
        "港",
        "",
    }
)

# Institutions named after their place: 北京协和医院 and 上海协和医院 differ.
PLACE_BOUND = ("大学", "学院", "医院", "中学", "小学", "政府", "电视台")

PERSON_TITLES = (
    "先生",
    "女士",
    "小姐",
    "经理",
    "总经理",
    "总监",
    "老师",
    "博士",
    "教授",
    "董事长",
)
LATIN_PERSON_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam"})

# Public mailbox providers: their domain says nothing about the company.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "qq.com",
        "vip.qq.com",
        "foxmail.com",
        "163.com",
        "126.com",
        "yeah.net",
        "sina.com",
        "sina.cn",
        "sohu.com",
        "aliyun.com",
        "139.com",
        "189.cn",
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "gmx.de",
        "web.de",
        "proton.me",
        "protonmail.com",
        "example.com",
    }
)

_PLACES = frozenset(LEADING_PLACES)
_PLACES_AFTER_CITY = _PLACES | frozenset(DISTRICTS)
_PLACE_SIZES = sorted({len(place) for place in _PLACES_AFTER_CITY}, reverse=True)

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD_RE = re.compile(r"[^\W_]+")
_BRACKETS_RE = re.compile(r"[(\[{（【〔]([^)\]}）】〕]*)[)\]}）】〕]")
_LATIN_WORD_RE = re.compile(r"[a-z0-9]+")
_NON_ALNUM_RE = re.compile(r"[\W_]+")
_TONE_MARKS_RE = re.compile(r"[\u0300-\u036f]")
_NON_DIGIT_RE = re.compile(r"\D")
_PHONE_CHARS_RE = re.compile(r"[0-9+()\s.-]+")
_CN_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_CN_LANDLINE_RE = re.compile(r"0(?:10|2\d|[3-9]\d{2})[2-9]\d{6,7}")


@functools.cache
def _t2s():
    return opencc.OpenCC("t2s")


def has_cjk(text):
    return bool(text and _CJK_RE.search(text))


def clean_text(text):
    """NFKC (full width to half width), case folded, accents dropped,
    simplified Chinese."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    if not text.isascii():
        text = unicodedata.normalize(
            "NFC", _TONE_MARKS_RE.sub("", unicodedata.normalize("NFD", text))
        )
        if has_cjk(text):
            text = _t2s().convert(text)
    return text


def compact(text):
    """Letters and digits only (any script), no spaces or punctuation."""
    return _NON_ALNUM_RE.sub("", text or "")


def _strip_cjk_legal_form(text):
    changed = True
    while changed:
        changed = False
        for form in CJK_LEGAL_FORMS:
            if text.endswith(form) and len(text) > len(form):
                text = text[: -len(form)]
                changed = True
                if form in BRANCH_FORMS:
                    text = _strip_trailing_place(text)
                break
    return text


def _strip_trailing_place(text):
    for size in _PLACE_SIZES:
        if len(text) > size + 1 and text[-size:] in _PLACES:
            return text[:-size]
    return text


def _leading_place(text, places):
    for size in _PLACE_SIZES:
        if text[:size] in places:
            return size
    return 0


def _strip_leading_places(text):
    """Strip 广东省广州市天河区 from the front; a district name without its
    区 is a place only after a city (北京海淀华为 -> 华为)."""
    places = _PLACES
    while True:
        size = _leading_place(text, places)
        rest = text[size:]
        if not size or len(rest) < 2 or rest in GENERIC_CORES or rest.endswith(PLACE_BOUND):
            return text
        text = rest
        places = _PLACES_AFTER_CITY


def _drop_bracketed_places(text):
    """Drop `(深圳)` or `（集团）`, keep the content of other brackets."""

    def replace(match):
        inner = compact(match.group(1))
        if inner in LEADING_PLACES or inner in CJK_LEGAL_FORMS:
            return " "
        return " " + match.group(1) + " "

    return _BRACKETS_RE.sub(replace, text)


def _latin_words(text):
    """Latin words of a cleaned text; single letters are joined (s a -> sa)."""
    words = []
    run = ""
    for word in _LATIN_WORD_RE.findall(text.replace(".", "")):
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            words.append(run)
            run = ""
        words.append(word)
    if run:
        words.append(run)
    return words


def _strip_latin_legal_words(words):
    words = list(words)
    while len(words) > 1 and words[-1] in LATIN_LEGAL_WORDS:
        words.pop()
    while len(words) > 1 and words[0] == "the":
        words.pop(0)
    return words


def search_text(name):
    """A name as it is searched: cleaned, letters and digits only, places
    (bracketed ones too) and legal form kept (`北京海淀华为技术有限公司`)."""
    return compact(clean_text(name))


def _display_core(text):
    if has_cjk(text):
        return _strip_cjk_legal_form(compact(text))
    return "".join(_strip_latin_legal_words(_latin_words(text))) or compact(text)


def display_core(name):
    """Name without its legal form, place kept: 北京华为技术 / acmetrading."""
    return _display_core(_drop_bracketed_places(clean_text(name)))


def _company_core(text):
    if has_cjk(text):
        return _strip_leading_places(_strip_cjk_legal_form(compact(text)))
    return "".join(_strip_latin_legal_words(_latin_words(text))) or compact(text)


def normalize_company_name(name):
    """Comparable company name: no legal form, no leading place, no spaces,
    simplified, case folded. `北京華為技術有限公司` -> `华为技术`."""
    return _company_core(_drop_bracketed_places(clean_text(name)))


def normalize_person_name(name):
    """Comparable person name: titles removed; Western word order ignored
    (`Zhang, San` == `san zhang`)."""
    text = clean_text(name)
    if not text.strip():
        return ""
    if has_cjk(text):
        text = compact(text)
        for title in PERSON_TITLES:
            if text.endswith(title) and len(text) > len(title):
                text = text[: -len(title)]
                break
        return text
    words = [word for word in _latin_words(text) if word not in LATIN_PERSON_TITLES]
    return "".join(sorted(words))


# ---------------------------------------------------------------------------
# Pinyin
# ---------------------------------------------------------------------------
_PHRASE_MAX = 4


@functools.cache
def _char_pinyin(char):
    readings = PINYIN_DICT.get(ord(char))
    if not readings:
        return char
    return _toneless(readings.split(",")[0])


@functools.cache
def _toneless(syllable):
    return _TONE_MARKS_RE.sub("", unicodedata.normalize("NFD", syllable))


def pinyin_syllables(text):
    """Toneless pinyin syllables of a cleaned text; other characters are kept
    as words. Two to four character phrases use their phrase reading
    (重庆 -> chong qing, 银行 -> yin hang)."""
    syllables = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if not _CJK_RE.match(char):
            match = _WORD_RE.match(text, index)
            if match:
                latin = _NON_ALNUM_RE.sub("", match.group(0))
                # a word mixing scripts is cut at the first Chinese character
                cut = _CJK_RE.search(latin)
                word = latin[: cut.start()] if cut else latin
                if word:
                    syllables.append(word)
                    index += len(word)
                    continue
            index += 1
            continue
        for size in range(min(_PHRASE_MAX, length - index), 1, -1):
            phrase = PHRASES_DICT.get(text[index : index + size])
            if phrase:
                syllables.extend(_toneless(reading[0]) for reading in phrase)
                index += size
                break
        else:
            syllables.append(_char_pinyin(char))
            index += 1
    return syllables


def pinyin_key(text):
    """Full pinyin without tones or spaces: 北京海淀 -> beijinghaidian."""
    return "".join(pinyin_syllables(text))


def initials_key(text):
    """First letter of every syllable or word: 北京海淀 -> bjhd."""
    return "".join(syllable[0] for syllable in pinyin_syllables(text) if syllable)


# ---------------------------------------------------------------------------
# Contact data
# ---------------------------------------------------------------------------
def normalize_email(email):
    """Lower-case address; the first address when several are given."""
    if not email:
        return ""
    text = unicodedata.normalize("NFKC", str(email)).strip().lower()
    match = re.search(r"[^\s<>,;\"']+@[^\s<>,;\"']+\.[^\s<>,;\"']+", text)
    return match.group(0).strip(".") if match else ""


def email_domain(email):
    email = normalize_email(email)
    return email.rsplit("@", 1)[1] if "@" in email else ""


def normalize_domain(website):
    """`https://www.Huawei.com/cn/` -> `huawei.com`."""
    if not website:
        return ""
    text = unicodedata.normalize("NFKC", str(website)).strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    text = re.split(r"[/?#:\s]", text, maxsplit=1)[0]
    text = text.split("@")[-1].strip(".")
    if text.startswith("www."):
        text = text[4:]
    return text if "." in text else ""


def company_domain(website=None, email=None):
    """The company's web domain: its website, else a non-public e-mail domain."""
    domain = normalize_domain(website)
    if domain:
        return domain
    domain = email_domain(email)
    return "" if domain in PUBLIC_MAIL_DOMAINS else domain


def normalize_phone(number, region=DEFAULT_REGION):
    """E.164 (`+8613800138000`) or "" when the number cannot be a phone."""
    if not number:
        return ""
    text = unicodedata.normalize("NFKC", str(number)).strip()
    digits = _NON_DIGIT_RE.sub("", text)
    if len(digits) < 5:
        return ""
    head = text.lstrip("( ")
    if (
        (region or DEFAULT_REGION) == "CN"
        and _PHONE_CHARS_RE.fullmatch(text)
        and (not head.startswith(("+", "00")) or head.startswith(("+86", "0086")))
    ):
        # Fast path for the common mainland forms, same result as phonenumbers
        # (checked by the tests): mobiles 1xx xxxx xxxx and 0xx(x) landlines.
        national = digits[2:] if head.startswith(("+86", "86")) else digits
        national = national[4:] if national.startswith("0086") else national
        if _CN_MOBILE_RE.fullmatch(national):
            return "+86" + national
        if _CN_LANDLINE_RE.fullmatch(national):
            return "+86" + national[1:]
    try:
        parsed = phonenumbers.parse(text, region or DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_vat(vat):
    """Unified social credit code, compact and upper case ("" when empty)."""
    if not vat:
        return ""
    text = unicodedata.normalize("NFKC", str(vat))
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def is_valid_credit_code(vat):
    """True for a valid 统一社会信用代码 (check digit included)."""
    try:
        uscc.validate(normalize_vat(vat))
    except ValidationError:
        return False
    return True


# ---------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------
def name_grams(text):
    """Single characters and character pairs of the Chinese part of a name,
    space separated, for a GIN index that does not depend on the database's
    ctype (pg_trgm sees no trigram in CJK text under LC_CTYPE=C)."""
    chars = "".join(_CJK_RE.findall(text or ""))
    if not chars:
        return ""
    grams = dict.fromkeys(chars)
    grams.update(dict.fromkeys(chars[i : i + 2] for i in range(len(chars) - 1)))
    return " ".join(grams)


def query_grams(term):
    """The grams a search term needs: its characters when it has one, its
    character pairs otherwise."""
    chars = "".join(_CJK_RE.findall(term or ""))
    if len(chars) <= 1:
        return [chars] if chars else []
    return list(dict.fromkeys(chars[i : i + 2] for i in range(len(chars) - 1)))


# Grams of a name looked up in the GIN index at most (see index_grams).
INDEX_GRAMS = 3


def index_grams(grams, frequencies=None, size=INDEX_GRAMS):
    """The grams of a containment lookup (`grams` all in a row) to read from
    the GIN index: the `size` rarest, in their original order.

    `frequencies` maps the most common grams to their share of the rows
    (PostgreSQL's most_common_elems statistics); a gram missing from it is
    rare. A GIN intersection costs what its most common grams cost (公司,
    科技: a posting list of a tenth of the table), a few rare grams give a
    short candidate list: the caller checks every gram on those candidates,
    so the result is the same.
    """
    frequencies = frequencies or {}
    if len(grams) <= size:
        return list(grams)
    ranked = sorted(
        range(len(grams)), key=lambda index: (frequencies.get(grams[index], 0.0), index)
    )
    return [grams[index] for index in sorted(ranked[:size])]


KEY_FIELDS = (
    "match_name_key",
    "match_name_pinyin",
    "match_search_key",
    "match_grams",
    "match_pinyin_key",
    "match_initials_key",
    "match_vat_key",
    "match_email_key",
    "match_domain_key",
    "match_phone_key",
    "match_mobile_key",
    "match_contact_key",
    "match_contact_pinyin",
)


def match_keys(values, region=DEFAULT_REGION):
    """All stored keys of one record from res.partner-style values.

    `values` may hold name (company), contact_name (person), vat, email,
    phone, mobile, website and search_name (the text searched, e.g. the
    partner's complete name; defaults to name, then contact_name);
    company_domain=False leaves the web domain out (a company's contact).
    Missing keys are False, as Odoo stores empty Char fields.
    """
    name = _drop_bracketed_places(clean_text(values.get("name")))
    contact = values.get("contact_name") or ""
    # searched text keeps bracketed places: 同丰装备（大连）is found by 大连
    search_name = clean_text(values.get("search_name") or values.get("name") or contact)
    core = _company_core(name) if name.strip() else ""
    searched = _display_core(search_name) if search_name.strip() else ""
    person = normalize_person_name(contact)
    email = normalize_email(values.get("email"))
    keys = {
        "match_name_key": core,
        "match_name_pinyin": pinyin_key(core),
        "match_search_key": compact(search_name),
        "match_grams": name_grams(searched),
        "match_pinyin_key": pinyin_key(searched),
        "match_initials_key": initials_key(searched),
        "match_vat_key": normalize_vat(values.get("vat")),
        "match_email_key": email,
        "match_domain_key": (
            company_domain(values.get("website"), email)
            if values.get("company_domain", True)
            else ""
        ),
        "match_phone_key": normalize_phone(values.get("phone"), region),
        "match_mobile_key": normalize_phone(values.get("mobile"), region),
        "match_contact_key": person,
        "match_contact_pinyin": pinyin_key(person),
    }
    return {key: value or False for key, value in keys.items()}


# ---------------------------------------------------------------------------
# Search terms
# ---------------------------------------------------------------------------
_VAT_FRAGMENT_RE = re.compile(r"(?=.*\d)[0-9A-Z]{6,18}")
_PHONE_TERM_RE = re.compile(r"\+?[0-9()\s.-]{7,}")


def phone_prefix(term, region=DEFAULT_REGION):
    """E.164 prefix of a (partial) phone number typed in a search box:
    `138 0013` -> `+861380013`, `010-6234` -> `+86106234`."""
    digits = _NON_DIGIT_RE.sub("", term)
    text = term.strip()
    if text.startswith("+"):
        return "+" + digits
    if text.startswith("00"):
        return "+" + digits[2:]
    if region == "CN":
        if digits.startswith("0"):
            return "+86" + digits[1:]
        return "+86" + digits
    return ""


def classify_search_term(term):
    """What a customer search term can be, as the keys it is looked up in.

    Returns a dict with (only the applicable entries):
    - cjk: the cleaned term when it holds Chinese (characters search);
    - text: the cleaned Latin/pinyin term, letters and digits only;
    - email: the lower-case fragment (term with @, or any Latin term);
    - phone: the E.164 number and phone_prefix its prefix;
    - vat: the credit code (or its beginning), upper case.
    """
    cleaned = clean_text(term).strip()
    found = {}
    if not cleaned:
        return found
    if has_cjk(cleaned):
        found["cjk"] = compact(cleaned)
        return found
    if _PHONE_TERM_RE.fullmatch(cleaned):
        found["phone"] = normalize_phone(cleaned)
        found["phone_prefix"] = phone_prefix(cleaned)
    vat = normalize_vat(cleaned)
    if " " not in cleaned.strip() and _VAT_FRAGMENT_RE.fullmatch(vat):
        found["vat"] = vat
    email = re.sub(r"\s+", "", cleaned)
    if "@" in email or (len(email) >= 3 and "phone" not in found):
        found["email"] = email
    if "@" not in email and "phone" not in found:
        text = _display_core(cleaned)
        if text:
            found["text"] = text
    return found
