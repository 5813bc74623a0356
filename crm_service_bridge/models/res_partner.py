from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    installed_base_count = fields.Integer(
        string="Installed Base",
        compute="_compute_installed_base_count",
    )
    visit_count = fields.Integer(
        string="Visits",
        compute="_compute_visit_count",
    )

    def _compute_installed_base_count(self):
        """Units the customer uses (its commercial entity is the end customer)."""
        counts = dict(
            self.env["stock.lot"]._read_group(
                domain=[("end_customer_id", "in", self.commercial_partner_id.ids)],
                groupby=["end_customer_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.installed_base_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_visit_count(self):
        counts = dict(
            self.env["crm.visit"]._read_group(
                domain=[("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                groupby=["commercial_partner_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.visit_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_installed_base(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_service_bridge.stock_lot_action_installed_base"
        )
        action["domain"] = [("end_customer_id", "=", self.commercial_partner_id.id)]
        return action

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("crm_service_bridge.crm_visit_action")
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_timeline(self):
        """The customer's timeline: everything the company did with its commercial entity."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_service_bridge.crm_customer_timeline_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["display_name"] = self.env._(
            "Timeline: %(customer)s", customer=self.commercial_partner_id.display_name
        )
        return action
