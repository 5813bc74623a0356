from odoo import api, models

from .sale_order import CREDIT_CHECKED


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get(CREDIT_CHECKED):
            return super().create(vals_list)
        orders = self.env["sale.order"].browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        before = orders._get_confirmed_amounts()
        # a line added to a confirmed order makes it bigger: the credit policy applies
        with orders._credit_checked_change(orders.browse(before), before=before):
            lines = super().create(vals_list)
        return lines

    def write(self, vals):
        if self.env.context.get(CREDIT_CHECKED):
            return super().write(vals)
        before = self.order_id._get_confirmed_amounts()
        # a quantity, price, discount or tax raised on a confirmed order: same policy
        with self.order_id._credit_checked_change(self.order_id.browse(before), before=before):
            res = super().write(vals)
        return res
