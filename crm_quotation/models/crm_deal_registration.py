from odoo import Command, models


class CrmDealRegistration(models.Model):
    _inherit = "crm.deal.registration"

    def _prepare_lead_values(self):
        """The registered products become the opportunity's lines; distributor type."""
        values = super()._prepare_lead_values()
        opportunity_type = self.company_id.distributor_opportunity_type_id
        if opportunity_type:
            values["opportunity_type_id"] = opportunity_type.id
        if self.line_ids:
            values["line_ids"] = [
                Command.create(line._prepare_lead_line_values()) for line in self.line_ids
            ]
        return values
