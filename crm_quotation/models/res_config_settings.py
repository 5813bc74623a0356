from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_control_policy = fields.Selection(
        related="company_id.credit_control_policy",
        readonly=False,
    )
    credit_overdue_days = fields.Integer(
        related="company_id.credit_overdue_days",
        readonly=False,
    )
    quotation_keep_others = fields.Boolean(
        related="company_id.quotation_keep_others",
        readonly=False,
    )
    distributor_opportunity_type_id = fields.Many2one(
        related="company_id.distributor_opportunity_type_id",
        readonly=False,
    )
