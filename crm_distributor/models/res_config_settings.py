from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    registration_provisional_days = fields.Integer(
        related="company_id.registration_provisional_days",
        readonly=False,
    )
    registration_max_open = fields.Integer(
        related="company_id.registration_max_open",
        readonly=False,
    )
