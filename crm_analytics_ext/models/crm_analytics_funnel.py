from odoo import fields, models
from odoo.tools import SQL

FUNNEL_CHANNELS = [
    ("direct", "Direct"),
    ("distributor", "Through a Distributor"),
    ("registration", "Distributor Registration"),
    ("trade_fair", "Trade Fair"),
]


class CrmAnalyticsFunnel(models.Model):
    """Leads → opportunities → won, by source, medium and channel: one row per lead.

    A live view on ``crm_lead`` (leads are a hundred times fewer than order
    lines): counts are 0/1 per lead so that every grouping of the pivot sums
    them, the cycle time of won opportunities is averaged.
    """

    _name = "crm.analytics.funnel"
    _description = "Channel Analytics: Funnel"
    _auto = False
    _rec_name = "lead_id"
    _order = "create_date desc"

    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Lead",
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        readonly=True,
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Sales Team",
        readonly=True,
    )
    source_id = fields.Many2one(
        comodel_name="utm.source",
        string="Source",
        readonly=True,
    )
    medium_id = fields.Many2one(
        comodel_name="utm.medium",
        string="Medium",
        readonly=True,
    )
    campaign_id = fields.Many2one(
        comodel_name="utm.campaign",
        string="Campaign",
        readonly=True,
    )
    distributor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Distributor",
        readonly=True,
    )
    channel = fields.Selection(
        selection=FUNNEL_CHANNELS,
        readonly=True,
    )
    create_date = fields.Datetime(
        string="Created On",
        readonly=True,
    )
    date_closed = fields.Datetime(
        string="Closed On",
        readonly=True,
    )
    lead_count = fields.Integer(
        string="Leads",
        readonly=True,
    )
    opportunity_count = fields.Integer(
        string="Opportunities",
        readonly=True,
    )
    won_count = fields.Integer(
        string="Won",
        readonly=True,
    )
    lost_count = fields.Integer(
        string="Lost",
        readonly=True,
    )
    cycle_days = fields.Float(
        string="Days to Win",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
    )
    expected_revenue = fields.Float(
        readonly=True,
    )

    @property
    def _table_query(self):
        trade_fair = self.env.ref("crm_distributor.utm_source_trade_fair", raise_if_not_found=False)
        won = SQL("(stage.is_won IS TRUE AND lead.active)")
        return SQL(
            """
            SELECT lead.id AS id, lead.id AS lead_id, lead.company_id, lead.user_id, lead.team_id,
                   lead.source_id, lead.medium_id, lead.campaign_id, lead.distributor_id,
                   CASE WHEN lead.registration_id IS NOT NULL THEN 'registration'
                        WHEN lead.source_id = %(trade_fair)s THEN 'trade_fair'
                        WHEN lead.distributor_id IS NOT NULL THEN 'distributor'
                        ELSE 'direct' END AS channel,
                   lead.create_date, lead.date_closed,
                   1 AS lead_count,
                   CASE WHEN lead.type = 'opportunity' THEN 1 ELSE 0 END AS opportunity_count,
                   CASE WHEN %(won)s THEN 1 ELSE 0 END AS won_count,
                   CASE WHEN NOT lead.active AND lead.probability = 0 THEN 1 ELSE 0 END
                       AS lost_count,
                   -- the closing date is kept to the second, the creation date is not:
                   -- a deal won in the second it was created took no time, not less
                   CASE WHEN %(won)s AND lead.date_closed IS NOT NULL
                        THEN GREATEST(EXTRACT(
                            EPOCH FROM lead.date_closed - date_trunc('second', lead.create_date)
                        ) / 86400.0, 0)
                   END AS cycle_days,
                   lead.expected_revenue
              FROM crm_lead lead
              LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
            """,
            trade_fair=trade_fair.id if trade_fair else 0,
            won=won,
        )

    def action_open_leads(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action.update(
            domain=[("id", "in", self.lead_id.ids), ("active", "in", (True, False))],
            context={"create": False},
            views=[(False, "list"), (False, "form")],
        )
        return action
