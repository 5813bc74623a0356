from odoo import api, models

# Fields of an order line that change the monthly facts.
ANALYTICS_LINE_FIELDS = {
    "display_type",
    "margin",
    "order_id",
    "price_subtotal",
    "product_id",
    "product_uom",
    "product_uom_qty",
    "purchase_price",
    "qty_delivered",
}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _in_analytics(self):
        """Whether some of these lines may count in the facts: their order is confirmed,
        or its state is about to be written (it is then queued by the order's hook).
        The lines of quotations cost no query."""
        orders = self.order_id
        return any(order.state == "sale" for order in orders) or self.env.cache.has_dirty_fields(
            orders, [orders._fields["state"]]
        )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if lines._in_analytics():
            lines.env["crm.analytics.dirty"]._mark_lines(lines.ids, 1)
        return lines

    def _write_multi(self, vals_list):
        # also called when computed amounts, margins or delivered quantities
        # are flushed (see sale.order._write_multi): the lines as stored
        # before the change are taken out of the facts, as stored after it put in
        touched = any(ANALYTICS_LINE_FIELDS.intersection(vals) for vals in vals_list)
        touched = touched and self._in_analytics()
        if touched:
            self.env["crm.analytics.dirty"]._mark_lines(self.ids, -1)
        result = super()._write_multi(vals_list)
        if touched:
            self.env["crm.analytics.dirty"]._mark_lines(self.ids, 1)
        return result

    def unlink(self):
        # what is taken out is what is stored: pending changes first (unlink
        # would flush them after this hook)
        self.env.flush_all()
        self.env["crm.analytics.dirty"]._mark_lines(self.ids, -1)
        return super().unlink()
