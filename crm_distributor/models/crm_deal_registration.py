from odoo import api, fields, models


class CrmDealRegistration(models.Model):
    """A distributor's registration of an end customer and a deal (商机报备).

    Field names follow crm.lead's where they mean the same, so that the values
    flow into the opportunity created on approval (`_prepare_lead_values`).
    """

    _name = "crm.deal.registration"
    _description = "Deal Registration"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.match.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    distributor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Distributor",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_distributor", "=", True)],
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("returned", "Returned"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("converted", "Converted"),
            ("expired", "Expired"),
        ],
        string="Status",
        required=True,
        default="draft",
        index=True,
        tracking=True,
        copy=False,
    )
    # End customer, with crm.lead's field names
    partner_name = fields.Char(string="End Customer", required=True, tracking=True)
    vat = fields.Char(string="Unified Social Credit Code")
    contact_name = fields.Char(string="Contact Name")
    email_from = fields.Char(string="Email")
    phone = fields.Char(string="Phone")
    mobile = fields.Char(string="Mobile")
    street = fields.Char(string="Street")
    city = fields.Char(string="City")
    state_id = fields.Many2one(comodel_name="res.country.state", string="Province")
    country_id = fields.Many2one(comodel_name="res.country", string="Country")
    # Deal
    expected_revenue = fields.Monetary(string="Expected Revenue", currency_field="currency_id")
    date_deadline = fields.Date(string="Expected Closing")
    description = fields.Html(string="Notes")
    line_ids = fields.One2many(
        comodel_name="crm.deal.registration.line",
        inverse_name="registration_id",
        string="Products",
        copy=True,
    )
    # Outcome
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="End Customer Partner",
        index="btree_not_null",
        check_company=True,
        copy=False,
        tracking=True,
    )
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Opportunity",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )

    def _prepare_lead_values(self):
        """Values of the opportunity created when the registration is approved.

        Extension point: crm_quotation adds the product lines and the
        opportunity type.
        """
        self.ensure_one()
        return {
            "type": "opportunity",
            "name": self.partner_name,
            "partner_id": self.partner_id.id,
            "partner_name": self.partner_name,
            "contact_name": self.contact_name,
            "email_from": self.email_from,
            "phone": self.phone,
            "expected_revenue": self.expected_revenue,
            "date_deadline": self.date_deadline,
            "distributor_id": self.distributor_id.id,
            "registration_id": self.id,
            "company_id": self.company_id.id,
        }

    # ------------------------------------------------------------
    # MATCHING (crm.match.mixin hooks)
    # ------------------------------------------------------------
    @api.model
    def _match_source_fields(self):
        return [
            "partner_name",
            "contact_name",
            "vat",
            "email_from",
            "phone",
            "mobile",
            "country_id",
        ]

    @api.model
    def _match_values_from_data(self, data):
        country = data["country_id"]
        if isinstance(country, int):
            country = self.env["res.country"].browse(country)
        return {
            "name": data["partner_name"],
            "contact_name": data["contact_name"],
            "vat": data["vat"],
            "email": data["email_from"],
            "phone": data["phone"],
            "mobile": data["mobile"],
            "country_code": country.code if country else False,
        }
