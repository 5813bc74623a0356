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

    def _get_analytics_dirty_values(self):
        """(company, month, commercial partner) of the lines of confirmed orders."""
        return (
            (
                line.order_id.company_id.id,
                line.order_id.date_order.date().replace(day=1),
                line.order_id.partner_id.commercial_partner_id.id,
                line.product_id.id,
            )
            for line in self
            if line.order_id.state == "sale" and line.order_id.date_order
        )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.env["crm.analytics.dirty"]._mark_values(lines._get_analytics_dirty_values())
        return lines

    def _write_multi(self, vals_list):
        # also called when computed amounts, margins or delivered quantities
        # are flushed (see sale.order._write_multi)
        # before (the old product or order) and after the change
        touched = any(ANALYTICS_LINE_FIELDS.intersection(vals) for vals in vals_list)
        moved = any({"order_id", "product_id"}.intersection(vals) for vals in vals_list)
        if touched:
            self.env["crm.analytics.dirty"]._mark_lines(self.ids)
        result = super()._write_multi(vals_list)
        if moved:
            self.env["crm.analytics.dirty"]._mark_lines(self.ids)
        return result

    def unlink(self):
        self.env["crm.analytics.dirty"]._mark_values(self._get_analytics_dirty_values())
        return super().unlink()
