from odoo import api, fields, models
from odoo.tools import SQL

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
    _auto = False
    _rec_name = "partner_id"
    _order = "year desc, revenue desc"

    company_id = fields.Many2one(
        comodel_name="res.company",
        readonly=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        readonly=True,
    )
    year = fields.Char(
        readonly=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        readonly=True,
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

    def init(self):
        # A materialized view: the review is read often and refreshed by the
        # analytics job (``_refresh_review``), not computed on every read.
        table = SQL.identifier(self._table)
        self.env.cr.execute(SQL("SELECT relkind FROM pg_class WHERE relname = %s", self._table))
        kind = self.env.cr.fetchone()
        if kind and kind[0] == "v":
            self.env.cr.execute(SQL("DROP VIEW %s", table))
        elif kind and kind[0] == "m":
            self.env.cr.execute(SQL("DROP MATERIALIZED VIEW %s", table))
        self.env.cr.execute(SQL("CREATE MATERIALIZED VIEW %s AS (%s)", table, self._review_query()))
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX %s ON %s (id)",
                SQL.identifier(f"{self._table}_id_uniq"),
                table,
            )
        )

    @api.model
    def _refresh_review(self):
        """Refresh the review from the facts, opportunities, registrations (and visits)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL("REFRESH MATERIALIZED VIEW CONCURRENTLY %s", SQL.identifier(self._table))
        )
        self.env.invalidate_all()

    @api.model
    def _review_query(self):
        return SQL(
            """
            SELECT ROW_NUMBER() OVER (ORDER BY source.company_id, source.year,
                                               source.partner_id, source.user_id) AS id,
                   source.company_id, company.currency_id, source.year,
                   source.partner_id, source.user_id,
                   %(sums)s,
                   SUM(source.revenue) - SUM(source.revenue_prev_year) AS revenue_growth
              FROM (%(sources)s) AS source
              JOIN res_company company ON company.id = source.company_id
             WHERE source.year <= EXTRACT(YEAR FROM CURRENT_DATE)::int::varchar
             GROUP BY source.company_id, company.currency_id, source.year,
                      source.partner_id, source.user_id
            """,
            sums=SQL(", ").join(
                SQL("SUM(source.%s) AS %s", SQL.identifier(name), SQL.identifier(name))
                for name in REVIEW_MEASURES
            ),
            sources=SQL(" UNION ALL ").join(self._get_review_sources()),
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
