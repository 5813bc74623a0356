"""Normalisation of customer data into comparable keys (no Odoo import).

Every entry point (partners, leads, deal registrations, uploads) goes through
`match_keys()`, so that two records are compared on the same keys whatever
their script (traditional, simplified, Japanese or variant forms, full or half
width), their legal form (有限公司, GmbH, 株式会社 ...), their places (江苏省无锡市,
滨湖区, 经开区), their notes in brackets or their diacritics (Müller / Mueller).
Every loop moves an index through the text and every text is cut at
MAX_TEXT_LENGTH: the work is linear in the input and bounded.
"""

import functools
import re
import unicodedata

import cleanco.termdata
import opencc
import phonenumbers
from anyascii import anyascii
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
from rapidfuzz import fuzz
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from .place_names import ZONES, divisions

# Version of the normalisation: stored keys computed by an older one are
# recomputed in the background (crm.match.engine._cron_refresh_match_keys).
# 1: crm_distributor 18.0.1; 2: divisions of the national code list, any
# bracket, cleanco legal forms, Latin words in alphabetical order, initials grams.
KEYS_VERSION = 2

# Characters of a text value read at most: no name, e-mail or phone is
# longer, and no input costs more than this (see match_keys).
MAX_TEXT_LENGTH = 256

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
            # Japanese and Korean legal forms (also in front, see PREFIX_LEGAL_FORMS)
            "株式会社",
            "有限会社",
            "合同会社",
            "合资会社",
            "合名会社",
            "주식회사",
            "유한회사",
            "유한책임회사",
            "합자회사",
            "합명회사",
        },
        key=len,
        reverse=True,
    )
)
_CJK_LEGAL_FORM_SET = frozenset(CJK_LEGAL_FORMS)
_LEGAL_FORM_SIZES = sorted({len(form) for form in CJK_LEGAL_FORMS}, reverse=True)

# Legal forms written in front of a Japanese or Korean name (株式会社トヨタ).
PREFIX_LEGAL_FORMS = ("株式会社", "有限会社", "合同会社", "주식회사", "유한회사")

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
        "sina.com.cn",
        "21cn.com",
        "tom.com",
        "263.net",
        "wo.cn",
        "yahoo.com.cn",
        "yahoo.co.jp",
        "naver.com",
        "daum.net",
        "hanmail.net",
        "aol.com",
        "gmx.net",
        "mail.ru",
        "yandex.ru",
    }
)

# Words joining names: Smith & Sons = Smith and Sons = Smith Sons.
LATIN_CONNECTORS = frozenset({"and", "und", "et", "the"})

_DIVISIONS = divisions()
_MAJOR_PLACES = _DIVISIONS["major"]
_COUNTIES = _DIVISIONS["county"]
_COUNTY_SHORTS = _DIVISIONS["county_short"]
_ZONES = frozenset(ZONES)
# Towns and sub-districts are not in the code list: 2 or 3 characters and
# their suffix (长安镇, 虎门镇, 五里乡).
_TOWN_SUFFIXES = ("镇", "乡")
_PLACES = frozenset(_MAJOR_PLACES) | frozenset(_COUNTIES)
_PLACE_SIZES = sorted(
    {len(place) for place in (*_MAJOR_PLACES, *_COUNTIES, *_COUNTY_SHORTS, *ZONES)} | {3, 4},
    reverse=True,
)
_GENERIC_SIZE = max(len(core) for core in GENERIC_CORES)

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Han, kana and hangul: names compared character by character, not by words.
_EAST_ASIAN_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Letters and digits that are not Han (a Latin, kana or hangul word).
_WORD_RE = re.compile(r"[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Innermost brackets of any kind (after NFKC): the content holds no bracket,
# so that every character is read a bounded number of times.
_OPENING = "([{【〔〖「『〈《"
_CLOSING = ")]}】〕〗」』〉》"
_BRACKETS_RE = re.compile(
    f"[{re.escape(_OPENING)}]([^{re.escape(_OPENING + _CLOSING)}]*)[{re.escape(_CLOSING)}]"
)
_LATIN_WORD_RE = re.compile(r"[a-z0-9]+")
_NON_ALNUM_RE = re.compile(r"[\W_]+")
_TONE_MARKS_RE = re.compile(r"[\u0300-\u036f]")
_NON_DIGIT_RE = re.compile(r"\D")
_PHONE_CHARS_RE = re.compile(r"[0-9+()\s.-]+")
_CN_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_CN_LANDLINE_RE = re.compile(r"0(?:10|2\d|[3-9]\d{2})[2-9]\d{6,7}")


@functools.cache
def _t2s():
    return opencc.OpenCC("hk2s")


@functools.cache
def _jp2t():
    return opencc.OpenCC("jp2t")


# Variant characters OpenCC leaves (or maps outside the common planes).
VARIANTS = str.maketrans(
    {
        "厰": "厂",
        "竝": "并",
        "邨": "村",
        "𪸩": "辉",
        "煇": "辉",
        "𬬻": "炉",
        "燿": "耀",
        "劵": "券",
        "喆": "哲",
        "堃": "坤",
        "粧": "妆",
    }
)


def _latin_legal_words():
    """Legal forms of Latin names as word tuples: cleanco's terms of every
    country and type ("sp. z o.o." -> ("sp", "zoo")) and our own."""
    terms = set()
    for group in (cleanco.termdata.terms_by_type, cleanco.termdata.terms_by_country):
        for values in group.values():
            terms.update(values)
    forms = {(word,) for word in LATIN_LEGAL_WORDS}
    for term in terms:
        words = tuple(_latin_words(clean_text(term)))
        if words and all(word.isascii() for word in words):
            forms.add(words)
    return frozenset(forms)


def has_cjk(text):
    return bool(text and _CJK_RE.search(text))


def clean_text(text):
    """NFKC (full width to half width), case folded, simplified Chinese (from
    traditional, Japanese and variant forms); at most MAX_TEXT_LENGTH
    characters."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)[:MAX_TEXT_LENGTH]).casefold()
    if not text.isascii():
        # German umlauts as their transliteration, other accents dropped
        text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
        text = unicodedata.normalize(
            "NFC", _TONE_MARKS_RE.sub("", unicodedata.normalize("NFD", text))
        )
        if has_cjk(text):
            if not _is_gb2312(text):
                # Japanese forms (気, 広, 沢) first to traditional
                text = _jp2t().convert(text)
            text = _t2s().convert(text).translate(VARIANTS)
    return text


def _is_gb2312(text):
    """Only characters of the simplified set (no Japanese or traditional form)."""
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _latin_ascii(text):
    """A cleaned Latin text in ASCII (ø -> o, æ -> ae, ł -> l: anyascii)."""
    if text.isascii():
        return text
    return anyascii(text)


def compact(text):
    """Letters and digits only (any script), no spaces or punctuation."""
    return _NON_ALNUM_RE.sub("", text or "")


def _strip_cjk_legal_form(text):
    """Legal forms off the end (and the Japanese or Korean ones off the
    front); an index moves, the text is cut once (linear)."""
    start, end = 0, len(text)
    for form in PREFIX_LEGAL_FORMS:
        if text.startswith(form) and end - len(form) >= 1:
            start = len(form)
            break
    changed = True
    while changed:
        changed = False
        # longest first, so that 股份有限公司 goes before 有限公司
        for size in _LEGAL_FORM_SIZES:
            if end - start > size and text[end - size : end] in _CJK_LEGAL_FORM_SET:
                form = text[end - size : end]
                end -= size
                changed = True
                if form in BRANCH_FORMS:
                    end = _trailing_place_end(text, start, end)
                break
    return text[start:end]


def _trailing_place_end(text, start, end):
    for size in _PLACE_SIZES:
        if end - start > size + 1 and text[end - size : end] in _PLACES:
            return end - size
    return end


def _in_scope(codes, scope):
    return any(code.startswith(prefix) for code in codes for prefix in scope)


def _leading_place(text, start, scope):
    """(size, codes) of the place at `start`: a province or prefecture
    (first, or inside the places before it), a county's full name, a
    county's short name inside the places before it, a zone or a town after
    a place; (0, None) when there is none."""
    for size in _PLACE_SIZES:
        piece = text[start : start + size]
        if len(piece) < size:
            continue
        codes = _MAJOR_PLACES.get(piece)
        if codes and (scope is None or _in_scope(codes, scope)):
            return size, codes
        codes = _COUNTIES.get(piece)
        if codes:
            return size, codes
        if scope is not None:
            codes = _COUNTY_SHORTS.get(piece)
            if codes and _in_scope(codes, scope):
                return size, codes
            if piece in _ZONES:
                return size, scope
        if size in (3, 4) and piece.endswith(_TOWN_SUFFIXES) and has_cjk(piece):
            return size, scope or frozenset({""})
    return 0, None


def _strip_leading_places(text):
    """Strip 江苏省无锡市滨湖区 or 无锡经开区 from the front: a province's or
    prefecture's name (full or short), a county's full name, a county's short
    name (滨湖) inside the province or city before it, a zone (经开区) or a
    town (长安镇). An index moves, the text is cut once (linear)."""
    if text.endswith(PLACE_BOUND):
        return text
    scope = None
    start, length = 0, len(text)
    while True:
        size, codes = _leading_place(text, start, scope)
        rest = start + size
        if (
            not size
            or length - rest < 2
            or (length - rest <= _GENERIC_SIZE and text[rest:] in GENERIC_CORES)
        ):
            return text[start:]
        start = rest
        scope = codes


def _drop_brackets(text):
    """A company name without what is in brackets: places, branches, shops
    and other notes ((深圳) （北京办事处） 【旗舰店】 (Hong Kong)); the whole
    text when that would leave nothing."""
    stripped = _BRACKETS_RE.sub(" ", text)
    return stripped if _NON_ALNUM_RE.sub("", stripped) else text


def _latin_words(text):
    """Latin words of a cleaned text in ASCII; single letters are joined
    (s a -> sa)."""
    words = []
    run = ""
    for word in _LATIN_WORD_RE.findall(_latin_ascii(text).replace(".", "").replace("'", "")):
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


@functools.cache
def _legal_forms():
    forms = _latin_legal_words()
    return forms, max(len(form) for form in forms)


def _strip_latin_legal_words(words):
    """Words without connectors and legal forms at the end (any country's:
    GmbH, AB, LLP, S.A., Co., Ltd. ...)."""
    forms, longest = _legal_forms()
    words = [word for word in words if word not in LATIN_CONNECTORS] or list(words)
    end = len(words)
    changed = True
    while changed and end > 1:
        changed = False
        for size in range(min(longest, end - 1), 0, -1):
            if tuple(words[end - size : end]) in forms:
                end -= size
                changed = True
                break
    return words[:end]


def _fold_latin(word):
    """German equivalences (ü/ue, ö/oe, ä/ae were all made two letters or
    one): Müller, Mueller and Muller give the same word."""
    return word.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def latin_similarity(a, b):
    """Token-set similarity (0-100, rapidfuzz) of two Latin name keys
    (space-separated words)."""
    return fuzz.token_set_ratio(a, b)


def _display_core(text):
    """Name without its legal form, place kept: 北京华为技术 / acmetrading."""
    if _EAST_ASIAN_RE.search(text):
        return _strip_cjk_legal_form(compact(text))
    return "".join(_strip_latin_legal_words(_latin_words(text))) or compact(text)


def _company_core(text):
    """Comparable company name: Chinese, Japanese or Korean without legal
    form or leading places, no spaces (华为技术); Latin as its words in
    alphabetical order, without connectors or legal form, German equivalences
    folded (`Müller & Schmidt GmbH` -> `muller schmidt`)."""
    if _EAST_ASIAN_RE.search(text):
        return _strip_leading_places(_strip_cjk_legal_form(compact(text)))
    words = _strip_latin_legal_words(_latin_words(text))
    return " ".join(sorted(_fold_latin(word) for word in words)) or compact(text)


def normalize_company_name(name):
    """Comparable company name: `北京華為技術有限公司` -> `华为技术`."""
    return _company_core(_drop_brackets(clean_text(name)))


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
    words = [_fold_latin(word) for word in _latin_words(text) if word not in LATIN_PERSON_TITLES]
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


@functools.cache
def _phrase_sizes():
    """{first character: lengths (2 to _PHRASE_MAX) of the phrases that start
    with it, longest first}: a character that starts no phrase costs one
    lookup, not one per length."""
    sizes = {}
    for phrase in PHRASES_DICT:
        if 2 <= len(phrase) <= _PHRASE_MAX:
            sizes.setdefault(phrase[0], set()).add(len(phrase))
    return {char: tuple(sorted(found, reverse=True)) for char, found in sizes.items()}


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
            # a word stops at the first Chinese character (_WORD_RE has none)
            match = _WORD_RE.match(text, index)
            if match:
                syllables.append(match.group(0))
                index = match.end()
                continue
            index += 1
            continue
        for size in _phrase_sizes().get(char, ()):
            phrase = size <= length - index and PHRASES_DICT.get(text[index : index + size])
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
    return _initials(pinyin_syllables(text))


def _initials(syllables):
    return "".join(syllable[0] for syllable in syllables if syllable)


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
        international = head.startswith(("+86", "0086"))
        national = digits[2:] if head.startswith(("+86", "86")) else digits
        national = national[4:] if national.startswith("0086") else national
        if _CN_MOBILE_RE.fullmatch(national):
            return "+86" + national
        if _CN_LANDLINE_RE.fullmatch(national):
            return "+86" + national[1:]
        if international and _CN_LANDLINE_RE.fullmatch("0" + national):
            # +86 20 1380 4733: the area code without its trunk 0
            return "+86" + national
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


# Pinyin initials of a name are also indexed by their runs of 2 to 4 letters,
# marked so that they cannot be taken for characters: `hw` finds
# 深圳华为技术 (szhwjs) although its initials do not start with it.
INITIALS_MARK = "~"
INITIALS_GRAM_SIZES = (2, 3, 4)
# Initials of a name indexed at most (a name of 32 syllables is long).
INITIALS_INDEXED = 32


def initials_grams(initials):
    """Runs of 2 to 4 pinyin initials of a name, marked: `szhw` ->
    ~sz ~zh ~hw ~szh ~zhw ~szhw."""
    initials = (initials or "")[:INITIALS_INDEXED]
    return list(
        dict.fromkeys(
            INITIALS_MARK + initials[index : index + size]
            for size in INITIALS_GRAM_SIZES
            for index in range(len(initials) - size + 1)
        )
    )


def initials_query_gram(term):
    """The marked initials gram that a search for `term` (2 letters or more)
    reads from the index: its first 4 letters."""
    return INITIALS_MARK + term[: max(INITIALS_GRAM_SIZES)]


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
    # a length cap on every text: nothing costs more than MAX_TEXT_LENGTH
    values = {
        key: value[:MAX_TEXT_LENGTH] if isinstance(value, str) else value
        for key, value in values.items()
    }
    raw_name = values.get("name")
    cleaned_name = clean_text(raw_name)
    name = _drop_brackets(cleaned_name)
    contact = values.get("contact_name") or ""
    # searched text keeps bracketed places: 同丰装备（大连）is found by 大连
    raw_search = values.get("search_name") or raw_name or contact
    search_name = cleaned_name if raw_search == raw_name else clean_text(raw_search)
    core = _company_core(name) if name.strip() else ""
    searched = _display_core(search_name) if search_name.strip() else ""
    person = normalize_person_name(contact)
    email = normalize_email(values.get("email"))
    # the searched name's syllables give both its pinyin and its initials
    syllables = pinyin_syllables(searched)
    initials = _initials(syllables)
    keys = {
        "match_name_key": core,
        "match_name_pinyin": pinyin_key(core),
        "match_search_key": compact(search_name),
        "match_grams": " ".join(filter(None, [name_grams(searched), *initials_grams(initials)])),
        "match_pinyin_key": "".join(syllables),
        "match_initials_key": initials,
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
    cleaned = clean_text(term[:MAX_TEXT_LENGTH]).strip()
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
