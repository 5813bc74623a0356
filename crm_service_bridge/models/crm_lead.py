from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    installed_base_count = fields.Integer(
        string="Installed Base",
        compute="_compute_installed_base_count",
    )

    def _compute_installed_base_count(self):
        commercial = self.partner_id.commercial_partner_id
        counts = dict(
            self.env["crm.installed.base.report"]._read_group(
                domain=[("partner_id", "in", commercial.ids)],
                groupby=["partner_id"],
                aggregates=["__count"],
            )
        )
        for lead in self:
            lead.installed_base_count = counts.get(lead.partner_id.commercial_partner_id, 0)

    def action_view_installed_base(self):
        self.ensure_one()
        return self.partner_id.action_view_installed_base()
