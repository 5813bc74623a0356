from odoo import models

# Fields of an order that change its place or weight in the monthly facts.
ANALYTICS_ORDER_FIELDS = {
    "company_id",
    "currency_rate",
    "date_order",
    "opportunity_id",
    "partner_id",
    "state",
    "user_id",
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _write_multi(self, vals_list):
        # Every flush of stored fields, computed ones included, ends here: the
        # queue sees every path (web client, RPC, import, automation,
        # recomputes). The months before and after the change are both queued.
        touched = any(ANALYTICS_ORDER_FIELDS.intersection(vals) for vals in vals_list)
        if touched:
            self.env["crm.analytics.dirty"]._mark_orders(self.ids)
        result = super()._write_multi(vals_list)
        if touched:
            self.env["crm.analytics.dirty"]._mark_orders(self.ids)
        return result

    def unlink(self):
        self.env["crm.analytics.dirty"]._mark_values(
            (
                order.company_id.id,
                order.date_order.date().replace(day=1),
                order.partner_id.commercial_partner_id.id,
                line.product_id.id,
            )
            for order in self
            if order.state == "sale" and order.date_order
            for line in order.order_line
        )
        return super().unlink()
