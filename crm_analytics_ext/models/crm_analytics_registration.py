from odoo import fields, models
from odoo.tools import SQL


class CrmAnalyticsRegistration(models.Model):
    """Registration metrics per distributor, tier and province: a row per submitted registration."""

    _name = "crm.analytics.registration"
    _description = "Channel Analytics: Registrations"
    _auto = False
    _rec_name = "registration_id"
    _order = "submit_date desc"

    registration_id = fields.Many2one(
        comodel_name="crm.deal.registration",
        string="Registration",
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        readonly=True,
    )
    distributor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Distributor",
        readonly=True,
    )
    channel_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Channel Manager",
        readonly=True,
    )
    tier_id = fields.Many2one(
        comodel_name="crm.distributor.tier",
        string="Tier",
        readonly=True,
    )
    state_id = fields.Many2one(
        comodel_name="res.country.state",
        string="Province",
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        readonly=True,
    )
    state = fields.Selection(
        selection=lambda self: self.env["crm.deal.registration"]._fields["state"].selection,
        string="Status",
        readonly=True,
    )
    submit_date = fields.Datetime(
        string="Submitted On",
        readonly=True,
    )
    submitted_count = fields.Integer(
        string="Submitted",
        readonly=True,
    )
    approved_count = fields.Integer(
        string="Approved",
        readonly=True,
    )
    rejected_count = fields.Integer(
        string="Rejected",
        readonly=True,
    )
    conflict_count = fields.Integer(
        string="Conflicts",
        readonly=True,
    )
    expired_count = fields.Integer(
        string="Expired",
        readonly=True,
    )
    won_count = fields.Integer(
        string="Won",
        readonly=True,
    )
    approve_days = fields.Float(
        string="Days to Approve",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
    )
    expected_revenue = fields.Float(
        readonly=True,
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT registration.id AS id, registration.id AS registration_id,
                   registration.company_id, registration.distributor_id,
                   registration.channel_manager_id, distributor.distributor_tier_id AS tier_id,
                   registration.state_id,
                   lead.user_id, registration.state, registration.submit_date,
                   1 AS submitted_count,
                   CASE WHEN registration.approve_date IS NOT NULL THEN 1 ELSE 0 END
                       AS approved_count,
                   CASE WHEN registration.state = 'rejected' THEN 1 ELSE 0 END AS rejected_count,
                   CASE WHEN registration.is_conflict THEN 1 ELSE 0 END AS conflict_count,
                   CASE WHEN registration.state = 'expired' THEN 1 ELSE 0 END AS expired_count,
                   CASE WHEN stage.is_won AND lead.active THEN 1 ELSE 0 END AS won_count,
                   registration.approve_date - registration.submit_date::date AS approve_days,
                   registration.expected_revenue
              FROM crm_deal_registration registration
              JOIN res_partner distributor ON distributor.id = registration.distributor_id
              LEFT JOIN crm_lead lead ON lead.id = registration.lead_id
              LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
             WHERE registration.submit_date IS NOT NULL
            """
        )

    def action_open_registrations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_distributor.crm_deal_registration_action"
        )
        action.update(
            domain=[("id", "in", self.registration_id.ids)],
            context={"create": False},
        )
        return action
