from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools import lifecycle, rfm
from .crm_analytics_fact_mixin import MONTHS_OF_YEAR


class CrmAnalyticsCustomer(models.Model):
    """Per-customer summary: value (RFM), lifecycle, loyalty and seasonality.

    One row per company and customer (commercial partner) with confirmed
    orders, kept by the refresh job: the order statistics of the queued
    customers are recomputed from their orders (``_recompute_customers``),
    then the scores, segments and stages, which age with the date, are
    derived for whole companies from the stored statistics (``_restage``),
    with the rules of ``tools/rfm.py`` and ``tools/lifecycle.py``.
    """

    _name = "crm.analytics.customer"
    _description = "Channel Analytics: Customer Value"
    _log_access = False
    _rec_name = "partner_id"
    _order = "revenue desc, id"

    company_id = fields.Many2one(
        comodel_name="res.company",
        readonly=True,
        index=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        readonly=True,
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
        index=True,
        help="The customer's salesperson.",
    )
    country_id = fields.Many2one(
        comodel_name="res.country",
        readonly=True,
    )
    state_id = fields.Many2one(
        comodel_name="res.country.state",
        string="Province",
        readonly=True,
    )
    first_order_date = fields.Date(
        string="First Order",
        readonly=True,
    )
    last_order_date = fields.Date(
        string="Last Order",
        readonly=True,
    )
    order_count = fields.Integer(
        string="Orders",
        readonly=True,
    )
    revenue = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
        help="Untaxed amount of the confirmed orders, in the company's currency.",
    )
    margin = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
    )
    revenue_12m = fields.Monetary(
        string="Revenue Last 12 Months",
        readonly=True,
        currency_field="currency_id",
    )
    revenue_prev_12m = fields.Monetary(
        string="Revenue 12 Months Before",
        readonly=True,
        currency_field="currency_id",
    )
    usual_gap_days = fields.Float(
        string="Usual Days Between Orders",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
    )
    last_gap_days = fields.Integer(
        string="Days Between the Last Two Orders",
        readonly=True,
        aggregator="avg",
    )
    recency_days = fields.Integer(
        string="Days Since Last Order",
        readonly=True,
        aggregator="avg",
    )
    tenure_days = fields.Integer(
        string="Customer For (Days)",
        readonly=True,
        aggregator="avg",
    )
    is_repeat = fields.Boolean(
        string="Repeat Customer",
        readonly=True,
    )
    churn_ratio = fields.Float(
        string="Churn Risk",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Days since the last order divided by the customer's usual days between orders.",
    )
    stage = fields.Selection(
        selection=lifecycle.STAGES,
        string="Lifecycle Stage",
        readonly=True,
    )
    revenue_at_risk = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
        help="Yearly revenue of the customers at risk or dormant.",
    )
    next_order_date = fields.Date(
        string="Next Order Due",
        readonly=True,
    )
    peak_month = fields.Selection(
        selection=MONTHS_OF_YEAR,
        readonly=True,
    )
    quiet_month = fields.Selection(
        selection=MONTHS_OF_YEAR,
        readonly=True,
    )
    r_score = fields.Integer(
        string="R",
        readonly=True,
        aggregator="avg",
    )
    f_score = fields.Integer(
        string="F",
        readonly=True,
        aggregator="avg",
    )
    m_score = fields.Integer(
        string="M",
        readonly=True,
        aggregator="avg",
    )
    rfm_score = fields.Char(
        string="RFM",
        readonly=True,
    )
    segment = fields.Selection(
        selection=rfm.SEGMENTS,
        readonly=True,
    )

    # ------------------------------------------------------------
    # DRILL-DOWN
    # ------------------------------------------------------------

    def action_open_orders(self):
        """The customer's confirmed orders in this company."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action.update(
            domain=[
                ("state", "=", "sale"),
                ("company_id", "=", self.company_id.id),
                ("partner_id.commercial_partner_id", "=", self.partner_id.id),
            ],
            context={"create": False},
            views=[(False, "list"), (False, "form")],
        )
        return action

    def _get_year_review_rows(self):
        """The year-end review rows of this customer in its company, latest year first."""
        self.ensure_one()
        return self.env["crm.analytics.year.review"].search(
            [("company_id", "=", self.company_id.id), ("partner_id", "=", self.partner_id.id)],
            order="year desc, user_id",
        )

    # ------------------------------------------------------------
    # REFRESH
    # ------------------------------------------------------------

    @api.model
    def _action_rebuild(self):
        """Rebuild every fact and summary now (sales managers), and say how long it took."""
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only sales managers can rebuild the channel analytics."))
        # sudo: the facts are written by SQL for every salesperson and company,
        # the manager's record rules do not apply to the rebuild
        seconds = self.env["crm.analytics.dirty"].sudo()._rebuild_all()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Channel analytics rebuilt in %(seconds)s seconds.", seconds=round(seconds, 1)
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _recompute_customers(self, customers):
        """Replace the order statistics of ``(company_id, partner_id)`` pairs (None: all)."""
        cr = self.env.cr
        if customers is None:
            cr.execute(SQL("TRUNCATE crm_analytics_customer"))
            scope = SQL("TRUE")
            fact_scope = SQL("TRUE")
        elif not customers:
            return
        else:
            companies = [company for company, _partner in customers]
            partners = [partner for _company, partner in customers]
            pairs = SQL("SELECT * FROM unnest(%s::int[], %s::int[])", companies, partners)
            cr.execute(
                SQL(
                    "DELETE FROM crm_analytics_customer WHERE (company_id, partner_id) IN (%s)",
                    pairs,
                )
            )
            scope = SQL("(so.company_id, partner.commercial_partner_id) IN (%s)", pairs)
            fact_scope = SQL("(fact.company_id, fact.partner_id) IN (%s)", pairs)
        rate = SQL("CASE COALESCE(so.currency_rate, 0) WHEN 0 THEN 1.0 ELSE so.currency_rate END")
        cr.execute(
            SQL(
                """
                WITH orders AS (
                    SELECT so.company_id, partner.commercial_partner_id AS partner_id,
                           so.date_order::date AS day,
                           so.amount_untaxed / %(rate)s AS amount,
                           COALESCE(so.margin, 0) / %(rate)s AS margin
                      FROM sale_order so
                      JOIN res_partner partner ON partner.id = so.partner_id
                     WHERE so.state = 'sale' AND %(scope)s
                ), days AS (
                    SELECT company_id, partner_id,
                           day - LAG(day) OVER (customer ORDER BY day) AS gap,
                           ROW_NUMBER() OVER (customer ORDER BY day DESC) AS rank_desc
                      FROM (SELECT DISTINCT company_id, partner_id, day FROM orders) AS days
                    WINDOW customer AS (PARTITION BY company_id, partner_id)
                ), gaps AS (
                    SELECT company_id, partner_id,
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS usual_gap,
                           MAX(gap) FILTER (WHERE rank_desc = 1) AS last_gap
                      FROM days
                     GROUP BY company_id, partner_id
                )
                INSERT INTO crm_analytics_customer (
                    company_id, currency_id, partner_id, first_order_date, last_order_date,
                    order_count, revenue, margin, revenue_12m, revenue_prev_12m,
                    usual_gap_days, last_gap_days, is_repeat)
                SELECT orders.company_id, company.currency_id, orders.partner_id,
                       MIN(orders.day), MAX(orders.day), COUNT(*),
                       SUM(orders.amount), SUM(orders.margin),
                       COALESCE(SUM(orders.amount) FILTER (
                           WHERE orders.day > %(today)s::date - 365), 0),
                       COALESCE(SUM(orders.amount) FILTER (
                           WHERE orders.day <= %(today)s::date - 365
                             AND orders.day > %(today)s::date - 730), 0),
                       gaps.usual_gap, gaps.last_gap, COUNT(*) > 1
                  FROM orders
                  JOIN gaps ON gaps.company_id = orders.company_id
                           AND gaps.partner_id = orders.partner_id
                  JOIN res_company company ON company.id = orders.company_id
                 GROUP BY orders.company_id, company.currency_id, orders.partner_id,
                          gaps.usual_gap, gaps.last_gap
                """,
                rate=rate,
                scope=scope,
                today=self._today(),
            )
        )
        if customers is None:
            # a table filled anew: statistics for the plans of the updates that follow
            cr.execute(SQL("ANALYZE crm_analytics_customer"))
        self._recompute_seasons(fact_scope)

    @api.model
    def _today(self):
        """The UTC date, as the order dates of the facts: the same figures whoever
        triggers the computation (the job, or a manager in another time zone)."""
        return fields.Date.today()

    @api.model
    def _season_window(self):
        """First day and end (exclusive) of the last full years of the seasonal profile."""
        year = self._today().year
        return date(year - lifecycle.SEASON_YEARS, 1, 1), date(year, 1, 1)

    @api.model
    def _recompute_seasons(self, fact_scope):
        """Peak and quiet months of the customers over the last full years, from the facts."""
        start, end = self._season_window()
        self.env.cr.execute(
            SQL(
                """
                WITH monthly AS (
                    SELECT fact.company_id, fact.partner_id,
                           EXTRACT(MONTH FROM fact.month)::int AS month_of_year,
                           SUM(fact.revenue) AS revenue
                      FROM crm_analytics_customer_month fact
                     WHERE fact.month >= %(start)s AND fact.month < %(end)s AND %(scope)s
                     GROUP BY 1, 2, 3
                ), profile AS (
                    SELECT keys.company_id, keys.partner_id, months.month_of_year,
                           COALESCE(monthly.revenue, 0) AS revenue
                      FROM (SELECT company_id, partner_id FROM monthly
                             GROUP BY company_id, partner_id
                            HAVING SUM(revenue) <> 0) AS keys
                     CROSS JOIN generate_series(1, 12) AS months(month_of_year)
                      LEFT JOIN monthly ON monthly.company_id = keys.company_id
                                       AND monthly.partner_id = keys.partner_id
                                       AND monthly.month_of_year = months.month_of_year
                ), ranked AS (
                    -- one pass over the profiles for both months (ties: the earlier month)
                    SELECT company_id, partner_id,
                           (array_agg(month_of_year ORDER BY revenue DESC, month_of_year))[1]
                               AS peak_month,
                           (array_agg(month_of_year ORDER BY revenue, month_of_year))[1]
                               AS quiet_month
                      FROM profile
                     GROUP BY company_id, partner_id
                )
                UPDATE crm_analytics_customer customer
                   SET peak_month = ranked.peak_month::varchar,
                       quiet_month = ranked.quiet_month::varchar
                  FROM ranked
                 WHERE customer.company_id = ranked.company_id
                   AND customer.partner_id = ranked.partner_id
                """,
                start=start,
                end=end,
                scope=fact_scope,
            )
        )

    @api.model
    def _restage(self, company_ids):
        """Scores, segment, stage and risk of the customers of ``company_ids`` (None: all)."""
        scope = SQL("TRUE") if company_ids is None else SQL("company_id = ANY(%s)", company_ids)
        gap = SQL(
            "COALESCE(NULLIF(customer.usual_gap_days, 0), %s)", float(lifecycle.DEFAULT_GAP_DAYS)
        )
        self.env.cr.execute(
            SQL(
                """
                WITH recency AS (
                    SELECT id, %(today)s::date - last_order_date AS recency_days
                      FROM crm_analytics_customer
                     WHERE %(scope)s
                ), scored AS (
                    SELECT customer.id, recency.recency_days,
                           recency.recency_days / %(gap)s AS churn_ratio,
                           NTILE(%(buckets)s) OVER (PARTITION BY customer.company_id
                               ORDER BY recency.recency_days DESC, customer.partner_id) AS r_score,
                           NTILE(%(buckets)s) OVER (PARTITION BY customer.company_id
                               ORDER BY customer.order_count, customer.partner_id) AS f_score,
                           NTILE(%(buckets)s) OVER (PARTITION BY customer.company_id
                               ORDER BY customer.revenue, customer.partner_id) AS m_score
                      FROM crm_analytics_customer customer
                      JOIN recency ON recency.id = customer.id
                ), staged AS (
                    SELECT scored.*, %(segment)s AS segment, %(stage)s AS stage
                      FROM scored
                      JOIN crm_analytics_customer customer ON customer.id = scored.id
                )
                UPDATE crm_analytics_customer customer
                   SET recency_days = staged.recency_days,
                       churn_ratio = staged.churn_ratio,
                       r_score = staged.r_score,
                       f_score = staged.f_score,
                       m_score = staged.m_score,
                       rfm_score = staged.r_score::text || staged.f_score::text
                                   || staged.m_score::text,
                       segment = staged.segment,
                       stage = staged.stage,
                       tenure_days = %(today)s::date - customer.first_order_date,
                       next_order_date = customer.last_order_date + ROUND(%(gap)s)::int,
                       revenue_at_risk = CASE WHEN staged.stage IN %(risk)s
                           THEN customer.revenue * 365.0
                                / GREATEST(%(today)s::date - customer.first_order_date, 365)
                           ELSE 0 END,
                       user_id = commercial.user_id,
                       country_id = commercial.country_id,
                       state_id = commercial.state_id
                  FROM staged, res_partner commercial
                 WHERE customer.id = staged.id AND commercial.id = customer.partner_id
                   -- the scores of a whole company are computed again, and only the
                   -- customers whose figures moved are written
                   AND (customer.recency_days, customer.r_score, customer.f_score,
                        customer.m_score, customer.segment, customer.stage,
                        customer.user_id, customer.country_id, customer.state_id,
                        customer.tenure_days)
                       IS DISTINCT FROM
                       (staged.recency_days, staged.r_score, staged.f_score,
                        staged.m_score, staged.segment, staged.stage,
                        commercial.user_id, commercial.country_id, commercial.state_id,
                        %(today)s::date - customer.first_order_date)
                """,
                today=self._today(),
                scope=scope,
                gap=gap,
                buckets=rfm.BUCKETS,
                segment=self._segment_case(),
                stage=self._stage_case(gap),
                risk=tuple(lifecycle.RISK_STAGES),
            )
        )

    @api.model
    def _segment_case(self):
        """``CASE`` giving the segment from the scores, built from ``rfm.SEGMENT_RULES``."""
        return SQL(
            "CASE %s END",
            SQL(" ").join(
                SQL(
                    "WHEN scored.r_score BETWEEN %s AND %s AND scored.f_score BETWEEN %s AND %s "
                    "AND scored.m_score BETWEEN %s AND %s THEN %s",
                    r_min,
                    r_max,
                    f_min,
                    f_max,
                    m_min,
                    m_max,
                    key,
                )
                for (r_min, r_max), (f_min, f_max), (m_min, m_max), key in rfm.SEGMENT_RULES
            ),
        )

    @api.model
    def _stage_case(self, gap):
        """``CASE`` giving the lifecycle stage, built from ``lifecycle.STAGE_RULES``."""
        ratio_rules = [
            SQL("WHEN scored.churn_ratio > %s THEN %s", threshold, key)
            for threshold, key in lifecycle.STAGE_RULES
        ]
        return SQL(
            """CASE %s
                    WHEN customer.order_count <= 1 THEN 'new'
                    WHEN customer.usual_gap_days > 0
                         AND customer.last_gap_days > %s * customer.usual_gap_days
                    THEN 'reactivated'
                    ELSE 'active' END""",
            SQL(" ").join(ratio_rules),
            lifecycle.REACTIVATION_RATIO,
        )
