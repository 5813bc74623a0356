from odoo import api, fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.match.mixin"]

    # ------------------------------------------------------------
    # MATCHING (crm.match.mixin hooks, possible existing customers)
    # ------------------------------------------------------------
    match_count = fields.Integer(
        string="Possible Existing Customers",
        compute="_compute_match_results",
    )
    match_results_html = fields.Html(
        string="Possible Existing Customers Found",
        compute="_compute_match_results",
        sanitize=False,
        help="Existing partners, leads and deal registrations that may be this lead's "
        "customer, for review; nothing is merged automatically.",
    )

    @api.depends(
        "partner_name",
        "contact_name",
        "email_from",
        "phone",
        "mobile",
        "website",
        "country_id",
        "partner_id",
    )
    def _compute_match_results(self):
        engine = self.env["crm.match.engine"]
        for lead in self:
            matches = engine._find_matches(
                lead._prepare_match_values(),
                limit=5,
                exclude=lead._get_match_exclude(),
            )
            lead.match_count = len(matches)
            lead.match_results_html = engine._render_matches(matches) if matches else False

    def _get_match_exclude(self):
        """Records not shown as this lead's possible customers: itself and
        the partner it is already linked to."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id | self.partner_id
        return {"crm.lead": [self._origin.id], "res.partner": partner.ids}

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
        search_name = " ".join(dict.fromkeys(filter(None, [company, title, data["contact_name"]])))
        return {
            "name": company,
            "contact_name": data["contact_name"],
            "search_name": search_name,
            "email": data["email_from"],
            "phone": data["phone"],
            "mobile": data["mobile"],
            "website": data["website"],
            "country_code": country.code if country else False,
        }

    # ------------------------------------------------------------
    # CUSTOMER SEARCH (through the crm.match.mixin key indexes)
    # ------------------------------------------------------------
    @api.model
    def _search_display_name(self, operator, value):
        """Characters (Chinese, one character and more), full pinyin, pinyin
        initials, credit code, phone and e-mail, through indexes: the stock
        `ILIKE '%term%'` on several columns scans the whole table."""
        domain = self._match_display_name_domain(operator, value)
        if domain is not None:
            return domain
        return super()._search_display_name(operator, value)

    @api.model
    @api.readonly
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """Ranked: exact name, then names starting with the term, initials,
        names containing it; shorter names (companies) before longer ones."""
        results = self._match_name_search_results(name, args, operator, limit)
        if results is not None:
            return results
        return super().name_search(name=name, args=args, operator=operator, limit=limit)
