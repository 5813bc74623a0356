"""Customer value (RFM) report against stock Odoo's sales analysis, same data.

Stock Odoo answers "what is each customer worth" with the Sales Analysis
(``sale.report``) grouped by customer: revenue per commercial partner over the
confirmed orders. Our ``crm.customer.value.report`` computes that plus order
count, recency, margin, three NTILE scores and the segment, in one query. The
target: no more than twice the stock query's time, so the richer screen stays
as quick to open.
"""

from .harness import Row, count_queries, measure


def collect(env):
    Report = env["crm.customer.value.report"]
    SaleReport = env["sale.report"]
    company_ids = env["res.company"].search([]).ids

    def ours_by_segment():
        Report._read_group(
            [("company_id", "in", company_ids)],
            groupby=["segment"],
            aggregates=["monetary:sum", "margin:sum", "__count"],
        )

    def stock_by_customer():
        SaleReport._read_group(
            [("state", "=", "sale"), ("company_id", "in", company_ids)],
            groupby=["commercial_partner_id"],
            aggregates=["price_subtotal:sum", "margin:sum"],
        )

    def ours_list():
        Report.search_fetch(
            [("company_id", "in", company_ids)],
            ["partner_id", "segment", "rfm_score", "monetary", "frequency", "recency_days"],
            limit=80,
        )

    def stock_list():
        SaleReport.web_read_group(
            [("state", "=", "sale"), ("company_id", "in", company_ids)],
            ["price_subtotal:sum"],
            ["commercial_partner_id"],
            limit=80,
            orderby="price_subtotal desc",
        )

    customers = Report.search_count([("company_id", "in", company_ids)])
    rows = []
    for name, ours_fn, stock_fn, stock_note in (
        (
            "customer value: totals by segment",
            ours_by_segment,
            stock_by_customer,
            "sale.report revenue and margin grouped by commercial partner",
        ),
        (
            "customer value: first page of the list",
            ours_list,
            stock_list,
            "first 80 groups of sale.report by commercial partner, by revenue",
        ),
    ):
        ours = measure(ours_fn, repeat=5, warmup=1, setup=env.invalidate_all)
        stock = measure(stock_fn, repeat=5, warmup=1, setup=env.invalidate_all)
        rows.append(
            Row(
                name=name,
                ours=ours.p50,
                baseline=stock.p50,
                unit="ms",
                target="x2",
                note=f"{customers:,} customers; stock: {stock_note}; "
                f"p95 ours {ours.p95:,.0f} ms, stock {stock.p95:,.0f} ms",
            )
        )
    rows.append(
        Row(
            name="customer value: queries for the list page",
            ours=count_queries(env, ours_list),
            baseline=count_queries(env, stock_list),
            unit="queries",
            target=3,
        )
    )
    return rows
