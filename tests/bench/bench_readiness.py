"""Readiness panel of an opportunity against the stock sale-order credit warning.

Fixture (made here, rolled back by the runner): a customer with 10,000 confirmed
orders written with SQL inserts, another with 10, an opportunity with 50 product
lines for each. Figures:

- p95 of opening the readiness panel (credit, stock per line and warehouse,
  shipping, purchase history) with a cold ORM cache, for the 10,000-order customer;
- the stock baseline: ``sale.order._compute_partner_credit_warning`` on a new
  order for the same customer (company credit limit enabled), same run, same data;
- the query count of the panel at 10 and at 10,000 orders (must be equal).
"""

from odoo import Command, fields
from odoo.tools import SQL

from odoo.addons.crm_quotation.models.crm_lead import READINESS_PANEL_FIELDS

from tests.bench.harness import Row, count_queries, measure

ORDERS_BIG = 10_000
ORDERS_SMALL = 10
LINES = 50
LINE_FIELDS = ["qty_on_hand", "qty_reserved", "qty_free", "qty_forecast", "stock_warning"]


def _insert_orders(env, partner, product, count):
    """``count`` confirmed, not invoiced orders of one line each, in two INSERTs."""
    company = env.company
    env.cr.execute(
        SQL(
            """
            INSERT INTO sale_order (
                name, partner_id, partner_invoice_id, partner_shipping_id, company_id,
                currency_id, state, date_order, amount_untaxed, amount_tax, amount_total,
                invoice_status, picking_policy, create_uid, write_uid, create_date, write_date
            )
            SELECT 'BENCH/' || %(partner)s || '/' || n, %(partner)s, %(partner)s, %(partner)s,
                   %(company)s, %(currency)s, 'sale',
                   NOW() - make_interval(days => mod(n, 700)), 100, 13, 113,
                   'to invoice', 'direct', %(uid)s, %(uid)s, NOW(), NOW()
              FROM generate_series(1, %(count)s) AS n
            """,
            partner=partner.id,
            company=company.id,
            currency=company.currency_id.id,
            uid=env.uid,
            count=count,
        )
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO sale_order_line (
                order_id, sequence, name, product_id, product_uom, product_uom_qty,
                price_unit, discount, price_subtotal, price_tax, price_total,
                price_reduce_taxexcl, price_reduce_taxinc, qty_delivered, qty_invoiced,
                qty_to_invoice, untaxed_amount_invoiced, untaxed_amount_to_invoice,
                customer_lead, state, company_id, currency_id, order_partner_id,
                invoice_status, is_downpayment, create_uid, write_uid, create_date, write_date
            )
            SELECT o.id, 10, %(name)s, %(product)s, %(uom)s, 1,
                   100, 0, 100, 13, 113,
                   100, 113, 1, 0,
                   1, 0, 100,
                   0, 'sale', o.company_id, o.currency_id, o.partner_id,
                   'to invoice', FALSE, %(uid)s, %(uid)s, NOW(), NOW()
              FROM sale_order o
             WHERE o.partner_id = %(partner)s AND o.name LIKE %(pattern)s
            """,
            name=product.name,
            product=product.id,
            uom=product.uom_id.id,
            partner=partner.id,
            uid=env.uid,
            pattern="BENCH/%",
        )
    )
    env.invalidate_all()


def _fixture(env):
    company = env.company
    company.account_use_credit_limit = True  # the stock warning only runs with it
    products = env["product.product"].create(
        [
            {
                "name": f"压测产品 Bench Product {index:02d}",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0 + index,
            }
            for index in range(10)
        ]
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    for product in products:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 25.0)
    partners = env["res.partner"].create(
        [
            {"name": "压测大客户 (Bench Big Customer)", "is_company": True, "credit_limit": 5e6},
            {"name": "压测小客户 (Bench Small Customer)", "is_company": True, "credit_limit": 5e6},
        ]
    )
    big, small = partners
    _insert_orders(env, big, products[0], ORDERS_BIG)
    _insert_orders(env, small, products[0], ORDERS_SMALL)
    leads = env["crm.lead"].create(
        [
            {
                "name": f"压测商机 Bench Opportunity {partner.name}",
                "type": "opportunity",
                "partner_id": partner.id,
                "date_deadline": fields.Date.add(fields.Date.today(), days=30),
                "line_ids": [
                    Command.create(
                        {"product_id": products[index % len(products)].id, "product_uom_qty": 3}
                    )
                    for index in range(LINES)
                ],
            }
            for partner in partners
        ]
    )
    env.flush_all()
    return big, leads[0], leads[1]


def collect(env):
    big, lead_big, lead_small = _fixture(env)

    def open_panel(lead):
        lead.read(READINESS_PANEL_FIELDS)
        lead.line_ids.read(LINE_FIELDS)

    def stock_credit_warning():
        order = env["sale.order"].new({"partner_id": big.id, "company_id": env.company.id})
        order._compute_partner_credit_warning()

    open_panel(lead_small)  # compile the panel templates once, as any running server has
    queries_small = count_queries(env, lambda: open_panel(lead_small))
    queries_big = count_queries(env, lambda: open_panel(lead_big))
    queries_stock = count_queries(env, stock_credit_warning)
    ours = measure(lambda: open_panel(lead_big), repeat=30, warmup=3, setup=env.invalidate_all)
    stock = measure(stock_credit_warning, repeat=7, warmup=1, setup=env.invalidate_all)
    return [
        Row(
            name="readiness panel, 10k orders, 50 lines (p95)",
            ours=ours.p95,
            baseline=stock.p95,
            unit="ms",
            target=150,
            note=f"p50 {ours.p50:.0f} ms (stock p50 {stock.p50:.0f} ms); baseline: stock "
            "sale.order credit warning alone, same customer",
        ),
        Row(
            name="readiness panel vs stock credit warning (p95 ratio)",
            ours=ours.p95,
            baseline=stock.p95,
            unit="ms",
            target="x1.0",
            note="the whole panel must be faster than the stock warning alone",
        ),
        Row(
            name="readiness panel queries, 10k vs 10 orders",
            ours=queries_big,
            baseline=queries_small,
            unit="queries",
            target="x1.0",
            note=f"must be equal; stock credit warning: {queries_stock} queries",
        ),
    ]
