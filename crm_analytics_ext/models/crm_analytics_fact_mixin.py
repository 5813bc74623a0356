from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.sql import insert_query_rows

CHANNELS = [
    ("direct", "Direct"),
    ("distributor", "Through a Distributor"),
    ("trade_fair", "Trade Fair"),
]
MONTHS_OF_YEAR = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]


class CrmAnalyticsFactMixin(models.AbstractModel):
    """Monthly facts of confirmed sales, kept in tables by the refresh job.

    Amounts are in the company's currency, converted as ``sale.report`` does
    (``price_subtotal / currency_rate`` of the order), over the lines with a
    product of confirmed orders. Each concrete model gives its dimensions
    (``_get_fact_dimensions``) and measures (``_get_fact_measures``); the
    delete-and-insert of some months is written once here.
    """

    _name = "crm.analytics.fact.mixin"
    _description = "Channel Analytics: Monthly Facts"
    _log_access = False
    _order = "month desc, id"

    company_id = fields.Many2one(
        comodel_name="res.company",
        readonly=True,
        index=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        readonly=True,
    )
    distributor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Distributor",
        readonly=True,
    )
    channel = fields.Selection(
        selection=CHANNELS,
        readonly=True,
    )
    month = fields.Date(
        readonly=True,
        index=True,
        help="First day of the month of the orders (in UTC).",
    )
    month_of_year = fields.Selection(
        selection=MONTHS_OF_YEAR,
        string="Month of the Year",
        readonly=True,
    )
    revenue = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
        help="Untaxed amount of the confirmed order lines, in the company's currency.",
    )
    margin = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
    )

    # ------------------------------------------------------------
    # DRILL-DOWN
    # ------------------------------------------------------------

    def _get_orders_domain(self):
        """Domain of the confirmed orders behind one fact row."""
        self.ensure_one()
        return [
            ("state", "=", "sale"),
            ("company_id", "=", self.company_id.id),
            ("date_order", ">=", fields.Datetime.to_datetime(self.month)),
            ("date_order", "<", fields.Datetime.to_datetime(self.month + relativedelta(months=1))),
        ]

    def action_open_orders(self):
        """The confirmed orders behind this figure."""
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action.update(
            domain=self._get_orders_domain(),
            context={"create": False},
            views=[(False, "list"), (False, "form")],
        )
        return action

    # ------------------------------------------------------------
    # SQL
    # ------------------------------------------------------------

    @api.model
    def _get_fact_dimensions(self):
        """``{column: SQL expression}`` grouped on, over ``_get_fact_from``."""
        return {
            "company_id": SQL("so.company_id"),
            "currency_id": SQL("company.currency_id"),
            "distributor_id": self._distributor_sql(),
            "channel": self._channel_sql(),
            "month": SQL("date_trunc('month', so.date_order)::date"),
            "month_of_year": SQL("EXTRACT(MONTH FROM so.date_order)::int::varchar"),
        }

    @api.model
    def _get_fact_measures(self):
        """``{column: SQL aggregate}`` of the facts."""
        rate = self._rate_sql()
        return {
            "revenue": SQL("SUM(line.price_subtotal / %s)", rate),
            "margin": SQL("SUM(COALESCE(line.margin, 0) / %s)", rate),
        }

    @api.model
    def _rate_sql(self):
        return SQL("CASE COALESCE(so.currency_rate, 0) WHEN 0 THEN 1.0 ELSE so.currency_rate END")

    @api.model
    def _distributor_sql(self):
        """The distributor of the sale: the opportunity's, or the customer when it is one."""
        return SQL(
            "COALESCE(lead.distributor_id, "
            "CASE WHEN commercial.is_distributor THEN commercial.id END)"
        )

    @api.model
    def _channel_sql(self):
        trade_fair = self.env.ref("crm_distributor.utm_source_trade_fair", raise_if_not_found=False)
        return SQL(
            "CASE WHEN lead.distributor_id IS NOT NULL OR commercial.is_distributor "
            "THEN 'distributor' WHEN lead.source_id = %s THEN 'trade_fair' ELSE 'direct' END",
            trade_fair.id if trade_fair else 0,
        )

    @api.model
    def _get_fact_from(self):
        return SQL(
            """
            FROM sale_order_line line
            JOIN sale_order so ON so.id = line.order_id
            JOIN res_company company ON company.id = so.company_id
            JOIN res_partner partner ON partner.id = so.partner_id
            JOIN res_partner commercial ON commercial.id = partner.commercial_partner_id
            LEFT JOIN crm_lead lead ON lead.id = so.opportunity_id
            """
        )

    @api.model
    def _get_fact_where(self):
        """Confirmed lines with a product."""
        return SQL(
            "WHERE so.state = 'sale' AND line.display_type IS NULL "
            "AND line.product_id IS NOT NULL"
        )

    @api.model
    def _get_fact_dirty_from(self, dirty):
        """``FROM`` clause of the lines behind the ``dirty(company_id, month, key_id)`` keys.

        Driven by the keys, so that only their orders are read (through the
        indexes on the customer or the product).
        """
        raise NotImplementedError()

    @api.model
    def _recompute_facts(self, keys):
        """Replace the facts of ``(company_id, month, key)`` triples (None: all) from the orders.

        The key is the model's ``_fact_key_column`` (the customer or the product):
        only the facts of those customers or products in those months change.
        """
        table = SQL.identifier(self._table)
        if keys is None:
            self.env.cr.execute(SQL("TRUNCATE %s", table))
            from_clause = self._get_fact_from()
        elif not keys:
            return
        else:
            companies, starts, key_ids = (list(column) for column in zip(*keys, strict=True))
            dirty = SQL(
                "(SELECT DISTINCT * FROM unnest(%s::int[], %s::date[], %s::int[])) "
                "AS dirty(company_id, month, key_id)",
                companies,
                starts,
                key_ids,
            )
            self.env.cr.execute(
                SQL(
                    """DELETE FROM %s fact USING %s
                        WHERE fact.company_id = dirty.company_id AND fact.month = dirty.month
                          AND fact.%s = dirty.key_id""",
                    table,
                    dirty,
                    SQL.identifier(self._fact_key_column),
                )
            )
            from_clause = self._get_fact_dirty_from(dirty)
        dimensions = self._get_fact_dimensions()
        measures = self._get_fact_measures()
        query = SQL(
            "SELECT %s %s %s GROUP BY %s",
            SQL(", ").join(
                SQL("%s AS %s", expression, SQL.identifier(column))
                for column, expression in [*dimensions.items(), *measures.items()]
            ),
            from_clause,
            self._get_fact_where(),
            SQL(", ").join(dimensions.values()),
        )
        insert_query_rows(
            self.env.cr,
            self._table,
            query,
            analyze=keys is None,
        )
