from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_warranty_cap_months = fields.Integer(
        string="Warranty Starts At Latest (months after delivery)",
        default=6,
        help="A unit sold out by a distributor starts its warranty at the sell-out, but "
        "no later than this many months after its delivery to the distributor "
        "(0: no cap). A product may set its own.",
    )
    service_warranty_notice_months = fields.Integer(
        string="Propose Extension (months before warranty end)",
        default=2,
    )
    service_contact_window_days = fields.Integer(
        string="Recent Contacts Window (days)",
        default=30,
        help="Before a visit is planned, contacts with the same customer within this "
        "many days are shown.",
    )
