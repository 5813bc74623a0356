from odoo import models


class CrmDealRegistrationLine(models.Model):
    _inherit = "crm.deal.registration.line"

    def _prepare_lead_line_values(self):
        """Values of the opportunity line made from this registered product."""
        self.ensure_one()
        values = {
            "sequence": self.sequence,
            "product_id": self.product_id.id,
            "product_uom_qty": self.quantity,
        }
        if self.name:
            values["name"] = self.name
        if self.price_unit:
            values["price_unit"] = self.price_unit
        return values
