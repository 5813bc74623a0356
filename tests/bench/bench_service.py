"""Service bridge: unit lookup, sell-out serial check, customer timeline, backfill.

Fixture (made here with SQL inserts, rolled back by the runner), sized by
``BENCH_SCALE`` (small: 30,000 serials; full: 1,000,000 serials, 5,000,000 done
move lines, 200,000 sell-out serials):

- serials of one product, each received, moved internally three times and
  delivered (5 done move lines), half to a distributor, half to end
  customers; 2 in 10 already reported sold on by the distributor (sell-out
  serials); the custody is built by the install backfill
  (``crm_service_bridge.hooks.backfill_installed_base``), timed;
- a customer with 10,000 timeline events (visits) and one with 10.

Figures:
- unit lookup by serial as the desk types it (full, suffix, spaces, lower case),
  p95, against stock ``stock.lot.name_search`` of the same text;
- checking a sell-out of 10,000 serials (time and peak memory of the process);
- timeline first page (80 rows) p95 at 10,000 events, against reading the same
  events through the stock models one by one; query count at 10 and 10,000.
"""

import gc
import logging
import os
import random
import resource
import time
from pathlib import Path

from odoo import fields
from odoo.tools import SQL

from odoo.addons.crm_service_bridge.hooks import backfill_installed_base

from tests.bench.harness import Row, count_queries, measure

SCALES = {"tiny": 2_000, "small": 30_000, "full": 1_000_000}
SELL_OUT_SERIALS = 10_000
# the history of each serial before its delivery (a receipt and internal
# moves): 5 done move lines a serial, 5,000,000 at full scale
EARLIER_MOVE_LINES = 4
# serials sold on by the distributor earlier (crm.sell.out.serial rows):
# 2 in 10, 200,000 at full scale
SOLD_OUT_DIGITS = (1, 3)
TIMELINE_EVENTS = 10_000
TIMELINE_SPEC = {"date": {}, "kind": {}, "name": {}, "user_id": {"fields": {"display_name": {}}}}


def _reset_peak_rss():
    """Reset the process's peak resident size (Linux: VmHWM, through
    /proc/self/clear_refs) so that the next peak is the check's own; the
    resident size now, in KB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return _proc_status_kb("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak_rss():
    """Peak resident size in KB since the last reset (ru_maxrss where /proc is missing)."""
    return _proc_status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _proc_status_kb(key):
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _fixture(env, serials):
    Partner = env["res.partner"]
    distributor = Partner.create(
        {"name": "BENCH 分销商", "is_company": True, "is_distributor": True}
    )
    customer = Partner.create({"name": "BENCH 终端客户", "is_company": True})
    small = Partner.create({"name": "BENCH 小客户", "is_company": True})
    page = Partner.create({"name": "BENCH 一页客户", "is_company": True})
    product = env["product.product"].create(
        {"name": "BENCH 机器人", "type": "consu", "is_storable": True, "tracking": "serial"}
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    customers_location = env.ref("stock.stock_location_customers")
    env.flush_all()
    params = {
        "product": product.id,
        "uom": product.uom_id.id,
        "company": env.company.id,
        "src": warehouse.lot_stock_id.id,
        "dest": customers_location.id,
        "count": serials,
        "uid": env.uid,
    }
    env.cr.execute(
        SQL(
            """INSERT INTO stock_lot (name, product_id, company_id, custody_state,
                                      create_uid, write_uid, create_date, write_date)
               SELECT 'BSN-' || lpad(n::text, 8, '0'), %(product)s, %(company)s, 'stock',
                      %(uid)s, %(uid)s, now(), now()
                 FROM generate_series(1, %(count)s) n""",
            **params,
        )
    )
    direct = Partner.create({"name": "BENCH 直销客户", "is_company": True})
    moves = {}
    for key, partner in (("distributor", distributor), ("direct", direct)):
        env.cr.execute(
            SQL(
                """INSERT INTO stock_move (name, company_id, date, location_id, location_dest_id,
                                           procure_method, product_id, product_uom,
                                           product_uom_qty, state, partner_id)
                   VALUES ('BENCH', %(company)s, now(), %(src)s, %(dest)s, 'make_to_stock',
                           %(product)s, %(uom)s, 1, 'done', %(partner)s) RETURNING id""",
                partner=partner.id,
                **params,
            )
        )
        moves[key] = env.cr.fetchone()[0]
    # odd serials went to the distributor, even ones to a customer directly
    env.cr.execute(
        SQL(
            """INSERT INTO stock_move_line (move_id, company_id, date, location_id,
                                            location_dest_id, product_id, product_uom_id,
                                            lot_id, quantity, state)
               SELECT CASE WHEN mod(right(lot.name, 1)::int, 2) = 1 THEN %(to_distributor)s
                           ELSE %(to_direct)s END,
                      %(company)s, now() - interval '30 days', %(src)s, %(dest)s,
                      %(product)s, %(uom)s, lot.id, 1, 'done'
                 FROM stock_lot lot WHERE lot.product_id = %(product)s""",
            to_distributor=moves["distributor"],
            to_direct=moves["direct"],
            **params,
        )
    )
    # what happened to each serial before: a receipt and internal moves
    suppliers_location = env.ref("stock.stock_location_suppliers")
    env.cr.execute(
        SQL(
            """INSERT INTO stock_move (name, company_id, date, location_id, location_dest_id,
                                       procure_method, product_id, product_uom,
                                       product_uom_qty, state)
               VALUES ('BENCH receipt', %(company)s, now(), %(supplier)s, %(src)s,
                       'make_to_stock', %(product)s, %(uom)s, 1, 'done'),
                      ('BENCH internal', %(company)s, now(), %(src)s, %(src)s,
                       'make_to_stock', %(product)s, %(uom)s, 1, 'done')
               RETURNING id""",
            supplier=suppliers_location.id,
            **params,
        )
    )
    receipt_move, internal_move = (row[0] for row in env.cr.fetchall())
    env.cr.execute(
        SQL(
            """INSERT INTO stock_move_line (move_id, company_id, date, location_id,
                                            location_dest_id, product_id, product_uom_id,
                                            lot_id, quantity, state)
               SELECT CASE WHEN step = 1 THEN %(receipt)s ELSE %(internal)s END,
                      %(company)s, now() - interval '90 days' + step * interval '1 day',
                      CASE WHEN step = 1 THEN %(supplier)s ELSE %(src)s END, %(src)s,
                      %(product)s, %(uom)s, lot.id, 1, 'done'
                 FROM stock_lot lot CROSS JOIN generate_series(1, %(steps)s) step
                WHERE lot.product_id = %(product)s""",
            receipt=receipt_move,
            internal=internal_move,
            supplier=suppliers_location.id,
            steps=EARLIER_MOVE_LINES,
            **params,
        )
    )
    # serials the distributor reported sold on before (200 reports)
    sell_outs = env["crm.sell.out"].create(
        [
            {
                "distributor_id": distributor.id,
                "partner_id": customer.id,
                "product_id": product.id,
                "quantity": 1,
                "date": fields.Date.today(),
            }
            for _index in range(200)
        ]
    )
    env.flush_all()
    env.cr.execute(
        SQL(
            """INSERT INTO crm_sell_out_serial (sell_out_id, sequence, name, serial_key,
                                                company_id, distributor_id, lot_id,
                                                outcome, is_exception, reviewed)
               SELECT (%(sell_outs)s)[1 + mod(lot.id, 200)], 10, lot.name,
                      replace(lot.name, '-', ''), %(company)s, %(distributor)s,
                      lot.id, 'matched', false, false
                 FROM stock_lot lot
                WHERE lot.product_id = %(product)s
                  AND right(lot.name, 1)::int IN %(digits)s""",
            sell_outs=sell_outs.ids,
            distributor=distributor.id,
            digits=SOLD_OUT_DIGITS,
            **params,
        )
    )
    for partner, count in ((customer, TIMELINE_EVENTS), (small, 10), (page, 100)):
        env.cr.execute(
            SQL(
                """INSERT INTO crm_visit (name, partner_id, commercial_partner_id, user_id,
                                          date, visit_type, company_id)
                   SELECT 'BENCH ' || n, %(partner)s, %(partner)s, %(uid)s,
                          now() - n * interval '1 hour', 'visit', %(company)s
                     FROM generate_series(1, %(count)s) n""",
                partner=partner.id,
                uid=env.uid,
                company=env.company.id,
                count=count,
            )
        )
    env.invalidate_all()
    return distributor, customer, small, page, product


def _typed_variants(rng, serials):
    """What the desk types for a random serial: full, suffix, spaces, lower case."""
    number = rng.randint(1, serials)
    name = f"BSN-{number:08d}"
    return [name, name[-6:], " ".join(name.split("-")), name.lower()]


def collect(env):
    serials = SCALES.get(os.environ.get("BENCH_SCALE", "small"), SCALES["small"])
    distributor, customer, small, page, product = _fixture(env, serials)
    rng = random.Random(10)

    logging.getLogger("odoo.addons.crm_service_bridge.hooks").setLevel(logging.INFO)
    start = time.perf_counter()
    backfill_installed_base(env)
    backfill_s = time.perf_counter() - start
    env.invalidate_all()
    env.cr.execute("ANALYZE stock_lot")
    env.cr.execute("ANALYZE stock_lot_custody")

    Lot = env["stock.lot"]
    queue = [text for _i in range(40) for text in _typed_variants(rng, serials)]
    ours_queue, stock_queue = list(queue), list(queue)
    ours = measure(lambda: Lot._search_units_by_serial(ours_queue.pop()), repeat=120, warmup=4)
    found = sum(bool(Lot._search_units_by_serial(text)) for text in queue[:40])
    stock = measure(lambda: Lot.name_search(stock_queue.pop(), limit=8), repeat=40, warmup=2)

    # a sell-out naming 10,000 serials held by the distributor (plus 5% unknown)
    numbers = rng.sample(range(1, serials + 1, 2), min(SELL_OUT_SERIALS, serials // 2))
    names = [f"BSN-{n:08d}" for n in numbers]
    names[: len(names) // 20] = [f"NOPE-{n}" for n in range(len(names) // 20)]
    env.invalidate_all()
    gc.collect()
    rss_before = _reset_peak_rss()
    start = time.perf_counter()
    sell_out = env["crm.sell.out"].create(
        {
            "distributor_id": distributor.id,
            "partner_id": customer.id,
            "product_id": product.id,
            "quantity": len(names),
            "serial_numbers": "\n".join(names),
            "date": fields.Date.today(),
        }
    )
    env.flush_all()
    check_s = time.perf_counter() - start
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        taken = set(numbers)
        rest = [n for n in range(1, serials + 1, 2) if n not in taken][:SELL_OUT_SERIALS]
        profile = cProfile.Profile()
        profile.enable()
        env["crm.sell.out"].create(
            {
                "distributor_id": distributor.id,
                "partner_id": customer.id,
                "product_id": product.id,
                "quantity": len(rest),
                "serial_numbers": "\n".join(f"BSN-{n:08d}" for n in rest),
                "date": fields.Date.today(),
            }
        )
        env.flush_all()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    rss_peak = _peak_rss()
    matched = sell_out.serial_matched_count

    Timeline = env["crm.customer.timeline"]

    def first_page(partner):
        return Timeline.web_search_read([("partner_id", "=", partner.id)], TIMELINE_SPEC, limit=80)

    def stock_models_one_by_one(partner):
        """The same events read model by model, then sorted: what one does without the view."""
        events = []
        for model, date_field, domain in (
            ("crm.lead", "create_date", [("partner_id", "child_of", partner.id)]),
            ("sale.order", "date_order", [("partner_id", "child_of", partner.id)]),
            (
                "stock.picking",
                "date_done",
                [("partner_id", "child_of", partner.id), ("state", "=", "done")],
            ),
            ("crm.sell.out", "date", [("partner_id", "child_of", partner.id)]),
            ("repair.order", "create_date", [("partner_id", "child_of", partner.id)]),
            ("crm.visit", "date", [("commercial_partner_id", "=", partner.id)]),
            ("calendar.event", "start", [("partner_ids", "child_of", partner.id)]),
        ):
            for record in env[model].search(domain):
                events.append((record[date_field], record.display_name, model))
        events.sort(key=lambda event: str(event[0]), reverse=True)
        return events[:80]

    queries_small = count_queries(env, lambda: first_page(small))
    queries_page = count_queries(env, lambda: first_page(page))
    queries_big = count_queries(env, lambda: first_page(customer))
    timeline = measure(lambda: first_page(customer), repeat=30, warmup=3, setup=env.invalidate_all)
    baseline = measure(
        lambda: stock_models_one_by_one(customer), repeat=5, warmup=1, setup=env.invalidate_all
    )
    return [
        Row(
            name=f"unit lookup by serial as typed, {serials:,} serials (p95)",
            ours=ours.p95,
            baseline=stock.p95,
            unit="ms",
            target=20,
            note=f"p50 {ours.p50:.1f} ms; full/suffix/spaces/lower case; found {found}/40; "
            "stock name_search finds only exact-case substrings",
        ),
        Row(
            name=f"sell-out check, {len(names):,} serials",
            ours=check_s * 1000,
            baseline=None,
            unit="ms",
            target=20_000,
            note=f"{matched} matched, {len(names) - matched} exceptions",
        ),
        Row(
            name=f"sell-out check, {len(names):,} serials (peak memory)",
            ours=rss_peak / 1024,
            baseline=None,
            unit="MB",
            target=500,
            note=f"peak RSS of the process during the check (VmHWM reset before it), "
            f"{rss_before / 1024:.0f} MB resident when it started",
        ),
        Row(
            name=f"timeline first page, {TIMELINE_EVENTS:,} events (p95)",
            ours=timeline.p95,
            baseline=baseline.p95,
            unit="ms",
            target=100,
            note=f"p50 {timeline.p50:.0f} ms; baseline: the stock models read one by one",
        ),
        Row(
            name="timeline first page queries, 10k vs 100 events",
            ours=queries_big,
            baseline=queries_page,
            unit="queries",
            target="x1.0",
            note=f"must be equal; at 10 events {queries_small} (a page that is not full "
            "needs no count for the pager)",
        ),
        Row(
            name=f"installed-base backfill, {serials:,} serials",
            ours=backfill_s * 1000,
            baseline=None,
            unit="ms",
            target=None,
            note="one INSERT … SELECT (custody) and one UPDATE (units)",
        ),
    ]
