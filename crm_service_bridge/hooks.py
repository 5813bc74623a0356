"""Install and upgrade: build the installed base from the done stock moves.

Set-based SQL, not a loop over serials: a database with a million serials is
backfilled by three statements (custody periods, units, keys of the others). Only units
without custody are touched, so running it again changes nothing.
"""

import logging
import time

from odoo.tools import SQL

from .tools.serial import SERIAL_KEY_SQL

_logger = logging.getLogger(__name__)


def backfill_installed_base(env):
    cr = env.cr
    start = time.perf_counter()
    # planner statistics of freshly loaded tables (autovacuum may be off)
    cr.execute(SQL("ANALYZE stock_move_line, stock_lot, stock_lot_custody"))
    # one period per delivery of a serial to a customer location; it ends at the
    # next move of the same serial into or out of a customer location
    cr.execute(
        SQL(
            """
            WITH events AS (
                SELECT sml.id, sml.lot_id, sml.date, sml.picking_id,
                       CASE WHEN dest.usage = 'customer' THEN 'delivery' ELSE 'return' END
                           AS event,
                       COALESCE(picking.partner_id, move.partner_id) AS partner_id
                  FROM stock_move_line sml
                  JOIN stock_move move ON move.id = sml.move_id
                  JOIN stock_location src ON src.id = sml.location_id
                  JOIN stock_location dest ON dest.id = sml.location_dest_id
             LEFT JOIN stock_picking picking ON picking.id = sml.picking_id
                 WHERE sml.state = 'done'
                   AND sml.lot_id IS NOT NULL
                   AND (dest.usage = 'customer') != (src.usage = 'customer')
                   AND NOT EXISTS (
                       SELECT 1 FROM stock_lot_custody c WHERE c.lot_id = sml.lot_id
                   )
            ), ordered AS (
                SELECT events.*,
                       lead(events.date) OVER w AS next_date,
                       lead(events.event) OVER w AS next_event
                  FROM events
                WINDOW w AS (PARTITION BY events.lot_id ORDER BY events.date, events.id)
            )
            INSERT INTO stock_lot_custody (
                lot_id, company_id, holder_id, holder_kind, date_from, date_to, source,
                end_source, picking_id, create_uid, write_uid, create_date, write_date
            )
            SELECT ordered.lot_id, lot.company_id, holder.id,
                   CASE WHEN holder.is_distributor THEN 'distributor' ELSE 'customer' END,
                   ordered.date::date, ordered.next_date::date, 'delivery',
                   ordered.next_event, ordered.picking_id, %(uid)s, %(uid)s,
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM ordered
              JOIN stock_lot lot ON lot.id = ordered.lot_id
              JOIN res_partner partner ON partner.id = ordered.partner_id
              JOIN res_partner holder ON holder.id = partner.commercial_partner_id
             WHERE ordered.event = 'delivery'
            """,
            uid=env.uid,
        )
    )
    _logger.info(
        "Installed base: %s custody periods backfilled (%.1f s)",
        cr.rowcount,
        time.perf_counter() - start,
    )
    cr.execute(SQL("ANALYZE stock_lot_custody"))
    cr.execute(
        SQL(
            """
            UPDATE stock_lot lot
               SET serial_key = COALESCE(lot.serial_key, %(serial_key)s),
                   custody_state = CASE
                       WHEN NOT unit.is_open THEN 'returned'
                       WHEN unit.last_kind = 'distributor' THEN 'distributor'
                       ELSE 'customer' END,
                   distributor_id = unit.distributor_id,
                   end_customer_id = unit.end_customer_id,
                   first_delivery_date = unit.first_date,
                   unit_sale_order_id = unit.sale_id,
                   warranty_start = unit.customer_date,
                   warranty_basis = CASE WHEN unit.customer_date IS NOT NULL
                                         THEN 'delivery' END,
                   warranty_end = (unit.customer_date
                       + make_interval(months => COALESCE(tmpl.warranty_months, 0)))::date
              FROM (
                  SELECT c.lot_id,
                         bool_or(c.date_to IS NULL) AS is_open,
                         min(c.date_from) AS first_date,
                         min(c.date_from) FILTER (WHERE c.holder_kind = 'customer')
                             AS customer_date,
                         (array_agg(c.holder_kind ORDER BY c.date_from DESC, c.id DESC))[1]
                             AS last_kind,
                         (array_agg(c.holder_id ORDER BY c.date_from DESC, c.id DESC)
                             FILTER (WHERE c.holder_kind = 'distributor'))[1] AS distributor_id,
                         (array_agg(c.holder_id ORDER BY c.date_from DESC, c.id DESC)
                             FILTER (WHERE c.holder_kind = 'customer'))[1] AS end_customer_id,
                         (array_agg(picking.sale_id ORDER BY c.date_from, c.id)
                             FILTER (WHERE picking.sale_id IS NOT NULL))[1] AS sale_id
                    FROM stock_lot_custody c
               LEFT JOIN stock_picking picking ON picking.id = c.picking_id
                   WHERE c.source = 'delivery'
                GROUP BY c.lot_id
              ) AS unit,
                   product_product product,
                   product_template tmpl
             WHERE lot.id = unit.lot_id
               AND lot.first_delivery_date IS NULL
               AND product.id = lot.product_id
               AND tmpl.id = product.product_tmpl_id
            """,
            serial_key=SQL(SERIAL_KEY_SQL, SQL.identifier("lot", "name")),
        )
    )
    _logger.info(
        "Installed base: %s units backfilled (%.1f s)", cr.rowcount, time.perf_counter() - start
    )
    # the serials never delivered: only their lookup key (the delivered ones got it above,
    # in the same UPDATE, so each row is rewritten once)
    cr.execute(
        SQL(
            "UPDATE stock_lot SET serial_key = %s WHERE serial_key IS NULL",
            SQL(SERIAL_KEY_SQL, SQL.identifier("name")),
        )
    )
    _logger.info("Installed base: serial keys (%.1f s)", time.perf_counter() - start)


def post_init_hook(env):
    backfill_installed_base(env)
