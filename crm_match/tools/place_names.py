"""Chinese administrative divisions stripped from company names.

A company called 江苏省无锡市滨湖区华光机械 and one called 华光机械 are compared
on 华光机械: the divisions say where the company is registered, not who it is.

The divisions come from the national code list (GB/T 2260, the 统计用区划代码
of the National Bureau of Statistics) as shipped and maintained by the `cpca`
package (`cpca/resources/adcodes.csv`: 34 provinces, 344 prefecture-level
divisions, 3,133 county-level ones). The file is read directly: importing
cpca would import pandas. Every division is known in its full form (江苏省,
无锡市, 滨湖区, 恩施土家族苗族自治州) and in its short form (江苏, 无锡, 滨湖,
恩施). Development zones (经济技术开发区, 经开区, 高新区 ...) follow a place.
"""

import csv
import functools
import importlib.metadata
import io
import re

# Suffixes of a division's full name, longest first; what is left is its
# short form (at least two characters).
DIVISION_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "新区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
)
# 延边朝鲜族自治州 -> 延边, 广西壮族自治区 -> 广西
_ETHNIC_RE = re.compile(r"(?:[\u4e00-\u9fff]{1,5}?族)+$")
# Entries of the code list that are not places.
_NOT_PLACES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")

# Zones named after the place before them: 无锡经开区, 苏州工业园区.
ZONES = (
    "经济技术开发区",
    "高新技术产业开发区",
    "高新技术开发区",
    "经济开发区",
    "工业园区",
    "开发区",
    "经开区",
    "高新区",
    "工业园",
    "保税区",
    "自贸区",
    "新区",
)


def short_form(name):
    """江苏省 -> 江苏, 恩施土家族苗族自治州 -> 恩施; None when nothing of two
    characters or more is left."""
    for suffix in DIVISION_SUFFIXES:
        if name.endswith(suffix):
            short = _ETHNIC_RE.sub("", name[: -len(suffix)])
            return short if len(short) >= 2 else None
    return None


def _read_codes():
    """(adcode, name) rows of cpca's code list."""
    path = importlib.metadata.distribution("cpca").locate_file("cpca/resources/adcodes.csv")
    with open(path, encoding="utf-8") as stream:
        return [(row["adcode"], row["name"]) for row in csv.DictReader(io.StringIO(stream.read()))]


@functools.cache
def divisions():
    """{"major": {name: codes}, "county": {name: codes}, "county_short":
    {name: codes}}: full and short names of provinces and prefecture-level
    divisions, full names of county-level divisions, their short forms. The
    codes are the 2-digit code of a province, the 4-digit code of a
    prefecture or of the prefecture a county belongs to: a short county name,
    or a second prefecture, is a place only inside the province or city
    written before it."""
    major, county, county_short = {}, {}, {}
    for code, name in _read_codes():
        if name in _NOT_PLACES:
            continue
        short = short_form(name)
        if code[2:] == "0" * 10:  # province
            codes, target = {code[:2]}, major
        elif code[4:] == "0" * 8:  # prefecture
            codes, target = {code[:4]}, major
        else:  # county: the prefecture it belongs to
            codes, target = {code[:4]}, county
        target.setdefault(name, set()).update(codes)
        if short:
            (major if target is major else county_short).setdefault(short, set()).update(codes)
    return {
        "major": {name: frozenset(codes) for name, codes in major.items()},
        "county": {name: frozenset(codes) for name, codes in county.items() if name not in major},
        "county_short": {
            name: frozenset(codes) for name, codes in county_short.items() if name not in major
        },
    }
