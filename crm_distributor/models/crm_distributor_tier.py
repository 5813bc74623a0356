from odoo import api, fields, models


class CrmDistributorTier(models.Model):
    """Level of a distributor (金牌, 银牌, ...): how long its registrations are
    protected and how many it may keep open at once."""

    _name = "crm.distributor.tier"
    _description = "Distributor Tier"
    _order = "sequence, id"

    name = fields.Char(
        string="Tier",
        required=True,
        translate=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    protection_days = fields.Integer(
        required=True,
        default=90,
        help="Number of days an approved registration protects the end customer for the "
        "distributor.",
    )
    max_open_registrations = fields.Integer(
        string="Maximum Open Registrations",
        required=True,
        default=50,
        help="How many registrations a distributor of this tier may have submitted or "
        "protected at the same time, however they are entered (portal form, upload, "
        "back office).",
    )
    distributor_ids = fields.One2many(
        comodel_name="res.partner",
        inverse_name="distributor_tier_id",
        string="Distributors",
    )
    distributor_count = fields.Integer(
        compute="_compute_distributor_count",
    )

    _sql_constraints = [
        (
            "protection_days_positive",
            "CHECK(protection_days > 0)",
            "The protection of a tier must last at least one day.",
        ),
        (
            "max_open_registrations_positive",
            "CHECK(max_open_registrations > 0)",
            "A tier must allow at least one open registration.",
        ),
    ]

    @api.depends("distributor_ids")
    def _compute_distributor_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                domain=[("distributor_tier_id", "in", self.ids)],
                groupby=["distributor_tier_id"],
                aggregates=["__count"],
            )
        )
        for tier in self:
            tier.distributor_count = counts.get(tier, 0)
