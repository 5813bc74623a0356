from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    registration_provisional_days = fields.Integer(
        string="Provisional Protection (Days)",
        default=30,
        help="How long a submitted or returned registration holds its end customer while "
        "it waits for a decision; the daily job then releases it.",
    )
    registration_max_open = fields.Integer(
        string="Default Open Registrations",
        default=50,
        help="How many registrations a distributor without a tier may have submitted or "
        "protected at the same time.",
    )

    _sql_constraints = [
        (
            "registration_provisional_days_positive",
            "CHECK(registration_provisional_days > 0)",
            "The provisional protection must last at least one day.",
        ),
        (
            "registration_max_open_positive",
            "CHECK(registration_max_open > 0)",
            "A distributor must be allowed at least one open registration.",
        ),
    ]
