"""Distributor portal: the end-customer list of a distributor with 20,000 end customers.

Fixture (made here, rolled back by the runner): one distributor, its portal
user, 20,000 end-customer partners and 20,000 approved registrations, written
with two SQL inserts. Figures, measured as that portal user (record rules on)
with a cold ORM cache:

- p95 of the data of one page of ``/my/end-customers`` (count, page of
  partners, their registrations and sell-outs), the controller's own method;
- the baseline: the same page built the way the portal did before (every
  approved registration and its partner loaded, paged in Python). Stock Odoo
  has no end-customer page; ``/my/orders`` pages ``sale.order`` the same way
  ours does now (search_count + search with limit/offset);
- its query count (constant: checked at the first and at the last page).
"""

from odoo import Command
from odoo.http import _request_stack
from odoo.tools import SQL

from odoo.addons.crm_distributor.controllers.portal import DistributorPortal

from tests.bench.harness import Row, count_queries, measure

END_CUSTOMERS = 20_000


class _BenchRequest:
    """The little of ``odoo.http.request`` the portal's data methods read."""

    def __init__(self, env):
        self.env = env
        self.session = {}


def _make_fixture(env):
    company = env.company
    distributor = env["res.partner"].create(
        {"name": "Bench Portal Distributor", "is_company": True, "is_distributor": True}
    )
    contact = env["res.partner"].create(
        {"name": "Bench Portal User", "parent_id": distributor.id, "email": "bench@example.com"}
    )
    user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Bench Portal User",
                "login": "bench_portal_user",
                "partner_id": contact.id,
                "groups_id": [Command.set([env.ref("base.group_portal").id])],
            }
        )
    )
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (
                name, complete_name, active, is_company, type, autopost_bills,
                is_end_customer, end_customer_distributor_id, end_customer_since,
                end_customer_protected_until, create_uid, write_uid, create_date, write_date
            )
            SELECT '门户基准客户' || n || '有限公司', '门户基准客户' || n || '有限公司', TRUE,
                   TRUE, 'contact', 'ask', TRUE, %(distributor)s, CURRENT_DATE,
                   CURRENT_DATE + 90, %(uid)s, %(uid)s, NOW(), NOW()
              FROM generate_series(1, %(count)s) AS n
            RETURNING id
            """,
            distributor=distributor.id,
            uid=env.uid,
            count=END_CUSTOMERS,
        )
    )
    partner_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        SQL(
            """
            INSERT INTO crm_deal_registration (
                name, company_id, distributor_id, state, partner_name, partner_id,
                approve_date, protection_end_date, create_uid, write_uid, create_date, write_date
            )
            SELECT 'BENCH-PORTAL/' || p.id, %(company)s, %(distributor)s, 'converted', p.name,
                   p.id, CURRENT_DATE, CURRENT_DATE + 90, %(uid)s, %(uid)s, NOW(), NOW()
              FROM res_partner p
             WHERE p.id = ANY(%(ids)s)
            """,
            company=company.id,
            distributor=distributor.id,
            uid=env.uid,
            ids=partner_ids,
        )
    )
    env.cr.execute("ANALYZE res_partner")
    env.cr.execute("ANALYZE crm_deal_registration")
    env.invalidate_all()
    return user


def collect(env):
    user = _make_fixture(env)
    portal_env = env(user=user.id, su=False, context={"lang": "en_US", "tz": "UTC"})
    controller = DistributorPortal()
    request = _BenchRequest(portal_env)
    last_page = -(-END_CUSTOMERS // controller._items_per_page)

    def ours(page=1):
        values = controller._prepare_end_customers_page_values(page=page)
        # what the template reads of each card
        for customer in values["customers"]:
            customer.mapped("city")
            values["registrations_by_customer"][customer].mapped("name")
            values["sell_outs_by_customer"][customer].mapped("quantity")

    def before():
        # The previous implementation: every end customer loaded, paged in Python.
        registrations = portal_env["crm.deal.registration"].search(
            controller._get_end_customer_registrations_domain()
        )
        customers = registrations.sudo().partner_id
        page = customers[: controller._items_per_page]
        page.mapped("city")

    _request_stack.push(request)
    try:
        total = controller._get_portal_end_customer_count()
        ours_timing = measure(ours, repeat=20, warmup=2, setup=portal_env.invalidate_all)
        before_timing = measure(before, repeat=5, warmup=1, setup=portal_env.invalidate_all)
        queries_first = count_queries(portal_env, ours)
        queries_last = count_queries(portal_env, lambda: ours(page=last_page))
    finally:
        _request_stack.pop()
    return [
        Row(
            name="portal: /my/end-customers page, 20,000 end customers (p95)",
            ours=ours_timing.p95,
            baseline=before_timing.p95,
            unit="ms",
            target=100,
            note=f"{total:,} end customers of one distributor, as its portal user; baseline: "
            f"the previous load-all-then-page-in-Python code (stock Odoo has no such page); "
            f"p50 ours {ours_timing.p50:,.1f} ms, before {before_timing.p50:,.0f} ms",
        ),
        Row(
            name="portal: /my/end-customers queries, first vs last page",
            ours=queries_last,
            baseline=queries_first,
            unit="queries",
            target="x1",
            note="the last page must cost what the first costs",
        ),
    ]
