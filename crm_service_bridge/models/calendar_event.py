from odoo import api, fields, models


class CalendarEvent(models.Model):
    """A meeting with a customer: who else touched it recently, as for a visit."""

    _inherit = "calendar.event"

    recent_contact_summary = fields.Text(
        string="Recent Contacts",
        compute="_compute_recent_contact_summary",
    )

    def _get_meeting_customer(self):
        """``(partner, lead)`` the meeting is with: the opportunity, else the first
        attendee who is not one of our users."""
        self.ensure_one()
        lead = self.opportunity_id
        outside = self.partner_ids.filtered(lambda partner: not partner.user_ids)
        return (lead.partner_id or outside[:1]), lead

    def _get_recent_contacts(self):
        self.ensure_one()
        partner, lead = self._get_meeting_customer()
        if not (partner or lead) or not self.start:
            return []
        company = self.env.company
        return self.env["crm.customer.timeline"]._find_recent_contacts(
            partner, lead, self.start, company.service_contact_window_days, self.user_id
        )

    @api.depends("partner_ids", "opportunity_id", "start", "user_id")
    @api.depends_context("uid")
    def _compute_recent_contact_summary(self):
        Timeline = self.env["crm.customer.timeline"]
        for event in self:
            contacts = [
                contact
                for contact in event._get_recent_contacts()
                if not (
                    contact["res_model"] == "calendar.event"
                    and contact["res_id"] == event._origin.id
                )
            ]
            event.recent_contact_summary = Timeline._format_contacts(contacts) or False
