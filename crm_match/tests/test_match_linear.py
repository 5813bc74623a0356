"""Normalisation is linear in the length of its input, and bounded: every
text is cut at MAX_TEXT_LENGTH characters (plain Python, no database).

Work is counted, not timed: the number of Python and C function calls made
by `match_keys` (a profiler hook), which does not depend on the machine or
its load. Every loop of the normalisation moves an index through the text
and every regular expression reads each character a bounded number of times
(no nested quantifier over the same characters), so the calls grow with the
length and stop growing at the cap.
"""

import sys

from odoo.tests import BaseCase, tagged

from odoo.addons.crm_match.tools.normalize import MAX_TEXT_LENGTH, classify_search_term, match_keys

HOSTILE = {
    "open_brackets": "(",
    "latin_cjk": "a中",
    "legal_forms": "公司",
    "places": "北京",
    "brackets": "(x)",
    "mixed": "Müller & 株式会社 ",
}


def _calls(function, *args):
    """Function calls (Python and C) made by function(*args)."""
    count = 0

    def profile(_frame, event, _arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return count


def _values(unit, length):
    text = (unit * (length // len(unit) + 1))[:length]
    return {
        "name": text,
        "contact_name": text,
        "email": text,
        "phone": text,
        "mobile": text,
        "vat": text,
        "website": text,
    }


@tagged("post_install", "-at_install")
class TestMatchLinear(BaseCase):
    def test_work_grows_linearly_then_stops_at_the_cap(self):
        for kind in sorted(HOSTILE):
            with self.subTest(kind=kind):
                unit = HOSTILE[kind]
                match_keys(_values(unit, 16))  # warm the caches (place and legal form tables)
                small, double = MAX_TEXT_LENGTH // 4, MAX_TEXT_LENGTH // 2
                calls_small = _calls(match_keys, _values(unit, small))
                calls_double = _calls(match_keys, _values(unit, double))
                # twice the text, at most about twice the work (plus a constant)
                assert calls_double <= 2.2 * calls_small + 200, (calls_small, calls_double)
                # above the cap the work does not grow: 8,000 characters cost what 256 do
                calls_cap = _calls(match_keys, _values(unit, MAX_TEXT_LENGTH))
                calls_huge = _calls(match_keys, _values(unit, 8000))
                calls_huger = _calls(match_keys, _values(unit, 80000))
                assert calls_huge <= calls_cap + 50, (calls_cap, calls_huge)
                assert calls_huger == calls_huge
                assert match_keys(_values(unit, 8000)) == match_keys(_values(unit, MAX_TEXT_LENGTH))

    def test_search_terms_are_capped(self):
        assert classify_search_term("a中" * 4000) == classify_search_term("a中" * 4000 + "x")
        classify_search_term("(" * 16)  # warm the caches, as above
        calls = _calls(classify_search_term, "(" * 8000)
        assert calls == _calls(classify_search_term, "(" * 80000)
