from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    installed_base_count = fields.Integer(
        string="Installed Base",
        compute="_compute_installed_base_count",
    )

    @api.depends("partner_id")
    def _compute_installed_base_count(self):
        # the customer's count, computed once for all the partners read together
        for lead in self:
            lead.installed_base_count = lead.partner_id.installed_base_count

    def action_view_installed_base(self):
        self.ensure_one()
        return self.partner_id.action_view_installed_base()

    def action_view_timeline(self):
        self.ensure_one()
        return self.partner_id.action_view_timeline()
