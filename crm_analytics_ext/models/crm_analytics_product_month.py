from odoo import api, fields, models
from odoo.tools import SQL

DELTA_TABLE = "crm_analytics_product_delta"


class CrmAnalyticsProductMonth(models.Model):
    """Confirmed sales per company, product, channel (and distributor) and month: quantities
    and margin, for the sales and channel managers.

    No salesperson: at five million order lines the facts per salesperson would be nearly as
    many rows as the lines; the salespeople's own sales are in the customer facts.

    The cost is the one ``sale_margin`` keeps on the line (the delivered cost
    where ``sale_stock_margin`` is installed), so ``margin`` is the line margin.

    Kept by difference: a change to an order line queues what the line added before and
    after it (``_queue_deltas``) and the job adds the queued rows (``_apply_deltas``);
    every measure is a sum, ``line_count`` tells when a row has no line left.
    """

    _name = "crm.analytics.product.month"
    _inherit = ["crm.analytics.fact.mixin"]
    _log_access = False
    _description = "Channel Analytics: Product Month"
    _rec_name = "product_id"
    _fact_key_column = "product_id"
    _sql_constraints = [
        (
            "dimensions_uniq",
            "UNIQUE NULLS NOT DISTINCT (company_id, currency_id, distributor_id, channel, "
            "month, month_of_year, product_id, categ_id)",
            "One row of product facts per company, channel, distributor, month and product.",
        ),
    ]

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
    line_count = fields.Integer(
        string="Order Lines",
        readonly=True,
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
            "line_count": SQL("COUNT(*)"),
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

    # ------------------------------------------------------------
    # KEPT BY DIFFERENCE
    # ------------------------------------------------------------

    @api.model
    def _queue_deltas(self, condition, sign):
        """Queue ``sign`` (1 or -1) times what the confirmed order lines matching
        ``condition`` (an ``SQL`` condition on ``line``, ``so``, ``partner``,
        ``commercial``, ``lead`` and ``template``) add to the facts as stored now."""
        dimensions = self._get_fact_dimensions()
        measures = self._get_fact_measures()
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT %s %s %s AND %s GROUP BY %s",
                SQL.identifier(DELTA_TABLE),
                SQL(", ").join(SQL.identifier(column) for column in [*dimensions, *measures]),
                SQL(", ").join(
                    [
                        *dimensions.values(),
                        *(SQL("%s * %s", sign, measure) for measure in measures.values()),
                    ]
                ),
                self._get_fact_from(),
                self._get_fact_where(),
                condition,
                SQL(", ").join(dimensions.values()),
            )
        )

    @api.model
    def _apply_deltas(self):
        """Add the queued differences to the facts; a row left without lines goes.

        Returns the number of fact rows added to or changed.
        """
        cr = self.env.cr
        cr.execute(SQL("SELECT MAX(id) FROM %s", SQL.identifier(DELTA_TABLE)))
        max_id = cr.fetchone()[0]
        if max_id is None:
            return 0
        dimension_names = list(self._get_fact_dimensions())
        dimensions = [SQL.identifier(column) for column in dimension_names]
        measures = [SQL.identifier(column) for column in self._get_fact_measures()]
        # a record deleted since its lines were queued (a product whose last line
        # moved to another product, then removed): its rows add up to nothing,
        # and cannot be inserted
        existing = [
            SQL(
                "(taken.%s IS NULL OR EXISTS (SELECT FROM %s WHERE id = taken.%s))",
                SQL.identifier(name),
                SQL.identifier(self.env[self._fields[name].comodel_name]._table),
                SQL.identifier(name),
            )
            for name in dimension_names
            if self._fields[name].type == "many2one"
        ]
        cr.execute(
            SQL(
                """
                WITH taken AS (DELETE FROM %(delta)s WHERE id <= %(max_id)s RETURNING *)
                INSERT INTO %(facts)s AS fact (%(columns)s)
                SELECT %(dimensions)s, %(sums)s FROM taken
                 WHERE %(existing)s
                 GROUP BY %(dimensions)s
                HAVING %(not_zero)s
                ON CONFLICT ON CONSTRAINT %(constraint)s DO UPDATE SET %(additions)s
                """,
                delta=SQL.identifier(DELTA_TABLE),
                max_id=max_id,
                facts=SQL.identifier(self._table),
                columns=SQL(", ").join([*dimensions, *measures]),
                dimensions=SQL(", ").join(dimensions),
                sums=SQL(", ").join(SQL("SUM(%s)", measure) for measure in measures),
                existing=SQL(" AND ").join(existing) if existing else SQL("TRUE"),
                not_zero=SQL(" OR ").join(SQL("SUM(%s) <> 0", measure) for measure in measures),
                constraint=SQL.identifier(f"{self._table}_dimensions_uniq"),
                additions=SQL(", ").join(
                    SQL("%s = fact.%s + EXCLUDED.%s", measure, measure, measure)
                    for measure in measures
                ),
            )
        )
        changed = cr.rowcount
        cr.execute(SQL("DELETE FROM %s WHERE line_count = 0", SQL.identifier(self._table)))
        return changed

    def _get_orders_domain(self):
        return [*super()._get_orders_domain(), ("order_line.product_id", "=", self.product_id.id)]
