from odoo import api, fields, models
from odoo.tools import format_amount


class SaleCreditApproval(models.TransientModel):
    _name = "sale.credit.approval"
    _description = "Credit Approval of a Sales Order"

    order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Order",
        required=True,
        readonly=True,
    )
    partner_id = fields.Many2one(related="order_id.partner_id")
    currency_id = fields.Many2one(related="order_id.currency_id")
    amount_total = fields.Monetary(related="order_id.amount_total")
    credit_warning = fields.Text(
        string="Credit Situation",
        compute="_compute_credit_warning",
    )
    reason = fields.Text(
        required=True,
        help="Why this order may exceed the customer's credit (kept in the chatter).",
    )

    @api.depends("order_id")
    def _compute_credit_warning(self):
        for wizard in self:
            order = wizard.order_id
            company = order.company_id
            position = order.partner_id._get_credit_positions(company)[order.partner_id]
            currency = company.currency_id

            def fmt(value, currency=currency):
                return format_amount(self.env, value, currency)

            wizard.credit_warning = self.env._(
                "Limit %(limit)s, used %(used)s, available %(available)s, overdue %(overdue)s.",
                limit=fmt(position.limit),
                used=fmt(position.used),
                available=fmt(position.available),
                overdue=fmt(position.overdue_amount),
            )

    def action_approve(self):
        self.ensure_one()
        self.order_id._approve_credit(self.reason)
        return {"type": "ir.actions.act_window_close"}
