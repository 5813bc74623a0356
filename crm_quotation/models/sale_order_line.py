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

    @api.depends(
        "product_id",
        "customer_lead",
        "product_uom_qty",
        "product_uom",
        "order_id.commitment_date",
        "move_ids",
        "move_ids.forecast_expected_date",
        "move_ids.forecast_availability",
        "warehouse_id",
    )
    def _compute_qty_at_date(self):
        if self.env["stock.move"].has_access("read") and self.env["stock.quant"].has_access("read"):
            return super()._compute_qty_at_date()
        # sudo: the availability widget of the lines reads stock moves and quants; a
        # finance reader opening an order sees these figures without stock rights
        return super(SaleOrderLine, self.sudo())._compute_qty_at_date()
