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
        """The customer's recent contacts, without this meeting itself (also
        while it is edited in a form: its ``_origin``)."""
        self.ensure_one()
        partner, lead = self._get_meeting_customer()
        if not (partner or lead) or not self.start:
            return []
        company = self.env.company
        contacts = self.env["crm.customer.timeline"]._find_recent_contacts(
            partner, lead, self.start, company.service_contact_window_days, self.user_id
        )
        return [
            contact
            for contact in contacts
            if not (contact["res_model"] == self._name and contact["res_id"] == self._origin.id)
        ]

    @api.depends("partner_ids", "opportunity_id", "start", "user_id")
    @api.depends_context("uid")
    def _compute_recent_contact_summary(self):
        Timeline = self.env["crm.customer.timeline"]
        for event in self:
            event.recent_contact_summary = (
                Timeline._format_contacts(event._get_recent_contacts()) or False
            )

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        # the occurrences of a recurrence are created with this key: their
        # first event has told the people concerned already
        if not self.env.context.get("no_mail_to_attendees"):
            for event in events:
                event._notify_recent_contacts()
        return events

    def _notify_recent_contacts(self):
        """Once a meeting with a customer is planned, the colleagues (and the
        channel managers of the distributors) who touched the same customer
        recently are told, once; the attendees know already."""
        self.ensure_one()
        partner, lead = self._get_meeting_customer()
        users = (
            self.env["crm.customer.timeline"]
            ._get_users_to_notify(self._get_recent_contacts())
            .filtered(lambda user: user != self.user_id and user.partner_id not in self.partner_ids)
        )
        if not users:
            return
        self.message_post(
            body=self.env._(
                "%(user)s plans the meeting %(meeting)s with %(customer)s on %(date)s; you "
                "were in touch with this customer recently.",
                user=self.user_id.name or self.env.user.name,
                meeting=self.name,
                customer=(partner.commercial_partner_id or lead).display_name,
                date=fields.Date.to_string(self.start.date()),
            ),
            partner_ids=users.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
