"""Channel analytics (crm_analytics_ext) against stock Odoo's sales analysis, same data.

Each report of the addon, and the dashboard (its read_group calls), is asked
the question a manager asks, and ``sale.report`` the same question (grouped by
the same dimension over the confirmed orders). Ours reads the monthly facts
and the customer summary, stock aggregates the order lines on every read.
Targets (issue 11): p95 <= 200 ms and >= 50x faster than stock; incremental
refresh after 1,000 changed orders <= 10 s; full rebuild <= 120 s.

The generator writes orders with COPY, around the ORM, so the facts are
built here first by the full rebuild, which is measured.
"""

import random
import time
from datetime import date

from .harness import Row, measure


def _questions(env, company_ids):
    """(name, ours, stock, note): one read_group question each."""
    sale = [("state", "=", "sale"), ("company_id", "in", company_ids)]
    ours_domain = [("company_id", "in", company_ids)]
    Customer = env["crm.analytics.customer"]
    CustomerMonth = env["crm.analytics.customer.month"]
    ProductMonth = env["crm.analytics.product.month"]
    Review = env["crm.analytics.year.review"]
    year = date.today().year - 1
    SaleReport = env["sale.report"]

    def read_group(model, domain, groupby, aggregates):
        return lambda: model._read_group(domain, groupby=groupby, aggregates=aggregates)

    return [
        (
            "customer value by segment",
            read_group(Customer, ours_domain, ["segment"], ["revenue:sum", "__count"]),
            read_group(SaleReport, sale, ["commercial_partner_id"], ["price_subtotal:sum"]),
            "stock: revenue per customer (it has no segments)",
        ),
        (
            "customers by lifecycle stage",
            read_group(Customer, ours_domain, ["stage"], ["revenue_at_risk:sum", "__count"]),
            read_group(SaleReport, sale, ["commercial_partner_id"], ["price_subtotal:sum"]),
            "stock: revenue per customer (no stages)",
        ),
        (
            "sales by month and channel",
            read_group(CustomerMonth, ours_domain, ["month:month"], ["revenue:sum", "margin:sum"]),
            read_group(SaleReport, sale, ["date:month"], ["price_subtotal:sum", "margin:sum"]),
            "stock: sale.report by month",
        ),
        (
            "top customers (Customer Value list, first 80)",
            lambda: Customer.web_search_read(
                ours_domain,
                {
                    name: {}
                    for name in (
                        "partner_id",
                        "user_id",
                        "segment",
                        "rfm_score",
                        "stage",
                        "churn_ratio",
                        "last_order_date",
                        "next_order_date",
                        "order_count",
                        "revenue",
                        "margin",
                        "revenue_at_risk",
                        "currency_id",
                    )
                },
                limit=80,
            ),
            lambda: SaleReport.web_read_group(
                sale,
                ["price_subtotal:sum"],
                ["commercial_partner_id"],
                limit=80,
                orderby="price_subtotal desc",
            ),
            "stock: first 80 customers of sale.report by revenue",
        ),
        (
            "margin by product category and month",
            read_group(
                ProductMonth, ours_domain, ["categ_id", "month:month"], ["margin:sum", "cost:sum"]
            ),
            read_group(SaleReport, sale, ["categ_id", "date:month"], ["margin:sum"]),
            "stock: sale.report margin by category and month",
        ),
        (
            "top products by margin",
            read_group(ProductMonth, ours_domain, ["product_id"], ["margin:sum", "revenue:sum"]),
            read_group(SaleReport, sale, ["product_id"], ["margin:sum", "price_subtotal:sum"]),
            "stock: sale.report by product",
        ),
        (
            f"year-end review {year} per salesperson",
            read_group(
                Review,
                ours_domain + [("year", "=", str(year))],
                ["user_id"],
                ["revenue:sum", "margin:sum", "revenue_growth:sum", "won_count:sum"],
            ),
            read_group(
                SaleReport,
                sale + [("date", ">=", f"{year}-01-01"), ("date", "<", f"{year + 1}-01-01")],
                ["user_id"],
                ["price_subtotal:sum", "margin:sum"],
            ),
            "the last full year; stock: sale.report of that year by salesperson (no growth, "
            "no deals)",
        ),
    ]


def _dashboard(env, company_ids):
    """The read_group calls of the dashboard's charts, and stock's nearest equivalents."""
    ours_domain = [("company_id", "in", company_ids)]
    sale = [("state", "=", "sale"), ("company_id", "in", company_ids)]
    at_risk = [("stage", "in", ["at_risk", "dormant"])]
    # (model, extra domain, groupby, aggregates), as channel_analytics_dashboard.json asks
    calls = [
        ("crm.analytics.product.month", [], ["month:month", "channel"], ["revenue:sum"]),
        ("crm.analytics.customer", [], ["segment"], ["revenue:sum"]),
        ("crm.analytics.customer", [], ["stage"], ["__count"]),
        ("crm.analytics.customer", at_risk, ["stage"], ["revenue_at_risk:sum"]),
        ("crm.analytics.product.month", [], ["categ_id"], ["margin:sum"]),
        ("crm.analytics.funnel", [], ["source_id"], ["won_count:sum"]),
        ("crm.analytics.product.month", [], ["month:year"], ["revenue:sum"]),
    ]
    stock_calls = [
        (["date:month"], ["price_subtotal:sum"]),
        (["commercial_partner_id"], ["price_subtotal:sum"]),
        (["commercial_partner_id"], ["__count"]),
        (["commercial_partner_id"], ["price_subtotal:sum"]),
        (["categ_id"], ["margin:sum"]),
        (["source_id"], ["price_subtotal:sum"]),
        (["date:year"], ["price_subtotal:sum"]),
    ]

    def ours():
        for model, domain, groupby, aggregates in calls:
            env[model]._read_group(ours_domain + domain, groupby=groupby, aggregates=aggregates)

    def stock():
        for groupby, aggregates in stock_calls:
            env["sale.report"]._read_group(sale, groupby=groupby, aggregates=aggregates)

    return ours, stock


def _change_orders(env, count, seed=11):
    """Change ``count`` confirmed orders through the ORM (prices and dates).

    Prices rather than quantities: a quantity change on a confirmed order runs
    the stock procurement, which would dominate the setup time.
    """
    rng = random.Random(seed)
    Order = env["sale.order"]
    ids = Order.search([("state", "=", "sale")], order="id").ids
    chosen = Order.browse(sorted(rng.sample(ids, min(count, len(ids)))))
    for index, order in enumerate(chosen):
        if index % 4 == 0:
            order.date_order = order.date_order.replace(day=1)
        else:
            line = order.order_line[:1]
            line.price_unit = line.price_unit + 1
    env.flush_all()
    return len(chosen)


def collect(env):
    company_ids = env["res.company"].search([]).ids
    Dirty = env["crm.analytics.dirty"]
    lines = env["sale.order.line"].search_count([("state", "=", "sale")])
    orders = env["sale.order"].search_count([("state", "=", "sale")])
    scale = f"{orders:,} confirmed orders, {lines:,} lines"
    # sale.report aggregates millions of lines per question: fewer runs of it
    stock_runs = {"repeat": 5, "warmup": 1} if lines < 1_000_000 else {"repeat": 2, "warmup": 0}

    rebuild = Dirty._rebuild_all()
    env.cr.execute("ANALYZE crm_analytics_customer_month, crm_analytics_product_month")
    env.cr.execute("ANALYZE crm_analytics_customer")
    rows = [
        Row(
            name="analytics: full rebuild",
            ours=rebuild,
            baseline=None,
            unit="s",
            target=120,
            note=f"{scale}; facts, customer summary, scores and stages",
        )
    ]

    for name, ours_fn, stock_fn, note in _questions(env, company_ids):
        ours = measure(ours_fn, repeat=20, warmup=2, setup=env.invalidate_all)
        stock = measure(stock_fn, setup=env.invalidate_all, **stock_runs)
        rows.append(
            Row(
                name=f"analytics: {name} (p95)",
                ours=ours.p95,
                baseline=stock.p95,
                unit="ms",
                target=200,
                note=f"{note}; {stock.p95 / max(ours.p95, 0.001):,.0f}x faster (target 50x)",
            )
        )

    ours_fn, stock_fn = _dashboard(env, company_ids)
    ours = measure(ours_fn, repeat=20, warmup=2, setup=env.invalidate_all)
    stock = measure(stock_fn, setup=env.invalidate_all, **stock_runs)
    rows.append(
        Row(
            name="analytics: dashboard, 7 charts (p95)",
            ours=ours.p95,
            baseline=stock.p95,
            unit="ms",
            target="x0.02",
            note=f"all read_group calls of the dashboard; ours p95 {ours.p95:,.0f} ms "
            f"(target 200 ms), stock the same questions of sale.report",
        )
    )

    changed = _change_orders(env, 1000)
    queued = env["crm.analytics.dirty"].search_count([])
    start = time.perf_counter()
    months = Dirty._process_queue()
    rows.append(
        Row(
            name="analytics: incremental refresh after 1,000 changed orders",
            ours=time.perf_counter() - start,
            baseline=rebuild,
            unit="s",
            target=10,
            note=f"{changed} orders changed by the ORM, {queued} queue rows, "
            f"{months} company-months recomputed; baseline: the full rebuild",
        )
    )
    return rows
