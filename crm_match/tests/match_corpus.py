"""A generated corpus of labelled company pairs for the matching quality
test (no Odoo import).

Realistic names are built from component lists (places x brand words x
industries x legal forms, in Chinese, Western languages, Japanese and
Korean); each perturbation operator writes one name the way people really
write it (one operator per kind of difference), and the pair is labelled
"same". Hard negatives (same brand or place, another company; two
characters swapped where both names exist; free-mail addresses) are
labelled "different", homophones (同音不同字) "homophone". The generator is
seeded: every run gives the same corpus, and nothing in it was written with
the rules in view.
"""

import random
import unicodedata
from dataclasses import dataclass

import opencc
from pypinyin import lazy_pinyin

SAME = "same"
DIFFERENT = "different"
HOMOPHONE = "homophone"

# Province, prefecture city, county-level division (full names) and the
# short forms a person writes.
CN_PLACES = [
    ("江苏省", "无锡市", "滨湖区"),
    ("江苏省", "苏州市", "吴中区"),
    ("江苏省", "南京市", "江宁区"),
    ("江苏省", "常州市", "武进区"),
    ("浙江省", "杭州市", "余杭区"),
    ("浙江省", "宁波市", "鄞州区"),
    ("浙江省", "温州市", "瓯海区"),
    ("浙江省", "金华市", "义乌市"),
    ("广东省", "广州市", "天河区"),
    ("广东省", "深圳市", "南山区"),
    ("广东省", "佛山市", "顺德区"),
    ("广东省", "东莞市", "长安镇"),
    ("山东省", "青岛市", "黄岛区"),
    ("山东省", "济南市", "历下区"),
    ("山东省", "潍坊市", "寿光市"),
    ("河南省", "郑州市", "金水区"),
    ("湖北省", "武汉市", "洪山区"),
    ("湖南省", "长沙市", "岳麓区"),
    ("四川省", "成都市", "武侯区"),
    ("福建省", "厦门市", "思明区"),
    ("福建省", "泉州市", "晋江市"),
    ("安徽省", "合肥市", "蜀山区"),
    ("河北省", "石家庄市", "长安区"),
    ("辽宁省", "大连市", "甘井子区"),
    ("陕西省", "西安市", "雁塔区"),
    ("北京市", "北京市", "海淀区"),
    ("上海市", "上海市", "浦东新区"),
    ("天津市", "天津市", "滨海新区"),
    ("重庆市", "重庆市", "渝北区"),
]
CN_ZONES = ["经济技术开发区", "经开区", "高新区", "工业园区"]
# Characters of 字号 (brand names); pairs of them make the brands.
CN_BRAND_CHARS = (
    "华光鑫源宏达盛瑞丰恒泰金海天通新正德信安康美嘉锦隆兴荣昌明辉远博创联益和福星宇"
    "凯晟鼎帆腾越力顺永佳汇百利诚卓骏睿峰振航旭聚展亿万嘉润晶诺威特群启耀坤"
)
CN_INDUSTRIES = [
    "机械",
    "电子",
    "科技",
    "贸易",
    "物流",
    "化工",
    "建材",
    "医药",
    "食品",
    "纺织",
    "软件",
    "信息技术",
    "汽车配件",
    "电气",
    "环保科技",
    "新材料",
    "精密仪器",
    "五金制品",
    "包装材料",
    "光电",
]
CN_LEGAL_FORMS = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]
CN_NOTES = ["（北京办事处）", "【旗舰店】", "(香港)", "〔总部〕", "（上海分部）", "「直营店」"]
# Variant characters people still type (异体字), beyond traditional forms.
CN_VARIANTS = {"峰": "峯", "群": "羣", "启": "啓", "线": "綫", "耀": "燿", "坤": "堃", "村": "邨"}

WESTERN_BRANDS = [
    "Orient",
    "Acme",
    "Nordic",
    "Vertex",
    "Alpine",
    "Summit",
    "Atlas",
    "Meridian",
    "Falcon",
    "Harbor",
    "Pioneer",
    "Sterling",
    "Crescent",
    "Evergreen",
    "Northwind",
    "Bluewater",
    "Ironwood",
    "Silverline",
    "Redstone",
    "Granite",
]
WESTERN_SURNAMES = [
    "Müller",
    "Schröder",
    "Bäcker",
    "Großmann",
    "Lefèvre",
    "Åström",
    "Sørensen",
    "Jäger",
    "Köhler",
    "Dubé",
    "Hernández",
    "Ångström",
    "Weiß",
    "Öztürk",
    "Nuñez",
    "Krüger",
    "Fischer",
    "Smith",
    "O'Brien",
    "Martin",
]
WESTERN_INDUSTRIES = [
    "Trading",
    "Shipping Lines",
    "Bank",
    "Logistics",
    "Engineering",
    "Software",
    "Chemicals",
    "Foods",
    "Textiles",
    "Machinery",
    "Consulting",
    "Pharmaceuticals",
    "Instruments",
    "Electronics",
    "Packaging",
]
WESTERN_LEGAL_FORMS = [
    ("GmbH", ""),
    ("AB", ""),
    ("LLP", ""),
    ("S.A.", "SA"),
    ("Ltd.", "Limited"),
    ("Inc.", "Incorporated"),
    ("Co., Ltd.", "Co.,Ltd"),
    ("AG", ""),
    ("B.V.", "BV"),
    ("S.r.l.", "SRL"),
    ("Oy", ""),
    ("A/S", ""),
    ("Pty Ltd", "Pty. Ltd."),
    ("LLC", "L.L.C."),
    ("SARL", "S.A.R.L."),
]
JP_BRANDS = [
    "トヨタ",
    "日立",
    "三菱",
    "富士",
    "山田",
    "中村",
    "東洋",
    "大和",
    "平和",
    "ミツワ",
    "サクラ",
]
JP_INDUSTRIES = ["電機", "自動車", "製作所", "商事", "化学", "工業", "物産", "精工", "運輸"]
JP_LEGAL = ["株式会社", "有限会社", "合同会社"]
KR_BRANDS = ["삼성", "현대", "대한", "한빛", "신세계", "금강", "동양", "세종", "한라", "태평양"]
KR_INDUSTRIES = ["전자", "건설", "물산", "화학", "제약", "중공업", "상사", "식품"]
KR_LEGAL = ["주식회사", "유한회사"]
FREE_MAIL = ["qq.com", "163.com", "126.com", "gmail.com", "outlook.com", "sina.com", "hotmail.com"]


@dataclass
class Pair:
    operator: str
    label: str
    a: dict
    b: dict


def _s2t():
    return opencc.OpenCC("s2t")


class Generator:
    def __init__(self, seed=20261201):
        self.rng = random.Random(seed)
        self.s2t = _s2t()
        pool = list(dict.fromkeys(CN_BRAND_CHARS))
        self.brand_chars = pool
        by_pinyin = {}
        for char in pool:
            by_pinyin.setdefault(lazy_pinyin(char)[0], []).append(char)
        self.cn_brands = self._cn_brands(pool)

    def _cn_brands(self, pool):
        brands = set()
        while len(brands) < 400:
            brands.add("".join(self.rng.sample(pool, 2)))
        return sorted(brands)

    # ------------------------------------------------------------------
    # Names
    # ------------------------------------------------------------------
    def cn_company(self):
        province, city, county = self.rng.choice(CN_PLACES)
        return {
            "province": province,
            "city": city,
            "county": county,
            "brand": self.rng.choice(self.cn_brands),
            "industry": self.rng.choice(CN_INDUSTRIES),
            "legal": self.rng.choice(CN_LEGAL_FORMS),
        }

    @staticmethod
    def cn_name(company, places=("city",), legal=None):
        place = "".join(company[level] for level in places)
        if place and company["province"] in ("北京市", "上海市", "天津市", "重庆市"):
            place = place.replace(company["city"] * 2, company["city"])
        return place + company["brand"] + company["industry"] + (legal or company["legal"])

    def western_company(self):
        if self.rng.random() < 0.5:
            brand = self.rng.choice(WESTERN_BRANDS)
        else:
            brand = self.rng.choice(WESTERN_SURNAMES)
            if self.rng.random() < 0.4:
                brand = f"{brand} & {self.rng.choice(WESTERN_SURNAMES)}"
        return {
            "brand": brand,
            "industry": self.rng.choice(WESTERN_INDUSTRIES),
            "legal": self.rng.choice(WESTERN_LEGAL_FORMS),
        }

    @staticmethod
    def western_name(company, legal=None):
        return f"{company['brand']} {company['industry']} {legal or company['legal'][0]}"

    # ------------------------------------------------------------------
    # Operators (one kind of difference each), (a, b) of one company
    # ------------------------------------------------------------------
    def op_cn_traditional(self, c):
        name = self.cn_name(c)
        return name, self.s2t.convert(name)

    def op_cn_full_width(self, c):
        name = self.cn_name(c)
        wide = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in name)
        return name, "　".join([wide[:2], wide[2:]])

    def op_cn_division_dropped(self, c):
        levels = self.rng.choice([("province", "city", "county"), ("city", "county"), ("city",)])
        return self.cn_name(c, levels), self.cn_name(c, ())

    def op_cn_division_short(self, c):
        full = self.cn_name(c, ("province", "city", "county"))
        short = "".join(
            _short(c[level])
            for level in self.rng.choice([("city", "county"), ("province", "city")])
        )
        return full, short + c["brand"] + c["industry"] + c["legal"]

    def op_cn_division_levels(self, c):
        return self.cn_name(c, ("province",)), self.cn_name(c, ("county",))

    def op_cn_zone(self, c):
        zone = self.rng.choice(CN_ZONES)
        return (
            _short(c["city"]) + zone + c["brand"] + c["industry"] + c["legal"],
            self.cn_name(c, ("city",)),
        )

    def op_cn_bracket_note(self, c):
        name = self.cn_name(c)
        return name, name + self.rng.choice(CN_NOTES)

    def op_cn_legal_form(self, c):
        other = self.rng.choice([form for form in CN_LEGAL_FORMS if form != c["legal"]] + [""])
        return self.cn_name(c), self.cn_name(c, legal=other or " ")

    def op_cn_variant(self, c):
        chars = [ch for ch in c["brand"] if ch in CN_VARIANTS]
        name = self.cn_name(c)
        if not chars:
            return None
        return name, name.replace(chars[0], CN_VARIANTS[chars[0]])

    def op_latin_diacritics(self, c):
        name = self.western_name(c)
        plain = name.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("Ä", "Ae")
        plain = plain.replace("Ö", "Oe").replace("Ü", "Ue").replace("ß", "ss")
        if self.rng.random() < 0.5:
            plain = unicodedata.normalize("NFD", name)
            plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
            plain = plain.replace("ß", "ss").replace("ø", "o").replace("Ø", "O")
        if plain == name:
            return None
        return name, plain

    def op_latin_punctuation(self, c):
        name = self.western_name(c)
        other = name.replace(" & ", " and ").replace("'", "").replace("Co., Ltd.", "Co.,Ltd")
        other = other.replace(".", "") if other == name else other
        other = other.upper() if other == name else other
        return name, other

    def op_latin_legal_form(self, c):
        long_, short = c["legal"]
        return self.western_name(c), self.western_name(c, legal=short or " ")

    def op_latin_word_order(self, c):
        if " & " not in c["brand"]:
            return None
        first, second = c["brand"].split(" & ")
        other = dict(c, brand=f"{second} & {first}")
        return self.western_name(c), self.western_name(other)

    def op_jp_legal_form(self, c):
        brand, industry, legal = c
        return brand + industry + legal, legal + brand + industry

    def op_kr_legal_form(self, c):
        brand, industry, legal = c
        forms = [f"{legal} {brand}{industry}", f"(주){brand}{industry}", f"{brand}{industry}"]
        return f"{brand}{industry} {legal}", self.rng.choice(forms)

    # ------------------------------------------------------------------
    # Pairs
    # ------------------------------------------------------------------
    def pairs(self, per_operator=120):
        pairs = []
        cn_ops = [
            self.op_cn_traditional,
            self.op_cn_full_width,
            self.op_cn_division_dropped,
            self.op_cn_division_short,
            self.op_cn_division_levels,
            self.op_cn_zone,
            self.op_cn_bracket_note,
            self.op_cn_legal_form,
            self.op_cn_variant,
        ]
        latin_ops = [
            self.op_latin_diacritics,
            self.op_latin_punctuation,
            self.op_latin_legal_form,
            self.op_latin_word_order,
        ]
        for op, make in [(op, self.cn_company) for op in cn_ops] + [
            (op, self.western_company) for op in latin_ops
        ]:
            made = 0
            for _attempt in range(per_operator * 20):
                if made >= per_operator:
                    break
                result = op(make())
                if result:
                    pairs.append(Pair(_op_name(op), SAME, {"name": result[0]}, {"name": result[1]}))
                    made += 1
        for _index in range(per_operator // 2):
            jp = (
                self.rng.choice(JP_BRANDS),
                self.rng.choice(JP_INDUSTRIES),
                self.rng.choice(JP_LEGAL),
            )
            a, b = self.op_jp_legal_form(jp)
            pairs.append(Pair("jp_legal_form", SAME, {"name": a}, {"name": b}))
            kr = (
                self.rng.choice(KR_BRANDS),
                self.rng.choice(KR_INDUSTRIES),
                self.rng.choice(KR_LEGAL),
            )
            a, b = self.op_kr_legal_form(kr)
            pairs.append(Pair("kr_legal_form", SAME, {"name": a}, {"name": b}))
        pairs += self._contact_pairs(per_operator)
        pairs += self._hard_negatives(per_operator)
        pairs += self._homophones(per_operator)
        return pairs

    def _contact_pairs(self, count):
        pairs = []
        for index in range(count):
            c = self.cn_company()
            domain = f"{lazy_pinyin(c['brand'])[0]}{index}-corp.cn"
            # the company's own mail domain: two people of one company, one
            # registration writing the brand only
            pairs.append(
                Pair(
                    "mail_company_domain",
                    SAME,
                    {"name": self.cn_name(c), "email": f"sales@{domain}"},
                    {"name": c["brand"] + "公司", "email": f"wang.li@{domain}"},
                )
            )
            number = f"{self.rng.randint(20, 29)}{self.rng.randint(10000000, 99999999)}"
            pairs.append(
                Pair(
                    "phone_prefix",
                    SAME,
                    {"name": self.cn_name(c), "phone": f"+86 {number[:2]} {number[2:]}"},
                    {
                        "name": c["brand"] + c["industry"],
                        "phone": self.rng.choice([f"0086-{number}", f"0{number[:2]}-{number[2:]}"]),
                    },
                )
            )
            other = self.cn_company()
            mail = self.rng.choice(FREE_MAIL)
            pairs.append(
                Pair(
                    "neg_free_mail",
                    DIFFERENT,
                    {"name": self.cn_name(c), "email": f"{self.rng.randint(10000, 99999)}@{mail}"},
                    {
                        "name": self.cn_name(other),
                        "email": f"{self.rng.randint(10000, 99999)}@{mail}",
                    },
                )
            )
        return pairs

    def _hard_negatives(self, count):
        pairs = []
        existing = set(self.cn_brands)
        for _index in range(count):
            c = self.cn_company()
            other = dict(
                c, industry=self.rng.choice([i for i in CN_INDUSTRIES if i != c["industry"]])
            )
            pairs.append(
                Pair(
                    "neg_same_brand",
                    DIFFERENT,
                    {"name": self.cn_name(c)},
                    {"name": self.cn_name(other)},
                )
            )
            other = dict(self.cn_company(), city=c["city"], province=c["province"])
            if other["brand"] != c["brand"]:
                pairs.append(
                    Pair(
                        "neg_same_place",
                        DIFFERENT,
                        {"name": self.cn_name(c)},
                        {"name": self.cn_name(other)},
                    )
                )
            w = self.western_company()
            w_other = dict(
                w, industry=self.rng.choice([i for i in WESTERN_INDUSTRIES if i != w["industry"]])
            )
            pairs.append(
                Pair(
                    "neg_same_first_word",
                    DIFFERENT,
                    {"name": self.western_name(w)},
                    {"name": self.western_name(w_other)},
                )
            )
        swapped = [brand for brand in self.cn_brands if brand[::-1] in existing]
        for brand in swapped[:count]:
            c = dict(self.cn_company(), brand=brand)
            pairs.append(
                Pair(
                    "neg_swapped_characters",
                    DIFFERENT,
                    {"name": self.cn_name(c)},
                    {"name": self.cn_name(dict(c, brand=brand[::-1]))},
                )
            )
        return pairs

    def _homophones(self, count):
        """Same pinyin, other characters: 华光 / 华广."""
        from pypinyin.constants import PINYIN_DICT

        by_reading = {}
        for code, readings in PINYIN_DICT.items():
            char = chr(code)
            if 0x4E00 <= code <= 0x9FA5 and "," not in readings:
                by_reading.setdefault(lazy_pinyin(char)[0], []).append(char)
        pairs = []
        for _attempt in range(count * 20):
            if len(pairs) >= count:
                break
            c = self.cn_company()
            position = self.rng.randrange(2)
            char = c["brand"][position]
            reading = lazy_pinyin(c["brand"])[position]
            choices = [
                other
                for other in by_reading.get(reading, [])
                if other != char and self.s2t.convert(other) == other and _common(other)
            ]
            common = [
                other for other in choices if other in CN_BRAND_CHARS or other in "广达圣睿宏"
            ]
            if not (common or choices):
                continue
            other_char = self.rng.choice(common or choices[:20])
            brand = c["brand"][:position] + other_char + c["brand"][position + 1 :]
            if lazy_pinyin(brand) != lazy_pinyin(c["brand"]):
                continue
            pairs.append(
                Pair(
                    "homophone",
                    HOMOPHONE,
                    {"name": self.cn_name(c)},
                    {"name": self.cn_name(dict(c, brand=brand))},
                )
            )
        return pairs


def _common(char):
    """A character of the common set (GB 2312), the ones names are written with."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _short(place):
    for suffix in ("特别行政区", "自治区", "新区", "省", "市", "区", "县", "镇"):
        if place.endswith(suffix) and len(place) - len(suffix) >= 2:
            return place[: -len(suffix)]
    return place


def _op_name(op):
    return op.__name__.removeprefix("op_")


def generate(seed=20261201, per_operator=120):
    return Generator(seed).pairs(per_operator)
