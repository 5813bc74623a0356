import logging
import time

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

LAST_REBUILD_PARAM = "crm_analytics_ext.last_full_rebuild"
LAST_RESTAGE_PARAM = "crm_analytics_ext.last_restage_date"
LAST_REVIEW_PARAM = "crm_analytics_ext.last_review_refresh"


class CrmAnalyticsDirty(models.Model):
    """Queue of the months and customers whose facts must be recomputed.

    Written by the sale order hooks with one plain ``INSERT`` (no unique key,
    so concurrent order writes never wait on each other); the refresh job
    takes the queue with ``DELETE ... RETURNING`` and recomputes only what it
    names. Integers rather than many2ones: no foreign-key lock on the
    order's company or customer while an order is saved.
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
    product_id = fields.Integer(
        string="Product",
    )

    # ------------------------------------------------------------
    # MARKING (called from the sale order hooks)
    # ------------------------------------------------------------

    @api.model
    def _mark_orders(self, order_ids):
        """Queue the month and customer of the confirmed orders ``order_ids``, as stored now."""
        if not order_ids:
            return
        self._flush_commercial_partners()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_analytics_dirty (company_id, month, partner_id, product_id)
                SELECT DISTINCT so.company_id, date_trunc('month', so.date_order)::date,
                       COALESCE(partner.commercial_partner_id, partner.id), line.product_id
                  FROM sale_order so
                  JOIN res_partner partner ON partner.id = so.partner_id
                  LEFT JOIN sale_order_line line ON line.order_id = so.id
                 WHERE so.id = ANY(%s) AND so.state = 'sale'
                """,
                list(order_ids),
            )
        )

    @api.model
    def _flush_commercial_partners(self):
        """A customer created in the same transaction as its order is read from the table."""
        self.env["res.partner"].flush_model(["commercial_partner_id"])

    @api.model
    def _mark_lines(self, line_ids):
        """Queue the month and customer of the order lines ``line_ids`` of confirmed orders."""
        if not line_ids:
            return
        self._flush_commercial_partners()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_analytics_dirty (company_id, month, partner_id, product_id)
                SELECT DISTINCT so.company_id, date_trunc('month', so.date_order)::date,
                       COALESCE(partner.commercial_partner_id, partner.id), line.product_id
                  FROM sale_order_line line
                  JOIN sale_order so ON so.id = line.order_id
                  JOIN res_partner partner ON partner.id = so.partner_id
                 WHERE line.id = ANY(%s) AND so.state = 'sale'
                """,
                list(line_ids),
            )
        )

    @api.model
    def _mark_values(self, rows):
        """Queue ``(company_id, month, commercial partner id, product id)`` known in Python."""
        rows = {row for row in rows if all(row[:3])}
        if not rows:
            return
        companies, months, partners, products = zip(*rows, strict=True)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_analytics_dirty (company_id, month, partner_id, product_id)
                SELECT * FROM unnest(%s::int[], %s::date[], %s::int[], %s::int[])
                """,
                list(companies),
                list(months),
                list(partners),
                [product or None for product in products],
            )
        )

    # ------------------------------------------------------------
    # REFRESH
    # ------------------------------------------------------------

    def _get_fact_models(self):
        """The monthly fact models, each with ``_recompute_facts(keys)``."""
        return [
            self.env["crm.analytics.customer.month"],
            self.env["crm.analytics.product.month"],
        ]

    @api.model
    def _get_fact_keys(self, model, taken):
        """The ``(company, month, key)`` triples of ``model`` named by queue rows ``taken``."""
        index = {"partner_id": 2, "product_id": 3}[model._fact_key_column]
        return sorted({(row[0], row[1], row[index]) for row in taken if row[index]})

    @api.model
    def _process_queue(self):
        """Recompute the facts of the queued months and the summary of the queued customers.

        Returns the number of (company, month) pairs touched.
        """
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT MAX(id) FROM crm_analytics_dirty"))
        max_id = self.env.cr.fetchone()[0]
        if max_id is None:
            return 0
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_analytics_dirty WHERE id <= %s "
                "RETURNING company_id, month, partner_id, product_id",
                max_id,
            )
        )
        taken = self.env.cr.fetchall()
        months = sorted({(row[0], row[1]) for row in taken})
        customers = sorted({(row[0], row[2]) for row in taken})
        for model in self._get_fact_models():
            model._recompute_facts(self._get_fact_keys(model, taken))
        Customer = self.env["crm.analytics.customer"]
        Customer._recompute_customers(customers)
        Customer._restage(sorted({company for company, _month in months}))
        self.env["crm.analytics.year.review"]._refresh_review(customers)
        self.env.invalidate_all()
        return len(months)

    @api.model
    def _rebuild_all(self):
        """Recompute every fact and summary from the orders; returns the seconds it took."""
        start = time.perf_counter()
        self.env.flush_all()
        self.env.cr.execute(SQL("DELETE FROM crm_analytics_dirty"))
        for model in self._get_fact_models():
            model._recompute_facts(None)
        Customer = self.env["crm.analytics.customer"]
        Customer._recompute_customers(None)
        Customer._restage(None)
        self.env["crm.analytics.year.review"]._refresh_review(None)
        self.env["crm.analytics.funnel"]._refresh_funnel(None)
        self.env.invalidate_all()
        seconds = time.perf_counter() - start
        # sudo: the time of the last rebuild is a technical parameter, readable by
        # the job whoever triggers it
        self.env["ir.config_parameter"].sudo().set_param(
            LAST_REBUILD_PARAM, f"{fields.Datetime.now()} ({seconds:.1f} s)"
        )
        _logger.info("Channel analytics rebuilt in %.1f s", seconds)
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
