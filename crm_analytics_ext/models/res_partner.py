from odoo import models
from odoo.tools import SQL

# Fields of a partner that give the customer, channel and distributor of its orders' facts.
ANALYTICS_PARTNER_FIELDS = {"commercial_partner_id", "is_distributor"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _write_multi(self, vals_list):
        # the orders of the partner, and of the contacts of a company, move to
        # another customer or channel
        touched = any(ANALYTICS_PARTNER_FIELDS.intersection(vals) for vals in vals_list)
        condition = SQL(
            "so.partner_id IN (SELECT id FROM res_partner "
            "WHERE id = ANY(%s) OR commercial_partner_id = ANY(%s))",
            self.ids,
            self.ids,
        )
        if touched:
            self.env["crm.analytics.dirty"]._mark(condition, -1)
        result = super()._write_multi(vals_list)
        if touched:
            self.env["crm.analytics.dirty"]._mark(condition, 1)
        return result
