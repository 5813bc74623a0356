from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_control_policy = fields.Selection(
        selection=[
            ("off", "Off"),
            ("warn", "Warn"),
            ("block", "Block"),
        ],
        string="Credit Control",
        required=True,
        default="off",
        help="What happens when a sales order is confirmed for a customer over its "
        "credit limit or with old overdue invoices: nothing, a warning in the "
        "order's chatter, or the confirmation is refused until a credit manager "
        "approves the order.",
    )
    credit_overdue_days = fields.Integer(
        string="Overdue Tolerance (Days)",
        default=30,
        help="Confirmation is refused when the customer has an invoice overdue by more "
        "than this many days. 0 disables this rule.",
    )
    quotation_keep_others = fields.Boolean(
        string="Keep Other Quotations",
        help="When a quotation of an opportunity is confirmed, keep its other open "
        "quotations instead of cancelling them.",
    )
    distributor_opportunity_type_id = fields.Many2one(
        comodel_name="crm.opportunity.type",
        string="Distributor Opportunity Type",
        help="Type given to the opportunities created from an approved deal registration.",
    )
