from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, drop_view_if_exists

# ids of the view: the source row id times this, plus the source's position
ID_STRIDE = 64


class CrmCustomerTimeline(models.Model):
    """Everything that happened with a customer (commercial entity), newest first.

    A UNION ALL of the records themselves, one branch per source of
    ``_timeline_sources()``. Another addon adds a source by extending that
    hook (``super()`` + its own branch) and ``_get_timeline_kinds()``; the view
    is rebuilt when that addon is installed or updated.
    """

    _name = "crm.customer.timeline"
    _description = "Customer Timeline"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"

    date = fields.Datetime(readonly=True)
    kind = fields.Selection(
        selection="_get_timeline_kinds",
        readonly=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        readonly=True,
    )
    name = fields.Char(string="Description", readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Document",
        model_field="res_model",
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="By",
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        readonly=True,
    )

    @api.model
    def _get_timeline_kinds(self):
        return [
            ("lead", self.env._("Opportunity")),
            ("stage", self.env._("Stage Change")),
            ("quotation", self.env._("Quotation")),
            ("order", self.env._("Sales Order")),
            ("delivery", self.env._("Delivery")),
            ("registration", self.env._("Distributor Registration")),
            ("sell_out", self.env._("Distributor Sell-out")),
            ("service_request", self.env._("Service Request")),
            ("repair", self.env._("Repair")),
            ("visit", self.env._("Visit")),
            ("meeting", self.env._("Meeting")),
            ("activity", self.env._("Logged Activity")),
        ]

    @api.model
    def _timeline_sources(self):
        """``[SQL]``: each selects ``row_id, kind, date, partner_id, res_model,
        res_id, name, user_id, company_id``; ``partner_id`` is the commercial
        entity and ``row_id`` is unique within the branch."""
        return [
            SQL(
                """SELECT l.id AS row_id, 'lead' AS kind, l.create_date AS date,
                          p.commercial_partner_id AS partner_id, 'crm.lead' AS res_model,
                          l.id AS res_id, l.name AS name, l.user_id AS user_id,
                          l.company_id AS company_id
                     FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id"""
            ),
            SQL(
                """SELECT tv.id, 'stage', m.date, p.commercial_partner_id, 'crm.lead', l.id,
                          l.name || ': ' || COALESCE(tv.old_value_char, '') || ' → '
                              || COALESCE(tv.new_value_char, ''),
                          COALESCE(au.id, l.user_id), l.company_id
                     FROM mail_tracking_value tv
                     JOIN ir_model_fields f ON f.id = tv.field_id
                          AND f.model = 'crm.lead' AND f.name = 'stage_id'
                     JOIN mail_message m ON m.id = tv.mail_message_id
                     JOIN crm_lead l ON l.id = m.res_id AND m.model = 'crm.lead'
                     JOIN res_partner p ON p.id = l.partner_id
                LEFT JOIN res_users au ON au.partner_id = m.author_id AND au.share IS NOT TRUE"""
            ),
            SQL(
                """SELECT so.id,
                          CASE WHEN so.state = 'sale' THEN 'order' ELSE 'quotation' END,
                          so.date_order, p.commercial_partner_id, 'sale.order', so.id, so.name,
                          so.user_id, so.company_id
                     FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
                    WHERE so.state != 'cancel'"""
            ),
            SQL(
                """SELECT sp.id, 'delivery', sp.date_done, p.commercial_partner_id,
                          'stock.picking', sp.id, sp.name, sp.user_id, sp.company_id
                     FROM stock_picking sp
                     JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                          AND spt.code = 'outgoing'
                     JOIN res_partner p ON p.id = sp.partner_id
                    WHERE sp.state = 'done'"""
            ),
            SQL(
                """SELECT r.id, 'registration', COALESCE(r.submit_date, r.create_date),
                          p.commercial_partner_id, 'crm.deal.registration', r.id, r.name,
                          r.create_uid, r.company_id
                     FROM crm_deal_registration r JOIN res_partner p ON p.id = r.partner_id"""
            ),
            SQL(
                """SELECT s.id, 'sell_out', s.date::timestamp, p.commercial_partner_id,
                          'crm.sell.out', s.id, d.name, s.create_uid, s.company_id
                     FROM crm_sell_out s
                     JOIN res_partner p ON p.id = s.partner_id
                     JOIN res_partner d ON d.id = s.distributor_id"""
            ),
            SQL(
                """SELECT sr.id, 'service_request', sr.create_date, sr.commercial_partner_id,
                          'crm.service.request', sr.id, sr.name, sr.user_id, sr.company_id
                     FROM crm_service_request sr WHERE sr.commercial_partner_id IS NOT NULL"""
            ),
            SQL(
                """SELECT ro.id, 'repair', ro.create_date, p.commercial_partner_id,
                          'repair.order', ro.id, ro.name, ro.user_id, ro.company_id
                     FROM repair_order ro JOIN res_partner p ON p.id = ro.partner_id"""
            ),
            SQL(
                """SELECT v.id, 'visit', v.date, v.commercial_partner_id, 'crm.visit', v.id,
                          v.name, v.user_id, v.company_id
                     FROM crm_visit v"""
            ),
            SQL(
                """SELECT min(a.id), 'meeting', e.start, p.commercial_partner_id,
                          'calendar.event', e.id, e.name, e.user_id, NULL::integer
                     FROM calendar_attendee a
                     JOIN calendar_event e ON e.id = a.event_id AND e.active
                     JOIN res_partner p ON p.id = a.partner_id
                 GROUP BY e.id, p.commercial_partner_id"""
            ),
            SQL(
                """SELECT m.id, 'activity', m.date, p.commercial_partner_id, m.model, m.res_id,
                          COALESCE(t.name->>'en_US', '') || ': '
                              || COALESCE(regexp_replace(m.body, '<[^>]*>', '', 'g'), ''),
                          au.id, l.company_id
                     FROM mail_message m
                     JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
                     JOIN crm_lead l ON m.model = 'crm.lead' AND l.id = m.res_id
                     JOIN res_partner p ON p.id = l.partner_id
                LEFT JOIN res_users au ON au.partner_id = m.author_id AND au.share IS NOT TRUE"""
            ),
            SQL(
                """SELECT m.id, 'activity', m.date, p.commercial_partner_id, m.model, m.res_id,
                          COALESCE(t.name->>'en_US', '') || ': '
                              || COALESCE(regexp_replace(m.body, '<[^>]*>', '', 'g'), ''),
                          au.id, NULL::integer
                     FROM mail_message m
                     JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
                     JOIN res_partner p ON m.model = 'res.partner' AND p.id = m.res_id
                LEFT JOIN res_users au ON au.partner_id = m.author_id AND au.share IS NOT TRUE"""
            ),
        ]

    def _query(self):
        branches = [
            SQL(
                """SELECT (src.row_id::bigint * %(stride)s + %(index)s) AS id, src.kind::varchar,
                          src.date::timestamp AS date, src.partner_id::integer AS partner_id,
                          src.res_model::varchar AS res_model, src.res_id::integer AS res_id,
                          src.name::varchar AS name, src.user_id::integer AS user_id,
                          src.company_id::integer AS company_id
                     FROM (%(source)s) AS src(row_id, kind, date, partner_id, res_model,
                                              res_id, name, user_id, company_id)""",
                stride=ID_STRIDE,
                index=index,
                source=source,
            )
            for index, source in enumerate(self._timeline_sources())
        ]
        return SQL(" UNION ALL ").join(branches)

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    # ------------------------------------------------------------
    # RECENT CONTACTS ("no visit in the dark")
    # ------------------------------------------------------------

    @api.model
    def _get_match_values(self, partner=None, lead=None):
        """What the matching engine compares: the customer as the planner chose it."""
        if partner:
            commercial = partner.commercial_partner_id
            return {
                "name": commercial.name,
                "vat": commercial.vat,
                "email": partner.email or commercial.email,
                "phone": partner.phone or commercial.phone,
                "mobile": partner.mobile,
                "website": commercial.website,
                "country_id": commercial.country_id.id,
            }
        if lead:
            return {
                "name": lead.partner_name or lead.name,
                "email": lead.email_from,
                "phone": lead.phone,
                "mobile": lead.mobile,
                "website": lead.website,
                "contact_name": lead.contact_name,
                "country_id": lead.country_id.id,
            }
        return {}

    @api.model
    def _find_recent_contacts(self, partner, lead, moment, days, exclude_user):
        """Who else touched this customer within ``days`` of ``moment``.

        The customer is the partner and/or lead, plus what the matching engine
        recognises as the same (a lead typed differently, a prospect a
        distributor registered). Homophones are returned apart, never merged.
        :return: ``(contacts, homophones)``: ``contacts`` a list of dicts
            ``{kind, date, user, distributor, name, res_model, res_id, homophone}``
            newest first.
        """
        window_start = moment - timedelta(days=days)
        window_end = moment + timedelta(days=days)
        partner_ids = set(partner.commercial_partner_id.ids) if partner else set()
        lead_ids = set(lead.ids) if lead else set()
        registration_ids = set()
        homophone_of = {}
        values = self._get_match_values(partner, lead)
        if values.get("name"):
            # sudo: the planner must learn of colleagues' contacts even in records he
            # cannot open (another team's lead); only names, dates and authors are shown
            for match in self.env["crm.match.engine"].sudo().find_matches(values):
                target = (match["model"], match["res_id"])
                if match["kind"] == "homophone":
                    homophone_of[target] = match["display_name"]
                if match["model"] == "res.partner":
                    # sudo: the commercial entity of a matched partner, only its id
                    partner_ids.add(
                        self.env["res.partner"]
                        .sudo()
                        .browse(match["res_id"])
                        .commercial_partner_id.id
                    )
                elif match["model"] == "crm.lead":
                    lead_ids.add(match["res_id"])
                elif match["model"] == "crm.deal.registration":
                    registration_ids.add(match["res_id"])
        homophone_partners = {res_id for (model, res_id) in homophone_of if model == "res.partner"}
        contacts = []
        domain = [
            ("partner_id", "in", list(partner_ids)),
            ("date", ">=", window_start),
            ("date", "<=", window_end),
        ]
        for event in self.search(domain, limit=200):
            contacts.append(self._prepare_contact(event, event.partner_id.id in homophone_partners))
        # sudo: leads and registrations of other teams and distributors are shown
        # by name, date and author only, so nobody plans a visit unaware of them
        leads = self.env["crm.lead"].sudo().browse(lead_ids).exists()
        for other in leads.filtered(
            lambda rec: window_start <= (rec.write_date or rec.create_date) <= window_end
            and rec.partner_id.commercial_partner_id.id not in partner_ids
        ):
            contacts.append(
                {
                    "kind": "lead",
                    "date": other.write_date,
                    "user": other.user_id,
                    "distributor": self.env["res.partner"],
                    "name": other.name,
                    "res_model": "crm.lead",
                    "res_id": other.id,
                    "homophone": ("crm.lead", other.id) in homophone_of,
                }
            )
        registrations = self.env["crm.deal.registration"].sudo().browse(registration_ids).exists()
        for registration in registrations.filtered(
            lambda rec: window_start <= rec.create_date <= window_end
            and rec.partner_id.commercial_partner_id.id not in partner_ids
        ):
            contacts.append(
                {
                    "kind": "registration",
                    "date": registration.create_date,
                    "user": registration.channel_manager_id,
                    "distributor": registration.distributor_id,
                    "name": registration.name,
                    "res_model": "crm.deal.registration",
                    "res_id": registration.id,
                    "homophone": ("crm.deal.registration", registration.id) in homophone_of,
                }
            )
        contacts = [
            contact
            for contact in contacts
            if contact["kind"] in self._get_contact_kinds()
            and (
                contact["distributor"]
                or (
                    contact["user"].active
                    and not contact["user"].share
                    and contact["user"] != exclude_user
                )
            )
        ]
        contacts.sort(key=lambda contact: contact["date"], reverse=True)
        return contacts

    @api.model
    def _get_contact_kinds(self):
        """Timeline kinds that mean someone was in touch with the customer."""
        return {
            "lead",
            "stage",
            "quotation",
            "order",
            "registration",
            "sell_out",
            "service_request",
            "repair",
            "visit",
            "meeting",
            "activity",
        }

    @api.model
    def _prepare_contact(self, event, homophone):
        distributor = self.env["res.partner"]
        if event.kind in ("registration", "sell_out"):
            # sudo: the distributor of a registration or sell-out, shown by name
            document = self.env[event.res_model].sudo().browse(event.res_id)
            distributor = document.distributor_id
        return {
            "kind": event.kind,
            "date": event.date,
            "user": event.user_id,
            "distributor": distributor,
            "name": event.name,
            "res_model": event.res_model,
            "res_id": event.res_id,
            "homophone": homophone,
        }

    @api.model
    def _get_users_to_notify(self, contacts):
        """The people told when a visit or meeting is planned: the colleagues
        in ``contacts`` and the channel managers of their distributors;
        homophones are another customer, so theirs are not told."""
        contacts = [contact for contact in contacts if not contact["homophone"]]
        return self.env["res.users"].union(
            *(contact["user"] for contact in contacts),
            *(contact["distributor"].channel_manager_id for contact in contacts),
        )

    @api.model
    def _format_contacts(self, contacts):
        kinds = dict(self._get_timeline_kinds())
        lines = []
        for contact in contacts:
            who = contact["distributor"].display_name or contact["user"].name or ""
            line = self.env._(
                "%(date)s %(kind)s by %(who)s: %(name)s",
                date=fields.Date.to_string(contact["date"].date()),
                kind=kinds.get(contact["kind"], contact["kind"]),
                who=who,
                name=contact["name"] or "",
            )
            if contact["homophone"]:
                line = self.env._(
                    "%(line)s (similar-sounding name, may be another customer)", line=line
                )
            lines.append(line)
        return "\n".join(lines)

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
