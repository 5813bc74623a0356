"""Matching an incoming customer against partners, leads and registrations.

Ours: ``crm.match.engine.find_matches(values)`` (index-driven candidates from
the stored keys of crm.match.mixin, then scoring). Stock Odoo: looking for the
same company with a ``name ilike`` search on res.partner, the way a user or an
import checks for a duplicate (``search([("name", "ilike", name)], limit=10)``),
which is a sequential scan of the partners.

The inputs are existing companies of the bench data written another way
(traditional characters, another legal form, a leading place, the phone in
another format), plus names that match nothing.
"""

import random
import time

import opencc

from odoo import sql_db
from odoo.tools import SQL

from .generate import TRUTH_TABLE
from .harness import Row, count_queries, percentile

INPUTS = 40
# Registrations per variant of the generator's truth table whose customer is
# looked up (recall@10 and precision of find_matches).
TRUTH_SAMPLE = 100
BASELINE_INPUTS = 8
REPEAT = 3
LEGAL_FORMS = ("有限公司", "股份有限公司", "集团", "")
PLACES = ("北京", "上海市", "广东省", "")


def _inputs(env, count):
    """Existing companies, written another way, and a few unknown names."""
    cr = env.cr
    cr.execute("SELECT max(id) FROM res_partner WHERE is_company AND match_name_key IS NOT NULL")
    top = cr.fetchone()[0] or 0
    rng = random.Random(20261122)
    wanted = sorted(rng.sample(range(1, top + 1), min(top, count * 4)))
    cr.execute(
        SQL(
            "SELECT name, phone, email, vat, website FROM res_partner "
            "WHERE id = ANY(%s) AND is_company AND name IS NOT NULL LIMIT %s",
            wanted,
            count,
        )
    )
    converter = opencc.OpenCC("s2t")
    values = []
    for index, (name, phone, email, vat, website) in enumerate(cr.fetchall()):
        entry = {"name": name}
        variant = index % 4
        if variant == 0:
            entry["name"] = converter.convert(name)
        elif variant == 1:
            entry["name"] = (
                rng.choice(PLACES) + name.removesuffix("有限公司") + rng.choice(LEGAL_FORMS)
            )
        elif variant == 2:
            entry.update(phone=phone, email=email)
        else:
            entry.update(vat=vat, website=website)
        values.append(entry)
    for index in range(max(1, count // 10)):
        values.append({"name": f"从未登记过的客户{index}号贸易有限公司"})
    return values


KEY_TABLES = ("res_partner", "crm_lead", "crm_deal_registration")


def vacuum_if_needed(env):
    """VACUUM ANALYZE the key tables when they hold many dead rows.

    The generator fills the matching keys with one UPDATE after its COPY, in
    the same transaction: every row then has a dead version, still referenced
    by the indexes until a VACUUM (autovacuum may be off, as on the build
    machine), which makes the GIN lookups visit twice the pages. VACUUM needs
    its own autocommit connection; returns the tables vacuumed.
    """
    env.cr.execute(
        "SELECT relname FROM pg_stat_user_tables WHERE relname IN %s "
        "AND n_dead_tup > 0.2 * GREATEST(n_live_tup, 1000)",
        [KEY_TABLES],
    )
    tables = [row[0] for row in env.cr.fetchall()]
    if tables:
        with sql_db.db_connect(env.cr.dbname).cursor() as cr:
            cr._cnx.autocommit = True
            try:
                for table in tables:
                    cr.execute(SQL("VACUUM ANALYZE %s", SQL.identifier(table)))
            finally:
                cr._cnx.autocommit = False
    return tables


def _timings(fn, inputs, repeat):
    durations = []
    for _round in range(repeat):
        for values in inputs:
            start = time.perf_counter()
            fn(values)
            durations.append((time.perf_counter() - start) * 1000.0)
    return durations


def _seq_scans(env, engine, inputs):
    """Sequential scans of a whole key table in the candidate queries' plans."""
    scans = 0
    for values in inputs:
        keys = engine._prepare_keys(values)
        for model_name in engine._get_match_models():
            query = engine._match_candidates_batch_query(env[model_name], {0: keys})
            if query is None:
                continue
            env.cr.execute(SQL("EXPLAIN %s", query))
            lines = [row[0] for row in env.cr.fetchall()]
            scans += sum(
                1
                for i, line in enumerate(lines)
                if "Seq Scan" in line and "Limit" not in lines[i - 1]
            )
    return scans


def _truth_quality(env, engine, sample=TRUTH_SAMPLE):
    """Rows of recall@10 and precision of find_matches per variant type of
    the generator's truth table (registrations written from an existing
    company: traditional characters, another legal form, a place ...).

    recall@10: the true company is among the 10 matches returned for the
    registration's customer; precision: the share of the partners returned
    as "same" that are the true company."""
    env.cr.execute(SQL("SELECT to_regclass(%s)", TRUTH_TABLE))
    if not env.cr.fetchone()[0]:
        return []
    env.cr.execute(
        SQL(
            "SELECT variant, registration_id, partner_id FROM ("
            " SELECT t.*, row_number() OVER (PARTITION BY variant ORDER BY registration_id) AS n"
            " FROM %s t JOIN crm_deal_registration r ON r.id = t.registration_id) AS s "
            "WHERE n <= %s",
            SQL.identifier(TRUTH_TABLE),
            sample,
        )
    )
    rows = env.cr.fetchall()
    Registration = env["crm.deal.registration"]
    truth = {
        registration_id: (variant, partner_id) for variant, registration_id, partner_id in rows
    }
    registrations = Registration.browse(list(truth))
    start = time.perf_counter()
    found = engine._find_matches_batch(
        {registration.id: registration._prepare_match_values() for registration in registrations},
        limit=10,
        exclude={
            registration.id: {Registration._name: [registration.id]}
            for registration in registrations
        },
    )
    elapsed = (time.perf_counter() - start) * 1000.0 / max(len(truth), 1)
    stats = {}
    for registration_id, (variant, partner_id) in truth.items():
        matches = found.get(registration_id, [])
        partners = [m["res_id"] for m in matches if m["model"] == "res.partner"]
        same = [m["res_id"] for m in matches if m["model"] == "res.partner" and m["kind"] == "same"]
        counts = stats.setdefault(variant, {"n": 0, "hit": 0, "same": 0, "same_true": 0})
        counts["n"] += 1
        counts["hit"] += partner_id in partners
        counts["same"] += len(same)
        counts["same_true"] += same.count(partner_id)
    result = []
    for variant, counts in sorted(stats.items()):
        precision = counts["same_true"] / counts["same"] if counts["same"] else None
        result.append(
            Row(
                f"find_matches recall@10, {variant}",
                counts["hit"] / counts["n"],
                None,
                "ratio",
                0.95,
                note=f"{counts['n']} registrations; precision of 'same': "
                + (f"{precision:.3f}" if precision is not None else "-")
                + f"; batch {elapsed:.1f} ms a registration",
                higher_is_better=True,
            )
        )
    return result


def collect(env):
    vacuum_if_needed(env)
    engine = env["crm.match.engine"]
    Partner = env["res.partner"]
    inputs = _inputs(env, INPUTS)
    if not inputs:
        return [Row("find_matches", None, None, "ms", 30, note="no generated partner")]
    env.cr.execute("SELECT count(*) FROM res_partner")
    partners = env.cr.fetchone()[0]

    def ours(values):
        engine.find_matches(values, limit=10)

    def stock(values):
        Partner.search([("name", "ilike", values["name"])], limit=10)

    # warm both
    ours(inputs[0])
    stock(inputs[0])
    ours_ms = _timings(ours, inputs, REPEAT)
    baseline_inputs = inputs[:: max(1, len(inputs) // BASELINE_INPUTS)][:BASELINE_INPUTS]
    stock_ms = _timings(stock, baseline_inputs, 1)
    found = sum(1 for values in inputs if engine.find_matches(values, limit=1))
    queries = count_queries(env, lambda: ours(inputs[0]))
    ours_p95 = percentile(ours_ms, 0.95)
    stock_p95 = percentile(stock_ms, 0.95)
    note = (
        f"{partners:,} partners; {len(inputs)} inputs x {REPEAT} "
        f"(stock: {len(baseline_inputs)} inputs); {found}/{len(inputs)} inputs matched"
    )
    return [
        Row("find_matches p95", ours_p95, stock_p95, "ms", 30, note=note),
        Row("find_matches p95, ratio to stock", ours_p95, stock_p95, "ms", "x0.01"),
        Row("find_matches p50", percentile(ours_ms, 0.5), percentile(stock_ms, 0.5), "ms", None),
        Row("find_matches queries (cold cache)", queries, None, "queries", 10),
        Row(
            "find_matches unbounded seq scans",
            _seq_scans(env, engine, inputs[:10]),
            None,
            "plans",
            0,
            note="EXPLAIN of the candidate queries: Seq Scan not under a LIMIT",
        ),
        *_truth_quality(env, engine),
    ]
