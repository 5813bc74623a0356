from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    distributor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Distributor",
        index="btree_not_null",
        domain=[("is_distributor", "=", True)],
        tracking=True,
        help="Distributor through which this deal comes (the assigned partner).",
    )
    registration_id = fields.Many2one(
        comodel_name="crm.deal.registration",
        string="Deal Registration",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )

    # ------------------------------------------------------------------
    # Deal registration ("reg" block)
    # ------------------------------------------------------------------
    registration_line_ids = fields.One2many(
        related="registration_id.line_ids",
        string="Registered Products",
    )
    registration_protection_end_date = fields.Date(
        related="registration_id.protection_end_date",
        string="Protected Until",
    )
    # End of "reg" block

    # ------------------------------------------------------------------
    # MATCHING
    # ------------------------------------------------------------------
    def _get_match_exclude(self):
        """Nor its own source registration: the deal the distributor
        registered is this opportunity, not another claim on its customer."""
        exclude = super()._get_match_exclude()
        if self.registration_id:
            exclude["crm.deal.registration"] = self.registration_id.ids
        return exclude
