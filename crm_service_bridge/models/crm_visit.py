from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

OVERLAP_DAYS_PARAM = "crm_service_bridge.visit_overlap_days"
DEFAULT_OVERLAP_DAYS = 30


class CrmVisit(models.Model):
    """A visit or interaction with a customer, by sales or service.

    Everyone logs here, so two people never visit the same prospect unaware of
    each other: a visit shows the other colleagues who saw the same customer
    within the overlap window, and they are notified when it is logged.
    """

    _name = "crm.visit"
    _description = "Customer Visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Subject", required=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Commercial Entity",
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Opportunity",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id)]",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Visited By",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    date = fields.Datetime(
        required=True,
        index=True,
        default=fields.Datetime.now,
        tracking=True,
    )
    visit_type = fields.Selection(
        selection=[
            ("visit", "On-site Visit"),
            ("call", "Phone Call"),
            ("meeting", "Meeting"),
            ("demo", "Demonstration"),
            ("service", "Service Intervention"),
        ],
        string="Type",
        required=True,
        default="visit",
    )
    note = fields.Html(string="Summary")
    recent_visit_ids = fields.Many2many(
        comodel_name="crm.visit",
        string="Other Recent Visits",
        compute="_compute_recent_visit_ids",
        help="Visits of the same customer by other people within the overlap window.",
    )
    recent_visitor_ids = fields.Many2many(
        comodel_name="res.users",
        string="Also Visited By",
        compute="_compute_recent_visit_ids",
    )
    overlap_warning = fields.Char(
        compute="_compute_recent_visit_ids",
    )
    service_request_id = fields.Many2one(
        comodel_name="crm.service.request",
        string="Service Request",
        index="btree_not_null",
        check_company=True,
    )
    recent_contact_summary = fields.Text(
        string="Recent Contacts",
        compute="_compute_recent_contacts",
        help="Who else (sales, service, distributors) touched this customer, or a customer "
        "the matching engine recognises as the same, within the company's window.",
    )
    recent_contact_user_ids = fields.Many2many(
        comodel_name="res.users",
        string="Colleagues Concerned",
        compute="_compute_recent_contacts",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("partner_id.commercial_partner_id", "user_id", "date")
    @api.depends_context("uid")
    def _compute_recent_visit_ids(self):
        found = self._find_recent_visits()
        for visit in self:
            others = found.get(visit, self.browse())
            visit.recent_visit_ids = others
            visit.recent_visitor_ids = others.user_id
            visit.overlap_warning = visit._get_overlap_message(others) if others else False

    @api.depends("partner_id", "lead_id", "date", "user_id")
    @api.depends_context("uid")
    def _compute_recent_contacts(self):
        Timeline = self.env["crm.customer.timeline"]
        for visit in self:
            contacts = visit._get_recent_contacts()
            visit.recent_contact_summary = Timeline._format_contacts(contacts) or False
            visit.recent_contact_user_ids = self.env["res.users"].union(
                *(contact["user"] for contact in contacts if not contact["homophone"])
            )

    def _get_recent_contacts(self):
        self.ensure_one()
        if not (self.partner_id or self.lead_id) or not self.date:
            return []
        return self.env["crm.customer.timeline"]._find_recent_contacts(
            self.partner_id,
            self.lead_id,
            self.date,
            self.company_id.service_contact_window_days or self._get_overlap_days(),
            self.user_id,
        )

    # ------------------------------------------------------------
    # ONCHANGE / CRUD
    # ------------------------------------------------------------

    @api.onchange("partner_id", "lead_id", "user_id", "date")
    def _onchange_warn_overlap(self):
        if self.recent_contact_summary and not self.overlap_warning:
            return {
                "warning": {
                    "title": self.env._("Others touched this customer recently"),
                    "message": self.recent_contact_summary,
                }
            }
        if self.overlap_warning:
            return {
                "warning": {
                    "title": self.env._("Someone visited this customer recently"),
                    "message": self.overlap_warning,
                }
            }
        return None

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        for visit in visits.filtered("recent_visit_ids"):
            visit._notify_overlap()
        for visit in visits:
            visit._notify_recent_contacts()
        return visits

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_overlap_days(self):
        """Days before and after a visit within which other visits are shown."""
        # sudo: a system parameter, only readable by administrators; read, not written
        value = self.env["ir.config_parameter"].sudo().get_param(OVERLAP_DAYS_PARAM)
        try:
            days = int(value) if value else DEFAULT_OVERLAP_DAYS
        except ValueError:
            days = DEFAULT_OVERLAP_DAYS
        return max(days, 0)

    def _get_recent_visit_domain(self, days):
        """Candidate visits for all of ``self``, in one search."""
        dated = self.filtered("date")
        return [
            ("commercial_partner_id", "in", self.partner_id.commercial_partner_id.ids),
            ("date", ">=", min(dated.mapped("date")) - timedelta(days=days)),
            ("date", "<=", max(dated.mapped("date")) + timedelta(days=days)),
        ]

    def _find_recent_visits(self):
        """``{visit: other people's visits of its customer within the window}``."""
        visits = self.filtered(lambda visit: visit.partner_id and visit.date)
        if not visits:
            return {}
        days = self._get_overlap_days()
        window = timedelta(days=days)
        by_partner = defaultdict(list)
        for other in self.search(visits._get_recent_visit_domain(days)):
            by_partner[other.commercial_partner_id.id].append(other)
        result = {}
        for visit in visits:
            candidates = by_partner[visit.partner_id.commercial_partner_id.id]
            result[visit] = self.browse(
                other.id
                for other in candidates
                if other.user_id != visit.user_id
                and other.id != visit._origin.id
                and abs(other.date - visit.date) <= window
            )
        return result

    def _get_overlap_message(self, others):
        self.ensure_one()
        names = ", ".join(
            self.env._(
                "%(user)s on %(date)s",
                user=other.user_id.name,
                date=fields.Date.to_string(other.date.date()),
            )
            for other in others.sorted("date")
        )
        return self.env._(
            "%(customer)s was also visited by %(visits)s: talk to them before you go.",
            customer=self.partner_id.commercial_partner_id.display_name,
            visits=names,
        )

    def _notify_overlap(self):
        """Tell the colleagues who visited the same customer recently about this visit."""
        self.ensure_one()
        colleagues = self.recent_visit_ids.user_id.partner_id
        self.message_subscribe(partner_ids=colleagues.ids)
        self.message_post(
            body=self.overlap_warning,
            partner_ids=colleagues.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _notify_recent_contacts(self):
        """Once planned, the colleagues (and the channel managers of the
        distributors) who touched the same customer are told, once."""
        self.ensure_one()
        users = (
            self.env["crm.customer.timeline"]._get_users_to_notify(self._get_recent_contacts())
            - self.user_id
            - self.recent_visit_ids.user_id
        )
        if not users:
            return
        self.message_post(
            body=self.env._(
                "%(user)s plans %(visit)s with %(customer)s on %(date)s; you were in "
                "touch with this customer recently.",
                user=self.user_id.name,
                visit=self.name,
                customer=(self.partner_id.commercial_partner_id or self.lead_id).display_name,
                date=fields.Date.to_string(self.date.date()),
            ),
            partner_ids=users.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )

    def action_open_recent_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("crm_service_bridge.crm_visit_action")
        action["domain"] = [("id", "in", (self | self.recent_visit_ids).ids)]
        action["context"] = {}
        return action
