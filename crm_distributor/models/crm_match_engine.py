from odoo import api, models


class CrmMatchEngine(models.AbstractModel):
    _inherit = "crm.match.engine"

    @api.model
    def _get_match_models(self):
        """Deal registrations are a match source: a customer registered by a
        distributor is found like a partner or a lead."""
        return [*super()._get_match_models(), "crm.deal.registration"]
