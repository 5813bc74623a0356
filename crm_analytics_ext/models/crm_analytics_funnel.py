from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.sql import insert_query_rows

FUNNEL_CHANNELS = [
    ("direct", "Direct"),
    ("distributor", "Through a Distributor"),
    ("registration", "Distributor Registration"),
    ("trade_fair", "Trade Fair"),
]


class CrmAnalyticsFunnel(models.Model):
    """Leads → opportunities → won, by source, medium and channel: one row per lead.

    Counts are 0/1 per lead so that every grouping of the pivot sums them, the
    cycle time of won opportunities is averaged. A narrow table kept by the
    analytics job (the leads written since its last run, all of them once a
    day; a deleted lead takes its row along) rather than a view on the wide
    ``crm_lead``: a chart over half a million leads reads a few columns.
    """

    _name = "crm.analytics.funnel"
    _description = "Channel Analytics: Funnel"
    _log_access = False
    _rec_name = "lead_id"
    _order = "create_date desc"

    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Lead",
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        readonly=True,
        index=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        readonly=True,
        index=True,
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
        index=True,
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

    @api.model
    def _funnel_query(self, lead_ids):
        """The funnel rows of the leads ``lead_ids`` (None: of every lead)."""
        trade_fair = self.env.ref("crm_distributor.utm_source_trade_fair", raise_if_not_found=False)
        won = SQL("(stage.is_won IS TRUE AND lead.active)")
        return SQL(
            """
            SELECT lead.id AS lead_id, lead.company_id, lead.user_id, lead.team_id,
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
             WHERE %(scope)s
            """,
            trade_fair=trade_fair.id if trade_fair else 0,
            won=won,
            scope=SQL("TRUE") if lead_ids is None else SQL("lead.id = ANY(%s)", list(lead_ids)),
        )

    @api.model
    def _refresh_funnel(self, lead_ids=None):
        """Write the funnel rows of the leads ``lead_ids`` anew (None: the whole funnel)."""
        self.env.flush_all()
        cr = self.env.cr
        table = SQL.identifier(self._table)
        if lead_ids is None:
            cr.execute(SQL("TRUNCATE %s", table))
        elif not lead_ids:
            return
        else:
            cr.execute(SQL("DELETE FROM %s WHERE lead_id = ANY(%s)", table, list(lead_ids)))
        insert_query_rows(
            cr,
            self._table,
            self._funnel_query(lead_ids),
            analyze=lead_ids is None,
        )
        self.invalidate_model()

    @api.model
    def _get_changed_leads(self, since):
        """The leads (archived ones too) written since ``since``."""
        self.env.cr.execute(SQL("SELECT id FROM crm_lead WHERE write_date >= %s", since))
        return [lead_id for (lead_id,) in self.env.cr.fetchall()]

    def action_open_leads(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action.update(
            domain=[("id", "in", self.lead_id.ids), ("active", "in", (True, False))],
            context={"create": False},
            views=[(False, "list"), (False, "form")],
        )
        return action
