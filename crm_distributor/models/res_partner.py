from odoo import api, fields, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "crm.match.mixin"]

    is_distributor = fields.Boolean(
        string="Distributor",
        index=True,
        help="This partner resells the company's products; its portal users register "
        "end customers and deals for it.",
    )

    # ------------------------------------------------------------------
    # Distributor and end customer (deal registration: "reg" block)
    # ------------------------------------------------------------------
    distributor_tier_id = fields.Many2one(
        comodel_name="crm.distributor.tier",
        string="Distributor Tier",
        index="btree_not_null",
        tracking=True,
    )
    channel_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Channel Manager",
        index="btree_not_null",
        tracking=True,
        domain=[("share", "=", False)],
        help="Internal user who manages this distributor and reviews its registrations.",
    )
    territory_state_ids = fields.Many2many(
        comodel_name="res.country.state",
        relation="res_partner_distributor_territory_state_rel",
        column1="partner_id",
        column2="state_id",
        string="Territory (Provinces)",
    )
    territory_country_ids = fields.Many2many(
        comodel_name="res.country",
        relation="res_partner_distributor_territory_country_rel",
        column1="partner_id",
        column2="country_id",
        string="Territory (Countries)",
    )
    distributor_registration_ids = fields.One2many(
        comodel_name="crm.deal.registration",
        inverse_name="distributor_id",
        string="Registrations",
    )
    distributor_registration_count = fields.Integer(
        string="Registration Count",
        compute="_compute_distributor_registration_count",
    )
    is_end_customer = fields.Boolean(
        string="End Customer",
        index=True,
        copy=False,
        help="Registered through a distributor.",
    )
    end_customer_distributor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Held by Distributor",
        index="btree_not_null",
        copy=False,
        tracking=True,
        domain=[("is_distributor", "=", True)],
        help="Distributor whose approved registration currently protects this end customer.",
    )
    end_customer_since = fields.Date(
        string="Held Since",
        copy=False,
    )
    end_customer_protected_until = fields.Date(
        string="Protected Until",
        copy=False,
    )
    end_customer_ids = fields.One2many(
        comodel_name="res.partner",
        inverse_name="end_customer_distributor_id",
        string="End Customers",
    )
    end_customer_count = fields.Integer(
        string="End Customer Count",
        compute="_compute_end_customer_count",
    )

    @api.depends("distributor_registration_ids")
    def _compute_distributor_registration_count(self):
        counts = dict(
            self.env["crm.deal.registration"]._read_group(
                domain=[("distributor_id", "in", self.ids)],
                groupby=["distributor_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.distributor_registration_count = counts.get(partner, 0)

    @api.depends("end_customer_ids")
    def _compute_end_customer_count(self):
        counts = dict(
            self._read_group(
                domain=[("end_customer_distributor_id", "in", self.ids)],
                groupby=["end_customer_distributor_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.end_customer_count = counts.get(partner, 0)

    def action_view_distributor_registrations(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_distributor.crm_deal_registration_action"
        )
        action["domain"] = [("distributor_id", "=", self.id)]
        action["context"] = {"default_distributor_id": self.id}
        return action

    def action_view_end_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_distributor.res_partner_action_end_customer"
        )
        action["domain"] = [("end_customer_distributor_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # End of "reg" block
    # ------------------------------------------------------------------

    # ------------------------------------------------------------
    # MATCHING (crm.match.mixin hooks; search in the block below)
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
