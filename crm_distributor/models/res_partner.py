from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

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
