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
        # recomputes). The lines are taken out of the facts as stored before
        # the change and put back as stored after it.
        touched = any(ANALYTICS_ORDER_FIELDS.intersection(vals) for vals in vals_list)
        # a quotation that stays one is in no fact (its state, neither written now
        # nor pending, is the stored one): no query
        touched = touched and (
            any("state" in vals for vals in vals_list)
            or any(order.state == "sale" for order in self)
            or self.env.cache.has_dirty_fields(self, [self._fields["state"]])
        )
        if touched:
            self.env["crm.analytics.dirty"]._mark_orders(self.ids, -1)
        result = super()._write_multi(vals_list)
        if touched:
            self.env["crm.analytics.dirty"]._mark_orders(self.ids, 1)
        return result

    def unlink(self):
        # the lines go with the order (cascade): taken out as stored
        self.env.flush_all()
        self.env["crm.analytics.dirty"]._mark_orders(self.ids, -1)
        return super().unlink()
