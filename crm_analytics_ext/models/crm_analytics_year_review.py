from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.sql import insert_query_rows

REVIEW_MEASURES = (
    "revenue",
    "margin",
    "order_count",
    "revenue_prev_year",
    "won_count",
    "lost_count",
    "registration_count",
    "visit_count",
    "service_count",
)


class CrmAnalyticsYearReview(models.Model):
    """Year-end review (年度回顾) per customer and salesperson.

    Revenue, margin and orders come from the monthly facts (the same year
    shifted by one gives the year before), deals won and lost from the
    opportunities, registrations from the distributors' registrations. Visits
    and service requests are counted when the models that hold them are
    installed (``_get_review_sources``), without depending on their addon.
    """

    _name = "crm.analytics.year.review"
    _description = "Channel Analytics: Year-end Review"
    _log_access = False
    _rec_name = "partner_id"
    _order = "year desc, revenue desc"

    company_id = fields.Many2one(
        comodel_name="res.company",
        readonly=True,
        index=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        readonly=True,
    )
    year = fields.Char(
        readonly=True,
        index=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        readonly=True,
        index=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        readonly=True,
    )
    revenue = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
    )
    margin = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
    )
    order_count = fields.Integer(
        string="Orders",
        readonly=True,
    )
    revenue_prev_year = fields.Monetary(
        string="Revenue the Year Before",
        readonly=True,
        currency_field="currency_id",
    )
    revenue_growth = fields.Monetary(
        string="Growth",
        readonly=True,
        currency_field="currency_id",
    )
    won_count = fields.Integer(
        string="Deals Won",
        readonly=True,
    )
    lost_count = fields.Integer(
        string="Deals Lost",
        readonly=True,
    )
    registration_count = fields.Integer(
        string="Registrations",
        readonly=True,
    )
    visit_count = fields.Integer(
        string="Visits",
        readonly=True,
    )
    service_count = fields.Integer(
        string="Service Requests",
        readonly=True,
    )

    @api.model
    def _review_row(self, company, year, partner, user, **measures):
        """One source's SELECT list in the column order of ``REVIEW_MEASURES``."""
        return SQL(
            "%s AS company_id, %s AS year, %s AS partner_id, %s AS user_id, %s",
            company,
            year,
            partner,
            user,
            SQL(", ").join(
                SQL("%s AS %s", measures.get(name, SQL("0")), SQL.identifier(name))
                for name in REVIEW_MEASURES
            ),
        )

    @api.model
    def _get_review_sources(self):
        """``SELECT`` statements with the columns of ``_review_row``, one per source."""
        won = SQL("stage.is_won IS TRUE AND lead.active")
        lost = SQL("NOT lead.active AND lead.probability = 0")
        lead_partner = SQL("COALESCE(partner.commercial_partner_id, lead.partner_id)")
        sources = [
            SQL(
                "SELECT %s FROM crm_analytics_customer_month fact",
                self._review_row(
                    SQL("fact.company_id"),
                    SQL("EXTRACT(YEAR FROM fact.month)::int::varchar"),
                    SQL("fact.partner_id"),
                    SQL("fact.user_id"),
                    revenue=SQL("fact.revenue"),
                    margin=SQL("fact.margin"),
                    order_count=SQL("fact.order_count"),
                ),
            ),
            SQL(
                "SELECT %s FROM crm_analytics_customer_month fact",
                self._review_row(
                    SQL("fact.company_id"),
                    SQL("(EXTRACT(YEAR FROM fact.month)::int + 1)::varchar"),
                    SQL("fact.partner_id"),
                    SQL("fact.user_id"),
                    revenue_prev_year=SQL("fact.revenue"),
                ),
            ),
            SQL(
                """SELECT %s FROM crm_lead lead
                   LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                   LEFT JOIN res_partner partner ON partner.id = lead.partner_id
                  WHERE lead.type = 'opportunity' AND lead.date_closed IS NOT NULL
                    AND ((%s) OR (%s))""",
                self._review_row(
                    SQL("lead.company_id"),
                    SQL("EXTRACT(YEAR FROM lead.date_closed)::int::varchar"),
                    lead_partner,
                    SQL("lead.user_id"),
                    won_count=SQL("CASE WHEN %s THEN 1 ELSE 0 END", won),
                    lost_count=SQL("CASE WHEN %s THEN 1 ELSE 0 END", lost),
                ),
                won,
                lost,
            ),
            SQL(
                """SELECT %s FROM crm_deal_registration registration
                   LEFT JOIN res_partner partner ON partner.id = registration.partner_id
                   LEFT JOIN crm_lead lead ON lead.id = registration.lead_id
                  WHERE registration.submit_date IS NOT NULL""",
                self._review_row(
                    SQL("registration.company_id"),
                    SQL("EXTRACT(YEAR FROM registration.submit_date)::int::varchar"),
                    SQL("partner.commercial_partner_id"),
                    SQL("lead.user_id"),
                    registration_count=SQL("1"),
                ),
            ),
        ]
        if self._has_stored_fields("crm.visit", "date"):
            sources.append(
                SQL(
                    "SELECT %s FROM crm_visit visit",
                    self._review_row(
                        SQL("visit.company_id"),
                        SQL("EXTRACT(YEAR FROM visit.date)::int::varchar"),
                        SQL("visit.commercial_partner_id"),
                        SQL("visit.user_id"),
                        visit_count=SQL("1"),
                    ),
                )
            )
        if self._has_stored_fields("crm.service.request", "create_date"):
            sources.append(
                SQL(
                    "SELECT %s FROM crm_service_request request",
                    self._review_row(
                        SQL("request.company_id"),
                        SQL("EXTRACT(YEAR FROM request.create_date)::int::varchar"),
                        SQL("request.commercial_partner_id"),
                        SQL("request.user_id"),
                        service_count=SQL("1"),
                    ),
                )
            )
        return sources

    @api.model
    def _has_stored_fields(self, model_name, date_field):
        """Whether an optional model is installed with the stored columns the review reads."""
        if model_name not in self.env:
            return False
        model_fields = self.env[model_name]._fields
        names = ("company_id", "commercial_partner_id", "user_id", date_field)
        return all(name in model_fields and model_fields[name].store for name in names)

    @api.model
    def _refresh_review(self, customers=None):
        """Recompute the review rows of ``(company_id, partner_id)`` pairs (None: all of them).

        A table kept by the analytics job rather than a materialized view: a
        change to a few customers rewrites their rows only, never the million
        rows of the others.
        """
        self.env.flush_all()
        cr = self.env.cr
        table = SQL.identifier(self._table)
        if customers is None:
            cr.execute(SQL("TRUNCATE %s", table))
            scope = SQL("TRUE")
        elif not customers:
            return
        else:
            pairs = SQL(
                "SELECT * FROM unnest(%s::int[], %s::int[])",
                [company for company, _partner in customers],
                [partner for _company, partner in customers],
            )
            cr.execute(SQL("DELETE FROM %s WHERE (company_id, partner_id) IN (%s)", table, pairs))
            # the array lets PostgreSQL filter every source of the union on
            # its own (by index on the facts), the pairs keep the companies apart
            scope = SQL(
                "source.partner_id = ANY(%s) AND (source.company_id, source.partner_id) IN (%s)",
                sorted({partner for _company, partner in customers}),
                pairs,
            )
        insert_query_rows(
            cr,
            self._table,
            self._review_query(scope),
            analyze=customers is None,
        )
        self.env.invalidate_all()

    @api.model
    def _get_changed_customers(self, since):
        """``(company_id, partner_id)`` of the opportunities, registrations (and visits and
        service requests) written since ``since``: their counts in the review are stale."""
        queries = [
            SQL(
                """SELECT lead.company_id, COALESCE(partner.commercial_partner_id, lead.partner_id)
                     FROM crm_lead lead
                     LEFT JOIN res_partner partner ON partner.id = lead.partner_id
                    WHERE lead.write_date >= %s""",
                since,
            ),
            SQL(
                """SELECT registration.company_id, partner.commercial_partner_id
                     FROM crm_deal_registration registration
                     JOIN res_partner partner ON partner.id = registration.partner_id
                    WHERE registration.write_date >= %s""",
                since,
            ),
        ]
        for model_name, table in (
            ("crm.visit", "crm_visit"),
            ("crm.service.request", "crm_service_request"),
        ):
            if self._has_stored_fields(model_name, "create_date"):
                queries.append(
                    SQL(
                        "SELECT company_id, commercial_partner_id FROM %s WHERE write_date >= %s",
                        SQL.identifier(table),
                        since,
                    )
                )
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT * FROM (%s) AS changed(company_id, partner_id) "
                "WHERE company_id IS NOT NULL AND partner_id IS NOT NULL",
                SQL(" UNION ALL ").join(queries),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _review_query(self, scope):
        """Rows of the review of the customers in ``scope`` (an SQL condition on ``source``)."""
        return SQL(
            """
            SELECT source.company_id, company.currency_id, source.year,
                   source.partner_id, source.user_id,
                   %(sums)s,
                   SUM(source.revenue) - SUM(source.revenue_prev_year) AS revenue_growth
              FROM (%(sources)s) AS source
              JOIN res_company company ON company.id = source.company_id
             WHERE source.year <= EXTRACT(YEAR FROM CURRENT_DATE)::int::varchar
               AND %(scope)s
             GROUP BY source.company_id, company.currency_id, source.year,
                      source.partner_id, source.user_id
            """,
            sums=SQL(", ").join(
                SQL("SUM(source.%s) AS %s", SQL.identifier(name), SQL.identifier(name))
                for name in REVIEW_MEASURES
            ),
            sources=SQL(" UNION ALL ").join(self._get_review_sources()),
            scope=scope,
        )

    def action_open_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action.update(
            domain=[
                ("state", "=", "sale"),
                ("company_id", "=", self.company_id.id),
                ("partner_id.commercial_partner_id", "=", self.partner_id.id),
                ("date_order", ">=", f"{self.year}-01-01"),
                ("date_order", "<", f"{int(self.year) + 1}-01-01"),
            ],
            context={"create": False},
            views=[(False, "list"), (False, "form")],
        )
        return action
