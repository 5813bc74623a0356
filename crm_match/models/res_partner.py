from odoo import api, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "crm.match.mixin"]

    # ------------------------------------------------------------
    # MATCHING (crm.match.mixin hooks)
    # ------------------------------------------------------------
    @api.model
    def _match_source_fields(self):
        return [
            "name",
            "is_company",
            "parent_id",
            "complete_name",
            "company_name",
            "vat",
            "email",
            "phone",
            "mobile",
            "website",
            "country_id",
        ]

    @api.model
    def _match_values_from_data(self, data):
        """A company is matched on its name; a contact of a company on its
        person name, e-mail and phones (its company is matched on the
        company's record); an individual without company on both."""
        is_contact = not data["is_company"] and data["parent_id"]
        country = data["country_id"]
        if isinstance(country, int):
            country = self.env["res.country"].browse(country)
        return {
            "name": False if is_contact else data["name"],
            "contact_name": False if data["is_company"] else data["name"],
            "search_name": data["complete_name"] or data["name"],
            # a contact shares its company's credit code and web site: they
            # identify the company, which is matched on its own record
            "vat": False if is_contact else data["vat"],
            "email": data["email"],
            "phone": data["phone"],
            "mobile": data["mobile"],
            "website": False if is_contact else data["website"],
            "company_domain": not is_contact,
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
