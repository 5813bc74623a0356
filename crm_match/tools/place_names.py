"""Chinese place names stripped from the front of company names.

A company called 北京华为 and one called 华为 are compared on 华为: the
leading province or city says where the company is registered, not who it is.
Names are stored in Simplified Chinese, without their administrative suffix;
`LEADING_PLACES` adds the suffixed forms (广东省, 广州市, 浦东新区 ...).
"""

PROVINCES = (
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
)

# Autonomous regions carry a long suffix of their own.
AUTONOMOUS_REGIONS = (
    "内蒙古自治区",
    "广西壮族自治区",
    "西藏自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
)

CITIES = (
    "广州",
    "深圳",
    "珠海",
    "汕头",
    "佛山",
    "东莞",
    "中山",
    "惠州",
    "江门",
    "湛江",
    "肇庆",
    "南京",
    "苏州",
    "无锡",
    "常州",
    "南通",
    "扬州",
    "徐州",
    "杭州",
    "宁波",
    "温州",
    "嘉兴",
    "绍兴",
    "金华",
    "台州",
    "义乌",
    "合肥",
    "芜湖",
    "福州",
    "厦门",
    "泉州",
    "南昌",
    "济南",
    "青岛",
    "烟台",
    "潍坊",
    "郑州",
    "洛阳",
    "武汉",
    "宜昌",
    "长沙",
    "株洲",
    "南宁",
    "桂林",
    "海口",
    "三亚",
    "成都",
    "绵阳",
    "贵阳",
    "昆明",
    "西安",
    "兰州",
    "西宁",
    "银川",
    "乌鲁木齐",
    "拉萨",
    "呼和浩特",
    "包头",
    "石家庄",
    "唐山",
    "保定",
    "太原",
    "大同",
    "沈阳",
    "大连",
    "长春",
    "哈尔滨",
    "大庆",
)

# Districts that often lead a Beijing/Shanghai/Shenzhen company name.
DISTRICTS = (
    "海淀",
    "朝阳",
    "东城",
    "西城",
    "丰台",
    "昌平",
    "浦东",
    "浦东新",
    "徐汇",
    "闵行",
    "南山",
    "福田",
    "罗湖",
    "宝安",
    "龙岗",
    "天河",
    "越秀",
    "番禺",
    "滨海新",
)

PLACE_SUFFIXES = ("省", "市", "区", "县")


def _leading_places():
    places = set(AUTONOMOUS_REGIONS)
    for name in PROVINCES + CITIES:
        places.add(name)
        places.update(name + suffix for suffix in PLACE_SUFFIXES[:2])
    for name in DISTRICTS:
        places.add(name + "区")
    # Longest first, so that 广东省 is stripped before 广东.
    return tuple(sorted(places, key=len, reverse=True))


LEADING_PLACES = _leading_places()
