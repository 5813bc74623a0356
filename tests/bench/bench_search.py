"""Customer search: partner name_search (limit 8) over a fixed mixed term set.

Ours: res.partner.name_search through the key indexes of crm.match.mixin
(Chinese characters through a GIN index on character grams, pinyin and Latin
through pg_trgm and prefix btrees, initials, credit code, phone, e-mail).
Stock Odoo: Odoo's own name_search of res.partner, rebuilt here from its
definition (``ILIKE '%term%'`` on the ``_rec_names_search`` fields complete_name,
email, ref, vat and company_registry, then child_of): a sequential scan of the
partners.

Terms: Chinese of 1, 2, 3 and 4 characters, a term matching nothing, full
pinyin, pinyin initials, a Latin word, an e-mail fragment, a credit code and a
phone number, taken from the generated data (fixed seed, so fixed terms).
"""

import time

from odoo.osv import expression
from odoo.tools import SQL

from .bench_matching import vacuum_if_needed
from .harness import Row, percentile

REPEAT = 5
BASELINE_REPEAT = 1
LIMIT = 8


def _terms(env):
    cr = env.cr
    cr.execute(
        "SELECT match_name_key, match_name_pinyin, match_initials_key, email, vat, phone "
        "FROM res_partner "
        "WHERE is_company AND match_grams IS NOT NULL AND length(match_name_key) >= 4 "
        "AND vat IS NOT NULL AND phone IS NOT NULL ORDER BY id LIMIT 1 OFFSET 777"
    )
    chinese = cr.fetchone()
    cr.execute(
        "SELECT name FROM res_partner WHERE is_company "
        "AND name ~ '^[A-Za-z]{4,}' ORDER BY id LIMIT 1 OFFSET 333"
    )
    latin = cr.fetchone()
    if not chinese:
        return {}
    core, pinyin, initials, email, vat, phone = chinese
    middle = len(core) // 2
    terms = {
        "chinese 1 char": core[middle],
        "chinese 2 chars": core[middle - 1 : middle + 1],
        "chinese 3 chars": core[:3],
        "chinese 4 chars": core[-4:],
        "no match": "无此客户名称",
        "pinyin": pinyin,
        "initials": initials[:4],
        # initials and abbreviations from the middle of the name (issue 13)
        "initials inside": initials[2:4],
        "abbreviation": core[0] + core[2],
        "email fragment": email.split("@")[0][:6] + "@",
        "credit code": vat,
        "phone": phone,
    }
    if latin:
        terms["latin"] = latin[0].split()[0]
    return terms


def _durations(fn, terms, repeat):
    durations = {}
    for label, term in terms.items():
        for _round in range(repeat):
            start = time.perf_counter()
            fn(term)
            durations.setdefault(label, []).append((time.perf_counter() - start) * 1000.0)
    return durations


def collect(env):
    vacuum_if_needed(env)
    Partner = env["res.partner"]
    terms = _terms(env)
    if not terms:
        return [Row("partner name_search p95", None, None, "ms", 30, note="no generated data")]
    env.cr.execute("SELECT count(*) FROM res_partner")
    partners = env.cr.fetchone()[0]

    def ours(term):
        Partner.name_search(term, limit=LIMIT)

    def stock(term):
        # Odoo's own res.partner name_search: ILIKE on _rec_names_search, then
        # the contacts of what matched (child_of), best names first
        domain = expression.OR([[(fname, "ilike", term)] for fname in Partner._rec_names_search])
        Partner.search_fetch(
            [("id", "child_of", Partner._search(domain))], ["display_name"], limit=LIMIT
        )

    for term in terms.values():  # warm the caches and the index pages
        ours(term)
    ours_ms = _durations(ours, terms, REPEAT)
    stock_ms = _durations(stock, terms, BASELINE_REPEAT)
    hits = {label: len(Partner.name_search(term, limit=LIMIT)) for label, term in terms.items()}
    all_ours = [value for values in ours_ms.values() for value in values]
    all_stock = [value for values in stock_ms.values() for value in values]
    seq_scans = 0
    for term in terms.values():
        query = Partner._match_name_search_query(term, limit=LIMIT)
        if not query:
            continue
        env.cr.execute(SQL("EXPLAIN %s", query))
        lines = [row[0] for row in env.cr.fetchall()]
        seq_scans += sum(
            1 for i, line in enumerate(lines) if "Seq Scan" in line and "Limit" not in lines[i - 1]
        )
    rows = [
        Row(
            "partner name_search p95",
            percentile(all_ours, 0.95),
            percentile(all_stock, 0.95),
            "ms",
            30,
            note=f"{partners:,} partners; {len(terms)} terms x {REPEAT} (stock x "
            f"{BASELINE_REPEAT}): " + ", ".join(f"{k}={v!r}" for k, v in terms.items()),
        ),
        Row(
            "partner name_search p95, ratio to stock",
            percentile(all_ours, 0.95),
            percentile(all_stock, 0.95),
            "ms",
            "x0.01",
        ),
        Row(
            "name_search unbounded seq scans",
            seq_scans,
            None,
            "plans",
            0,
            note="EXPLAIN of the ranked search: Seq Scan not under a LIMIT",
        ),
    ]
    for label in terms:
        rows.append(
            Row(
                f"  name_search {label} (p50)",
                percentile(ours_ms[label], 0.5),
                percentile(stock_ms[label], 0.5),
                "ms",
                None,
                note=f"{hits[label]} result(s)",
            )
        )
    return rows
