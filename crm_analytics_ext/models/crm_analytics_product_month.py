from odoo import api, fields, models
from odoo.tools import SQL


class CrmAnalyticsProductMonth(models.Model):
    """Confirmed sales per company, product, channel (and distributor) and month: quantities
    and margin, for the sales and channel managers.

    No salesperson: at five million order lines the facts per salesperson would be nearly as
    many rows as the lines; the salespeople's own sales are in the customer facts.

    The cost is the one ``sale_margin`` keeps on the line (the delivered cost
    where ``sale_stock_margin`` is installed), so ``margin`` is the line margin.
    """

    _name = "crm.analytics.product.month"
    _inherit = ["crm.analytics.fact.mixin"]
    _log_access = False
    _description = "Channel Analytics: Product Month"
    _rec_name = "product_id"
    _fact_key_column = "product_id"

    product_id = fields.Many2one(
        comodel_name="product.product",
        readonly=True,
        index=True,
    )
    categ_id = fields.Many2one(
        comodel_name="product.category",
        string="Product Category",
        readonly=True,
    )
    quantity = fields.Float(
        string="Quantity Ordered",
        readonly=True,
        digits="Product Unit of Measure",
    )
    qty_delivered = fields.Float(
        string="Quantity Delivered",
        readonly=True,
        digits="Product Unit of Measure",
    )
    cost = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
    )

    @api.model
    def _get_fact_dimensions(self):
        return {
            **super()._get_fact_dimensions(),
            "product_id": SQL("line.product_id"),
            "categ_id": SQL("template.categ_id"),
        }

    @api.model
    def _get_fact_measures(self):
        # quantities in the product's unit, as sale.report converts them
        factor = SQL("/ line_uom.factor * product_uom.factor")
        return {
            **super()._get_fact_measures(),
            "quantity": SQL("SUM(line.product_uom_qty %s)", factor),
            "qty_delivered": SQL("SUM(line.qty_delivered %s)", factor),
            "cost": SQL(
                "SUM((line.price_subtotal - COALESCE(line.margin, 0)) / %s)", self._rate_sql()
            ),
        }

    @api.model
    def _get_fact_from(self):
        return SQL(
            """%s
            JOIN product_product product ON product.id = line.product_id
            JOIN product_template template ON template.id = product.product_tmpl_id
            LEFT JOIN uom_uom line_uom ON line_uom.id = line.product_uom
            LEFT JOIN uom_uom product_uom ON product_uom.id = template.uom_id
            """,
            super()._get_fact_from(),
        )

    @api.model
    def _get_fact_dirty_from(self, dirty):
        # a product sells in many orders of a month: one pass over the lines
        # with a hash join on (company, month, product) beats a lookup per key
        return SQL(
            """%s
            JOIN %s ON dirty.company_id = so.company_id
                   AND dirty.month = date_trunc('month', so.date_order)::date
                   AND dirty.key_id = line.product_id
            """,
            self._get_fact_from(),
            dirty,
        )

    def _get_orders_domain(self):
        return [*super()._get_orders_domain(), ("order_line.product_id", "=", self.product_id.id)]
