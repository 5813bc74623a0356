from odoo import api, fields, models


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
    amount = fields.Monetary(
        string="Approved Amount",
        compute="_compute_amount",
        store=True,
        readonly=False,
        help="The order may be confirmed, or grow once confirmed, up to this amount; "
        "any larger amount needs a new approval.",
    )
    credit_warning = fields.Text(
        string="Credit Situation",
        compute="_compute_credit_warning",
    )
    reason = fields.Text(
        required=True,
        help="Why this order may exceed the customer's credit (kept in the chatter).",
    )

    @api.depends("order_id")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = wizard.order_id.amount_total

    @api.depends("order_id", "amount")
    def _compute_credit_warning(self):
        for wizard in self:
            order = wizard.order_id
            if not order:
                wizard.credit_warning = False
                continue
            company = order.company_id
            partner = order.partner_id.commercial_partner_id
            position = partner._get_credit_positions(company)[partner]
            amount = 0.0 if order.state == "sale" else order._get_credit_amount()
            wizard.credit_warning = "\n".join(
                partner._get_credit_situation_lines(company, position, amount)
            )

    def action_approve(self):
        self.ensure_one()
        self.order_id._approve_credit(self.reason, amount=self.amount)
        return {"type": "ir.actions.act_window_close"}
