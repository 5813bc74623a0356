import logging
import time

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

LAST_REBUILD_PARAM = "crm_analytics_ext.last_full_rebuild"
LAST_RESTAGE_PARAM = "crm_analytics_ext.last_restage_date"
LAST_REVIEW_PARAM = "crm_analytics_ext.last_review_refresh"


class _PhaseTimer:
    """Seconds of each phase of a refresh, for the log."""

    def __init__(self):
        self.start = time.perf_counter()
        self.phases = []

    def lap(self, name):
        now = time.perf_counter()
        self.phases.append((name, now - self.start))
        self.start = now

    def __str__(self):
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases)


class CrmAnalyticsDirty(models.Model):
    """Queue of the customers' months whose facts must be recomputed.

    Written by the hooks of the orders and of what places an order in the
    facts (its lines, customer, opportunity, product, unit) with one plain
    ``INSERT`` (no unique key, so concurrent order writes never wait on each
    other); the refresh job takes the queue with ``DELETE ... RETURNING`` and
    recomputes only what it names. Integers rather than many2ones: no
    foreign-key lock on the order's company or customer while an order is
    saved. The same hooks queue the product figures by difference
    (``crm.analytics.product.delta``).
    """

    _name = "crm.analytics.dirty"
    _description = "Channel Analytics: Months to Recompute"
    _log_access = False
    _order = "id"

    company_id = fields.Integer(required=True)
    month = fields.Date(required=True)
    partner_id = fields.Integer(
        string="Commercial Partner",
        required=True,
    )

    # ------------------------------------------------------------
    # MARKING (called from the hooks, before and after each write)
    # ------------------------------------------------------------

    @api.model
    def _mark(self, condition, sign):
        """Queue the confirmed order lines matching ``condition`` as they are stored now:
        their customers' months, to recompute, and ``sign`` (-1 before a write, 1 after)
        times their product figures, to add.

        ``condition``: an ``SQL`` condition over the facts' tables (``line``, ``so``,
        ``partner``, ``commercial``, ``lead``, ``product``, ``template``).
        """
        # a customer created in the same transaction as its order is read from the table
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        Product = self.env["crm.analytics.product.month"]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_analytics_dirty (company_id, month, partner_id)
                SELECT DISTINCT so.company_id, date_trunc('month', so.date_order)::date,
                       commercial.id
                %s %s AND %s
                """,
                Product._get_fact_from(),
                Product._get_fact_where(),
                condition,
            )
        )
        Product._queue_deltas(condition, sign)

    @api.model
    def _mark_orders(self, order_ids, sign):
        if order_ids:
            self._mark(SQL("so.id = ANY(%s)", list(order_ids)), sign)

    @api.model
    def _mark_lines(self, line_ids, sign):
        if line_ids:
            self._mark(SQL("line.id = ANY(%s)", list(line_ids)), sign)

    # ------------------------------------------------------------
    # REFRESH
    # ------------------------------------------------------------

    @api.model
    def _process_queue(self):
        """Recompute the facts of the queued months and the summary of the queued customers.

        Returns the number of (company, month) pairs touched.
        """
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT MAX(id) FROM crm_analytics_dirty"))
        max_id = self.env.cr.fetchone()[0]
        if max_id is None:
            # no customer month moved; product figures may still be queued
            self.env["crm.analytics.product.month"]._apply_deltas()
            return 0
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_analytics_dirty WHERE id <= %s "
                "RETURNING company_id, month, partner_id",
                max_id,
            )
        )
        taken = self.env.cr.fetchall()
        months = sorted({(row[0], row[1]) for row in taken})
        customers = sorted({(row[0], row[2]) for row in taken})
        timer = _PhaseTimer()
        self.env["crm.analytics.customer.month"]._recompute_facts(sorted(set(taken)))
        timer.lap("customer facts")
        self.env["crm.analytics.product.month"]._apply_deltas()
        timer.lap("product facts")
        Customer = self.env["crm.analytics.customer"]
        Customer._recompute_customers(customers)
        timer.lap("customers")
        Customer._restage(sorted({company for company, _month in months}))
        timer.lap("stages")
        self.env["crm.analytics.year.review"]._refresh_review(customers)
        timer.lap("review")
        self.env.invalidate_all()
        _logger.info("Channel analytics: %s customer months refreshed (%s)", len(taken), timer)
        return len(months)

    @api.model
    def _rebuild_all(self):
        """Recompute every fact and summary from the orders; returns the seconds it took."""
        start = time.perf_counter()
        self.env.flush_all()
        self.env.cr.execute(SQL("DELETE FROM crm_analytics_dirty"))
        self.env.cr.execute(SQL("DELETE FROM crm_analytics_product_delta"))
        timer = _PhaseTimer()
        self.env["crm.analytics.customer.month"]._recompute_facts(None)
        timer.lap("customer facts")
        self.env["crm.analytics.product.month"]._recompute_facts(None)
        timer.lap("product facts")
        Customer = self.env["crm.analytics.customer"]
        Customer._recompute_customers(None)
        timer.lap("customers")
        Customer._restage(None)
        timer.lap("stages")
        self.env["crm.analytics.year.review"]._refresh_review(None)
        timer.lap("review")
        self.env["crm.analytics.funnel"]._refresh_funnel(None)
        timer.lap("funnel")
        self.env.invalidate_all()
        seconds = time.perf_counter() - start
        # sudo: the time of the last rebuild is a technical parameter, readable by
        # the job whoever triggers it
        self.env["ir.config_parameter"].sudo().set_param(
            LAST_REBUILD_PARAM, f"{fields.Datetime.now()} ({seconds:.1f} s)"
        )
        _logger.info("Channel analytics rebuilt in %.1f s (%s)", seconds, timer)
        return seconds

    @api.model
    def _cron_refresh(self):
        """Scheduled refresh: the queue; the year-end review of the customers whose
        opportunities, registrations, visits or service requests changed since the last
        run and the funnel rows of the leads written since then; once a day the stages
        (they age with the date), the whole review (it also counts what was deleted) and
        the whole funnel (a stage that became a won stage changes leads not written)."""
        # sudo: technical parameters of the job
        params = self.env["ir.config_parameter"].sudo()
        self.env.cr.execute(SQL("SELECT now() AT TIME ZONE 'UTC'"))
        started = self.env.cr.fetchone()[0]
        self._process_queue()
        Review = self.env["crm.analytics.year.review"]
        Funnel = self.env["crm.analytics.funnel"]
        today = fields.Date.to_string(fields.Date.today())
        if params.get_param(LAST_RESTAGE_PARAM) != today:
            self.env["crm.analytics.customer"]._restage(None)
            Review._refresh_review(None)
            Funnel._refresh_funnel(None)
            params.set_param(LAST_RESTAGE_PARAM, today)
        else:
            since = params.get_param(LAST_REVIEW_PARAM) or fields.Datetime.to_string(started)
            Review._refresh_review(Review._get_changed_customers(since))
            Funnel._refresh_funnel(Funnel._get_changed_leads(since))
        params.set_param(LAST_REVIEW_PARAM, fields.Datetime.to_string(started))
