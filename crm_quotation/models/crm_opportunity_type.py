from odoo import api, fields, models


class CrmOpportunityType(models.Model):
    """A kind of deal (project sale, repeat order, tender...) with its own pipeline."""

    _name = "crm.opportunity.type"
    _description = "Opportunity Type"
    _order = "sequence, id"

    name = fields.Char(
        required=True,
        translate=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(
        translate=True,
    )
    stage_ids = fields.Many2many(
        comodel_name="crm.stage",
        relation="crm_opportunity_type_stage_rel",
        column1="opportunity_type_id",
        column2="stage_id",
        string="Stages",
    )
    lead_count = fields.Integer(
        string="Open Opportunities",
        compute="_compute_lead_count",
    )

    _sql_constraints = [
        ("name_uniq", "unique (name)", "An opportunity type with this name already exists."),
    ]

    def _compute_lead_count(self):
        counts = dict(
            self.env["crm.lead"]._read_group(
                domain=[("opportunity_type_id", "in", self.ids), ("type", "=", "opportunity")],
                groupby=["opportunity_type_id"],
                aggregates=["__count"],
            )
        )
        for opportunity_type in self:
            opportunity_type.lead_count = counts.get(opportunity_type, 0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_pipeline(self):
        """The pipeline of this type: only its stages are shown as columns."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("crm.crm_lead_action_pipeline")
        action["display_name"] = self.display_name
        action["domain"] = [("type", "=", "opportunity"), ("opportunity_type_id", "=", self.id)]
        action["context"] = {
            "default_type": "opportunity",
            "default_opportunity_type_id": self.id,
        }
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_type_from_domain(self, domain):
        """The type a pipeline domain is restricted to, from ``opportunity_type_id = X``."""
        for leaf in domain or []:
            if (
                isinstance(leaf, list | tuple)
                and len(leaf) == 3
                and leaf[0] == "opportunity_type_id"
                and leaf[1] == "="
                and isinstance(leaf[2], int)
            ):
                return self.browse(leaf[2])
        return self.browse()

    def _map_stage(self, stage):
        """The stage of this type matching ``stage``: itself, same name, or the first one."""
        self.ensure_one()
        stages = self.stage_ids.sorted(lambda s: (s.sequence, s.id))
        if stage in stages:
            return stage
        name = (stage.name or "").strip().casefold()
        same_name = stages.filtered(lambda s: (s.name or "").strip().casefold() == name)
        return same_name[:1] or stages.filtered(lambda s: not s.fold)[:1] or stages[:1]
