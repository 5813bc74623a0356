"""Realistic Chinese and international names for the benchmark data.

Plain Python, deterministic for a given ``random.Random``: the generator and
its test call these, nothing here touches a database.

A Chinese company name is built the way they are registered:
place + brand (two syllables) + industry + legal form, e.g.
``深圳市华盛智能装备有限公司`` ("Shenzhen Huasheng Intelligent Equipment Co., Ltd.").
"""

import random
from dataclasses import dataclass

# (city, pinyin, province state code in Odoo's base data, admin division code, area code)
CN_CITIES = [
    ("北京", "Beijing", "BJ", "110000", "010"),
    ("上海", "Shanghai", "SH", "310000", "021"),
    ("天津", "Tianjin", "TJ", "120000", "022"),
    ("重庆", "Chongqing", "CQ", "500000", "023"),
    ("广州", "Guangzhou", "GD", "440100", "020"),
    ("深圳", "Shenzhen", "GD", "440300", "0755"),
    ("东莞", "Dongguan", "GD", "441900", "0769"),
    ("佛山", "Foshan", "GD", "440600", "0757"),
    ("杭州", "Hangzhou", "ZJ", "330100", "0571"),
    ("宁波", "Ningbo", "ZJ", "330200", "0574"),
    ("温州", "Wenzhou", "ZJ", "330300", "0577"),
    ("苏州", "Suzhou", "JS", "320500", "0512"),
    ("南京", "Nanjing", "JS", "320100", "025"),
    ("无锡", "Wuxi", "JS", "320200", "0510"),
    ("常州", "Changzhou", "JS", "320400", "0519"),
    ("成都", "Chengdu", "SC", "510100", "028"),
    ("绵阳", "Mianyang", "SC", "510700", "0816"),
    ("武汉", "Wuhan", "HB", "420100", "027"),
    ("长沙", "Changsha", "HN", "430100", "0731"),
    ("郑州", "Zhengzhou", "HA", "410100", "0371"),
    ("济南", "Jinan", "SD", "370100", "0531"),
    ("青岛", "Qingdao", "SD", "370200", "0532"),
    ("厦门", "Xiamen", "FJ", "350200", "0592"),
    ("福州", "Fuzhou", "FJ", "350100", "0591"),
    ("合肥", "Hefei", "AH", "340100", "0551"),
    ("西安", "Xi'an", "SN", "610100", "029"),
    ("沈阳", "Shenyang", "LN", "210100", "024"),
    ("大连", "Dalian", "LN", "210200", "0411"),
    ("昆明", "Kunming", "YN", "530100", "0871"),
    ("南昌", "Nanchang", "JX", "360100", "0791"),
]

# Brand syllables and their pinyin (the English name uses the pinyin).
BRAND_SYLLABLES = {
    "华": "Hua",
    "盛": "sheng",
    "鑫": "xin",
    "泰": "tai",
    "达": "da",
    "瑞": "rui",
    "恒": "heng",
    "宏": "hong",
    "远": "yuan",
    "科": "ke",
    "创": "chuang",
    "新": "xin",
    "金": "jin",
    "联": "lian",
    "海": "hai",
    "博": "bo",
    "安": "an",
    "信": "xin",
    "中": "zhong",
    "天": "tian",
    "元": "yuan",
    "通": "tong",
    "德": "de",
    "利": "li",
    "隆": "long",
    "佳": "jia",
    "美": "mei",
    "康": "kang",
    "宇": "yu",
    "飞": "fei",
    "捷": "jie",
    "凯": "kai",
    "晟": "sheng",
    "润": "run",
    "弘": "hong",
    "腾": "teng",
    "锐": "rui",
    "誉": "yu",
    "嘉": "jia",
    "成": "cheng",
    "永": "yong",
    "丰": "feng",
    "力": "li",
    "明": "ming",
    "昌": "chang",
    "益": "yi",
    "振": "zhen",
    "兴": "xing",
}

# (Chinese industry, English industry)
INDUSTRIES = [
    ("科技", "Technology"),
    ("电子", "Electronics"),
    ("机械", "Machinery"),
    ("贸易", "Trading"),
    ("实业", "Industrial"),
    ("智能装备", "Intelligent Equipment"),
    ("自动化设备", "Automation Equipment"),
    ("新材料", "New Materials"),
    ("信息技术", "Information Technology"),
    ("精密制造", "Precision Manufacturing"),
    ("环保科技", "Environmental Technology"),
    ("医疗器械", "Medical Devices"),
    ("光电", "Optoelectronics"),
    ("物流", "Logistics"),
    ("汽车零部件", "Auto Parts"),
    ("化工", "Chemical"),
    ("五金制品", "Hardware Products"),
    ("食品", "Food"),
]

# (Chinese legal form, English legal form, weight)
LEGAL_FORMS = [
    ("有限公司", "Co., Ltd.", 70),
    ("股份有限公司", "Corporation", 12),
    ("有限责任公司", "Co., Ltd.", 10),
    ("集团有限公司", "Group Co., Ltd.", 5),
    ("工贸有限公司", "Industry & Trade Co., Ltd.", 3),
]
_LEGAL_WEIGHTS = [weight for _cn, _en, weight in LEGAL_FORMS]

CN_SURNAMES = {
    "王": "Wang",
    "李": "Li",
    "张": "Zhang",
    "刘": "Liu",
    "陈": "Chen",
    "杨": "Yang",
    "黄": "Huang",
    "赵": "Zhao",
    "吴": "Wu",
    "周": "Zhou",
    "徐": "Xu",
    "孙": "Sun",
    "马": "Ma",
    "朱": "Zhu",
    "胡": "Hu",
    "郭": "Guo",
    "何": "He",
    "林": "Lin",
    "罗": "Luo",
    "高": "Gao",
    "郑": "Zheng",
    "梁": "Liang",
    "谢": "Xie",
    "宋": "Song",
    "唐": "Tang",
    "许": "Xu",
    "邓": "Deng",
    "冯": "Feng",
    "韩": "Han",
    "曹": "Cao",
    "欧阳": "Ouyang",
    "司马": "Sima",
}
CN_GIVEN = {
    "伟": "wei",
    "芳": "fang",
    "娜": "na",
    "敏": "min",
    "静": "jing",
    "丽": "li",
    "强": "qiang",
    "磊": "lei",
    "军": "jun",
    "洋": "yang",
    "勇": "yong",
    "艳": "yan",
    "杰": "jie",
    "娟": "juan",
    "涛": "tao",
    "明": "ming",
    "超": "chao",
    "秀": "xiu",
    "霞": "xia",
    "平": "ping",
    "刚": "gang",
    "桂": "gui",
    "英": "ying",
    "华": "hua",
    "建": "jian",
    "国": "guo",
    "志": "zhi",
    "文": "wen",
    "婷": "ting",
    "浩": "hao",
    "宇": "yu",
    "欣": "xin",
    "晨": "chen",
    "思": "si",
    "雨": "yu",
    "子": "zi",
}
CN_FUNCTIONS = ["总经理", "采购经理", "设备部主管", "技术总监", "采购专员", "厂长", "财务经理"]

WESTERN_SURNAMES = [
    "Miller",
    "Schmidt",
    "Dubois",
    "Rossi",
    "Anderson",
    "Fischer",
    "Martin",
    "Weber",
    "Johnson",
    "Bernard",
    "Keller",
    "Nakamura",
    "Tanaka",
    "Kim",
    "Novak",
    "Hansen",
    "Larsen",
    "Moreau",
    "Becker",
    "Clarke",
    "Taylor",
    "Wagner",
    "Ferrari",
    "Silva",
]
WESTERN_FIRST = [
    "James",
    "Anna",
    "Peter",
    "Laura",
    "Thomas",
    "Julia",
    "Michael",
    "Sophie",
    "David",
    "Emma",
    "Lukas",
    "Marie",
    "Paul",
    "Sarah",
    "Hiroshi",
    "Yuki",
    "Min-jun",
]
WESTERN_WORDS = [
    "Precision",
    "Automation",
    "Robotics",
    "Industrial",
    "Motion",
    "Systems",
    "Engineering",
    "Controls",
    "Dynamics",
    "Components",
    "Tooling",
    "Logistics",
]
# (country code, legal forms, phone prefix, cities)
WESTERN_COUNTRIES = [
    ("us", ["Inc.", "LLC", "Corp."], "+1", ["Chicago", "Detroit", "Houston", "San Jose"]),
    ("de", ["GmbH", "AG", "GmbH & Co. KG"], "+49", ["Stuttgart", "München", "Hamburg"]),
    ("fr", ["SAS", "SA", "SARL"], "+33", ["Lyon", "Toulouse", "Paris"]),
    ("uk", ["Ltd", "PLC"], "+44", ["Birmingham", "Manchester", "London"]),
    ("it", ["S.p.A.", "S.r.l."], "+39", ["Milano", "Torino", "Bologna"]),
    ("jp", ["K.K.", "Co., Ltd."], "+81", ["Osaka", "Nagoya", "Tokyo"]),
    ("kr", ["Co., Ltd."], "+82", ["Seoul", "Busan", "Incheon"]),
    ("sg", ["Pte. Ltd."], "+65", ["Singapore"]),
]
STREETS_CN = ["科技园路", "工业大道", "高新区创业路", "经济开发区兴业街", "人民路", "建设大道"]
STREETS_WEST = ["Main Street", "Industriestraße", "Rue de l'Industrie", "Via Roma", "High Street"]

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@dataclass(frozen=True)
class Company:
    """One generated company, with what its contacts and documents reuse."""

    name: str
    english_name: str | None
    brand: str
    country_code: str
    state_code: str | None
    city: str
    street: str
    zip: str
    phone: str
    website: str | None
    email_domain: str
    vat: str | None
    chinese: bool


def uscc(rng: random.Random, division: str):
    """A valid Unified Social Credit Code (统一社会信用代码) registered in ``division``."""
    digits = [rng.randrange(10) for _i in range(8)]
    org_check = 11 - sum(d * w for d, w in zip(digits, _ORG_WEIGHTS, strict=True)) % 11
    org_check_char = {10: "X", 11: "0"}.get(org_check, str(org_check))
    body = "91" + division + "".join(map(str, digits)) + org_check_char
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_ALPHABET[(31 - total % 31) % 31]


def _brand(rng):
    first, second = rng.sample(list(BRAND_SYLLABLES), 2)
    return first + second, BRAND_SYLLABLES[first] + BRAND_SYLLABLES[second]


def chinese_company(rng: random.Random, with_english=0.35):
    """A Chinese company: ``深圳市华盛智能装备有限公司``, sometimes with its English name."""
    city, city_py, state_code, division, area = rng.choice(CN_CITIES)
    brand, brand_py = _brand(rng)
    industry, industry_en = rng.choice(INDUSTRIES)
    legal, legal_en, _weight = rng.choices(LEGAL_FORMS, weights=_LEGAL_WEIGHTS)[0]
    if rng.random() < 0.8:
        name = f"{city}市{brand}{industry}{legal}"
    else:  # brand first, place in brackets: 华盛智能装备（深圳）有限公司
        name = f"{brand}{industry}（{city}）{legal}"
    english = None
    if rng.random() < with_english:
        english = f"{city_py} {brand_py.capitalize()} {industry_en} {legal_en}"
    domain = f"{brand_py.lower()}{rng.randrange(10, 99)}.com.cn"
    return Company(
        name=name,
        english_name=english,
        brand=brand,
        country_code="cn",
        state_code=state_code,
        city=city,
        street=f"{rng.choice(STREETS_CN)}{rng.randrange(1, 999)}号",
        zip=division[:4] + f"{rng.randrange(100):02d}",
        phone=f"+86 {area[1:]} {rng.randrange(10_000_000, 99_999_999)}",
        website=f"https://www.{domain}" if rng.random() < 0.6 else None,
        email_domain=domain,
        vat=uscc(rng, division) if rng.random() < 0.8 else None,
        chinese=True,
    )


def western_company(rng: random.Random):
    """An international company: ``Keller Precision GmbH``."""
    code, forms, prefix, cities = rng.choice(WESTERN_COUNTRIES)
    surname = rng.choice(WESTERN_SURNAMES)
    word = rng.choice(WESTERN_WORDS)
    name = f"{surname} {word} {rng.choice(forms)}"
    domain = f"{surname.lower()}-{word.lower()}{rng.randrange(10, 99)}.com"
    return Company(
        name=name,
        english_name=None,
        brand=surname,
        country_code=code,
        state_code=None,
        city=rng.choice(cities),
        street=f"{rng.randrange(1, 300)} {rng.choice(STREETS_WEST)}",
        zip=f"{rng.randrange(10000, 99999)}",
        phone=f"{prefix} {rng.randrange(100, 999)} {rng.randrange(1_000_000, 9_999_999)}",
        website=f"https://www.{domain}",
        email_domain=domain,
        vat=None,
        chinese=False,
    )


def chinese_person(rng: random.Random):
    """(name, pinyin login) of a Chinese person: ``('王晓明', 'wangxiaoming')``."""
    surname = rng.choice(list(CN_SURNAMES))
    given = rng.sample(list(CN_GIVEN), rng.choice((1, 2, 2)))
    pinyin = CN_SURNAMES[surname].lower() + "".join(CN_GIVEN[c] for c in given)
    return surname + "".join(given), pinyin


def western_person(rng: random.Random):
    first, last = rng.choice(WESTERN_FIRST), rng.choice(WESTERN_SURNAMES)
    return f"{first} {last}", f"{first}.{last}".lower()


def cn_mobile(rng: random.Random):
    """A Chinese mobile number as people type it: ``+86 138 1234 5678``."""
    prefix = rng.choice((130, 131, 135, 136, 137, 138, 139, 150, 151, 158, 159, 186, 188, 199))
    number = rng.randrange(10_000_000)
    return f"+86 {prefix} {number // 10_000:04d} {number % 10_000:04d}"


def e164(phone):
    """The E.164 form of a number generated here (digits after the plus sign)."""
    if not phone:
        return None
    return "+" + "".join(ch for ch in phone if ch.isdigit())


def name_variant(rng: random.Random, company: Company, to_traditional=None):
    """How a distributor may type an existing company in a registration.

    Returns (variant kind, text): the exact name, the short brand+industry name,
    the place moved into brackets, the English name, or traditional characters.
    """
    kinds = ["exact", "short", "reordered", "traditional"]
    if company.english_name:
        kinds.append("english")
    if not company.chinese:
        kinds = ["exact", "lower"]
    kind = rng.choice(kinds)
    name = company.name
    if kind == "short":
        for legal, _en, _w in sorted(LEGAL_FORMS, key=lambda form: -len(form[0])):
            if name.endswith(legal):
                name = name[: -len(legal)]
                break
        name = name.replace(f"{company.city}市", "").replace(f"（{company.city}）", "")
    elif kind == "reordered":
        if name.startswith(f"{company.city}市"):
            rest = name[len(company.city) + 1 :]
            name = rest.replace(company.brand, f"{company.brand}（{company.city}）", 1)
        else:
            name = f"{company.city}市" + name.replace(f"（{company.city}）", "")
    elif kind == "english":
        name = company.english_name
    elif kind == "traditional" and to_traditional:
        name = to_traditional(name)
    elif kind == "lower":
        name = name.lower()
    return kind, name
