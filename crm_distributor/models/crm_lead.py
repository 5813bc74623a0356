from odoo import api, fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.match.mixin"]

    distributor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Distributor",
        index="btree_not_null",
        domain=[("is_distributor", "=", True)],
        tracking=True,
        help="Distributor through which this deal comes (the assigned partner).",
    )
    registration_id = fields.Many2one(
        comodel_name="crm.deal.registration",
        string="Deal Registration",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )

    # ------------------------------------------------------------
    # MATCHING (crm.match.mixin hooks)
    # ------------------------------------------------------------
    @api.model
    def _match_source_fields(self):
        return [
            "name",
            "partner_name",
            "contact_name",
            "email_from",
            "phone",
            "mobile",
            "website",
            "country_id",
        ]

    @api.model
    def _match_values_from_data(self, data):
        country = data["country_id"]
        if isinstance(country, int):
            country = self.env["res.country"].browse(country)
        company = data["partner_name"]
        title = data["name"]
        search_name = company if not title or title == company else f"{company or ''} {title}"
        return {
            "name": company,
            "contact_name": data["contact_name"],
            "search_name": search_name.strip(),
            "email": data["email_from"],
            "phone": data["phone"],
            "mobile": data["mobile"],
            "website": data["website"],
            "country_code": country.code if country else False,
        }
