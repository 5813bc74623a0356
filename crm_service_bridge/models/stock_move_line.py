from odoo import fields, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _get_custody_event(self):
        """``"delivery"``, ``"return"``, ``"scrap"`` or ``None`` for this done line."""
        self.ensure_one()
        source, dest = self.location_id, self.location_dest_id
        if dest.usage == "customer" and source.usage != "customer":
            return "delivery"
        if source.usage == "customer" and dest.usage != "customer":
            return "return"
        if dest.scrap_location and not source.scrap_location:
            return "scrap"
        return None

    def _update_unit_custody(self):
        """Deliveries, returns and scraps of serials update their units.

        Grouped per transfer and event: one write of all its units (per
        warranty length), never one per serial.
        """
        groups = {}
        for line in self.filtered(lambda ml: ml.lot_id and ml.state == "done"):
            event = line._get_custody_event()
            if not event:
                continue
            picking = line.picking_id or line.move_id.picking_id
            partner = picking.partner_id or line.move_id.partner_id
            key = (event, picking, partner.commercial_partner_id)
            group = groups.setdefault(key, {"lot_ids": [], "order": None})
            group["lot_ids"].append(line.lot_id.id)
            group["order"] = group["order"] or line.move_id.sale_line_id.order_id
        for (event, picking, holder), group in groups.items():
            moment = picking.date_done or fields.Datetime.now()
            date = fields.Date.context_today(self, moment)
            lots = self.env["stock.lot"].browse(list(dict.fromkeys(group["lot_ids"])))
            lots._apply_custody_event(event, holder, date, picking, group["order"])
