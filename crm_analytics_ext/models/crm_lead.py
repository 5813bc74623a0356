from odoo import models
from odoo.tools import SQL

# Fields of an opportunity that give the channel and distributor of its orders' facts.
ANALYTICS_LEAD_FIELDS = {"distributor_id", "source_id"}


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def _write_multi(self, vals_list):
        # the orders of the opportunity move to another channel or distributor
        touched = any(ANALYTICS_LEAD_FIELDS.intersection(vals) for vals in vals_list)
        condition = SQL("so.opportunity_id = ANY(%s)", self.ids)
        if touched:
            self.env["crm.analytics.dirty"]._mark(condition, -1)
        result = super()._write_multi(vals_list)
        if touched:
            self.env["crm.analytics.dirty"]._mark(condition, 1)
        return result
