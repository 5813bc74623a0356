from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_distributor = fields.Boolean(
        string="Distributor",
        index=True,
        help="This partner resells the company's products; its portal users register "
        "end customers and deals for it.",
    )
