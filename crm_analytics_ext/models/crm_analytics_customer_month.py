from odoo import api, fields, models
from odoo.tools import SQL

# Every dimension of the customer facts is the order's: the lines of an order
# are summed first, then the orders joined and grouped (a million orders, not
# five million lines, through the joins; no COUNT(DISTINCT), which PostgreSQL
# cannot aggregate in parallel).
ORDER_LINE_SUMS = SQL(
    "SUM(order_line.price_subtotal) AS price_subtotal, "
    "SUM(COALESCE(order_line.margin, 0)) AS margin"
)
ORDER_LINE_FILTER = SQL("order_line.display_type IS NULL AND order_line.product_id IS NOT NULL")


class CrmAnalyticsCustomerMonth(models.Model):
    """Confirmed sales per company, customer (commercial partner), salesperson, channel, month.

    The salesperson is a dimension here (salespeople read the facts of their own sales);
    the product facts leave it out to stay small (they are the managers').
    """

    _name = "crm.analytics.customer.month"
    _inherit = ["crm.analytics.fact.mixin"]
    _log_access = False
    _description = "Channel Analytics: Customer Month"
    _rec_name = "partner_id"
    _fact_key_column = "partner_id"

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        readonly=True,
        index=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        readonly=True,
        index=True,
    )
    order_count = fields.Integer(
        string="Orders",
        readonly=True,
    )

    @api.model
    def _get_fact_dimensions(self):
        return {
            **super()._get_fact_dimensions(),
            "partner_id": SQL("partner.commercial_partner_id"),
            "user_id": SQL("so.user_id"),
        }

    @api.model
    def _get_fact_measures(self):
        # one ``line`` row per order (see _get_fact_from)
        return {
            **super()._get_fact_measures(),
            "order_count": SQL("COUNT(*)"),
        }

    @api.model
    def _get_fact_from(self):
        return SQL(
            """
            FROM (SELECT order_line.order_id, %s
                    FROM sale_order_line order_line
                   WHERE %s
                   GROUP BY order_line.order_id) AS line
            JOIN sale_order so ON so.id = line.order_id
            JOIN res_company company ON company.id = so.company_id
            JOIN res_partner partner ON partner.id = so.partner_id
            JOIN res_partner commercial ON commercial.id = partner.commercial_partner_id
            LEFT JOIN crm_lead lead ON lead.id = so.opportunity_id
            """,
            ORDER_LINE_SUMS,
            ORDER_LINE_FILTER,
        )

    @api.model
    def _get_fact_where(self):
        # the lines' conditions are in the per-order sums
        return SQL("WHERE so.state = 'sale'")

    @api.model
    def _get_fact_dirty_from(self, dirty):
        return SQL(
            """
            FROM %s
            JOIN res_partner commercial ON commercial.id = dirty.key_id
            JOIN res_partner partner ON partner.commercial_partner_id = commercial.id
            JOIN sale_order so ON so.partner_id = partner.id
                              AND so.company_id = dirty.company_id
                              AND so.date_order >= dirty.month
                              AND so.date_order < dirty.month + interval '1 month'
            JOIN LATERAL (SELECT %s
                            FROM sale_order_line order_line
                           WHERE order_line.order_id = so.id AND %s
                          HAVING COUNT(*) > 0) AS line ON TRUE
            JOIN res_company company ON company.id = so.company_id
            LEFT JOIN crm_lead lead ON lead.id = so.opportunity_id
            """,
            dirty,
            ORDER_LINE_SUMS,
            ORDER_LINE_FILTER,
        )

    def _get_orders_domain(self):
        return [
            *super()._get_orders_domain(),
            ("user_id", "=", self.user_id.id),
            ("partner_id.commercial_partner_id", "=", self.partner_id.id),
        ]
