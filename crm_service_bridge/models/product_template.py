from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    warranty_months = fields.Integer(
        string="Warranty (months)",
        default=12,
        help="Warranty given from the delivery date of each serial number; the installed "
        "base shows which delivered units are still under warranty.",
    )

    warranty_cap_months = fields.Integer(
        string="Warranty Starts At Latest (months)",
        help="For units sold through distributors: the warranty starts at the sell-out but "
        "no later than this many months after delivery to the distributor. 0: the "
        "company's policy.",
    )

    _sql_constraints = [
        (
            "warranty_months_positive",
            "CHECK(warranty_months >= 0)",
            "The warranty cannot be negative.",
        ),
    ]
