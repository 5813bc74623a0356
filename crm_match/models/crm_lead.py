from odoo import api, models

# Leads the engine adds to "Similar Leads" at most, and the kinds of match
# that make a lead similar (a homophone is another customer).
SIMILAR_LEADS_LIMIT = 20
SIMILAR_LEAD_KINDS = ("same", "probable")


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.match.mixin"]

    # ------------------------------------------------------------
    # MATCHING (crm.match.mixin hooks; similar leads)
    # ------------------------------------------------------------
    @api.depends("partner_name", "contact_name", "website", "country_id", "mobile")
    def _compute_potential_lead_duplicates(self):
        """Core's "Similar Leads" (same company e-mail domain, phone, customer),
        kept as Odoo decides them, plus the leads the matching engine finds
        the same or probably the same customer (name however written,
        e-mail, phones, web domain), in one batch for all the leads. The
        engine adds no lead of this lead's own customer: that is repeat
        business, which core's own rule (same commercial entity) lists."""
        result = super()._compute_potential_lead_duplicates()
        # keyed by position: a lead being edited has no database id yet
        leads = list(self.filtered(lambda lead: lead.partner_name or lead.contact_name))
        found = {}
        if leads:
            found = self.env["crm.match.engine"]._find_matches_batch(
                {index: lead._prepare_similar_lead_values() for index, lead in enumerate(leads)},
                limit=SIMILAR_LEADS_LIMIT,
                exclude={index: lead._get_match_exclude() for index, lead in enumerate(leads)},
            )
        position = {lead: index for index, lead in enumerate(leads)}
        for lead in self:
            similar = lead.duplicate_lead_ids - lead
            matched_ids = [
                match["res_id"]
                for match in found.get(position.get(lead), [])
                if match["model"] == "crm.lead" and match["kind"] in SIMILAR_LEAD_KINDS
            ]
            added = self.browse(matched_ids) - similar
            customer = lead.partner_id.commercial_partner_id
            if customer:
                # sudo: core lists leads the user may not read (see its
                # return_if_relevant); only their customer is compared here
                added = added.filtered(
                    lambda other, customer=customer: other.sudo().partner_id.commercial_partner_id
                    != customer
                )
            similar |= added
            lead.duplicate_lead_ids = similar + lead
            lead.duplicate_lead_count = len(similar)
        return result

    def _prepare_similar_lead_values(self):
        """The lead's values for the engine, under core's rule for e-mail
        domains: a domain Odoo treats as a mail provider
        (`email_domain_criterion` holds the whole address, not "@domain") is
        no evidence of the same company."""
        self.ensure_one()
        values = self._prepare_match_values()
        criterion = self.email_domain_criterion
        if criterion and not criterion.startswith("@") and not self.website:
            values["company_domain"] = False
        return values

    def _get_match_exclude(self):
        """{model: ids} the engine does not return as this lead's similar
        records: itself and its own customer (partner, company and the
        company's contacts)."""
        self.ensure_one()
        company = self.partner_id.commercial_partner_id
        partner = company | self.partner_id | company.child_ids
        return {"crm.lead": self._origin.ids, "res.partner": partner.ids}

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
