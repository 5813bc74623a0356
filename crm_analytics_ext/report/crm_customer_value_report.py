from odoo import fields, models
from odoo.tools import SQL

from ..tools import rfm


class CrmCustomerValueReport(models.Model):
    """Customer value per commercial partner and company: RFM from confirmed sales.

    One row per customer (commercial partner) and company, aggregated over the
    confirmed sale orders in the company's currency. Scores come from
    PostgreSQL's ``NTILE(5)`` within each company, the segment from the grid of
    ``tools/rfm.py`` (``SEGMENT_RULES``), so SQL and Python agree.
    """

    _name = "crm.customer.value.report"
    _description = "Customer Value (RFM)"
    _auto = False
    _rec_name = "partner_id"
    _order = "monetary desc, partner_id"
    _depends = {
        "sale.order": [
            "amount_untaxed",
            "company_id",
            "currency_rate",
            "date_order",
            "margin",
            "partner_id",
            "state",
        ],
        "res.partner": ["commercial_partner_id"],
    }

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        readonly=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Currency",
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        readonly=True,
    )
    country_id = fields.Many2one(
        comodel_name="res.country",
        string="Country",
        readonly=True,
    )
    first_order_date = fields.Datetime(string="First Order", readonly=True)
    last_order_date = fields.Datetime(string="Last Order", readonly=True)
    recency_days = fields.Integer(
        string="Days Since Last Order",
        readonly=True,
        aggregator="avg",
    )
    frequency = fields.Integer(string="Orders", readonly=True)
    monetary = fields.Monetary(
        string="Revenue",
        readonly=True,
        currency_field="currency_id",
        help="Untaxed amount of the confirmed orders, in the company's currency.",
    )
    margin = fields.Monetary(
        string="Margin",
        readonly=True,
        currency_field="currency_id",
    )
    average_order = fields.Monetary(
        string="Average Order",
        readonly=True,
        currency_field="currency_id",
        aggregator="avg",
    )
    r_score = fields.Integer(string="R", readonly=True, aggregator="avg")
    f_score = fields.Integer(string="F", readonly=True, aggregator="avg")
    m_score = fields.Integer(string="M", readonly=True, aggregator="avg")
    rfm_score = fields.Char(string="RFM", readonly=True)
    segment = fields.Selection(
        selection=rfm.SEGMENTS,
        string="Segment",
        readonly=True,
    )

    # ------------------------------------------------------------
    # QUERY
    # ------------------------------------------------------------

    @property
    def _table_query(self) -> SQL:
        return SQL(
            "SELECT scored.*, %s AS rfm_score, %s AS segment FROM (%s) AS scored",
            SQL("scored.r_score::text || scored.f_score::text || scored.m_score::text"),
            self._segment_case(),
            self._scored_query(),
        )

    def _scored_query(self) -> SQL:
        """The aggregates with their NTILE scores within each company."""
        return SQL(
            """
            SELECT agg.*,
                   NTILE(%(buckets)s) OVER (PARTITION BY agg.company_id
                                            ORDER BY agg.recency_days DESC, agg.partner_id)
                       AS r_score,
                   NTILE(%(buckets)s) OVER (PARTITION BY agg.company_id
                                            ORDER BY agg.frequency, agg.partner_id) AS f_score,
                   NTILE(%(buckets)s) OVER (PARTITION BY agg.company_id
                                            ORDER BY agg.monetary, agg.partner_id) AS m_score
              FROM (%(aggregate)s) AS agg
            """,
            buckets=rfm.BUCKETS,
            aggregate=SQL(
                "%s %s %s %s", self._select(), self._from(), self._where(), self._group_by()
            ),
        )

    def _select(self) -> SQL:
        amount = SQL(
            "so.amount_untaxed / CASE COALESCE(so.currency_rate, 0) WHEN 0 THEN 1.0 "
            "ELSE so.currency_rate END"
        )
        margin = SQL(
            "COALESCE(so.margin, 0) / CASE COALESCE(so.currency_rate, 0) WHEN 0 THEN 1.0 "
            "ELSE so.currency_rate END"
        )
        return SQL(
            """
            SELECT MIN(so.id) AS id,
                   partner.commercial_partner_id AS partner_id,
                   so.company_id AS company_id,
                   company.currency_id AS currency_id,
                   commercial.user_id AS user_id,
                   commercial.country_id AS country_id,
                   MIN(so.date_order) AS first_order_date,
                   MAX(so.date_order) AS last_order_date,
                   (CURRENT_DATE - MAX(so.date_order)::date) AS recency_days,
                   COUNT(so.id) AS frequency,
                   SUM(%(amount)s) AS monetary,
                   SUM(%(margin)s) AS margin,
                   SUM(%(amount)s) / COUNT(so.id) AS average_order
            """,
            amount=amount,
            margin=margin,
        )

    def _from(self) -> SQL:
        return SQL(
            """
            FROM sale_order so
            JOIN res_partner partner ON partner.id = so.partner_id
            JOIN res_partner commercial ON commercial.id = partner.commercial_partner_id
            JOIN res_company company ON company.id = so.company_id
            """
        )

    def _where(self) -> SQL:
        return SQL("WHERE so.state = %s", "sale")

    def _group_by(self) -> SQL:
        return SQL(
            """
            GROUP BY partner.commercial_partner_id, so.company_id, company.currency_id,
                     commercial.user_id, commercial.country_id
            """
        )

    def _segment_case(self) -> SQL:
        """``CASE`` giving the segment key from the scores, built from ``rfm.SEGMENT_RULES``."""
        branches = [
            SQL(
                "WHEN scored.r_score BETWEEN %s AND %s AND scored.f_score BETWEEN %s AND %s "
                "THEN %s",
                r_min,
                r_max,
                f_min,
                f_max,
                key,
            )
            for (r_min, r_max), (f_min, f_max), key in rfm.SEGMENT_RULES
        ]
        return SQL("CASE %s END", SQL(" ").join(branches))
