import logging
from datetime import timedelta

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import SQL, format_date, plaintext2html

from ..tools import input_rules
from ..tools.claim_key import (
    APPROVED_STATES,
    LIVE_STATES,
    PENDING_STATES,
    claim_keys,
    normalise_credit_code,
)

_logger = logging.getLogger(__name__)

# LIVE_STATES (imported above, defined once in tools/claim_key.py): the states in
# which a registration holds the claim on its end customer; PENDING_STATES hold
# it provisionally, APPROVED_STATES until protection_end_date.
# Fields written only by the workflow's actions (see write() and _workflow_write).
WORKFLOW_FIELDS = frozenset(
    {
        "state",
        "distributor_id",
        "partner_id",
        "lead_id",
        "submit_date",
        "approve_date",
        "protection_end_date",
        "claim_name_key",
        "claim_vat_key",
        "is_conflict",
        "conflict_until",
        "customer_choice",
        "return_reason",
        "reject_reason",
        "match_ids",
    }
)
WORKFLOW_CONTEXT_KEY = "crm_deal_registration_workflow"
# The value the actions put under WORKFLOW_CONTEXT_KEY: a Python object, which no
# JSON-RPC call can send, so a client cannot pretend to be the workflow.
_WORKFLOW = object()
# States the distributor may still edit in the portal.
EDITABLE_STATES = ("draft", "returned")
# Kinds of match that need the channel manager's explicit decision.
REVIEW_KINDS = ("probable", "homophone")


def _precomputed_match_key():
    """A matching key of crm.match.mixin, computed before the INSERT (its
    compute and store are repeated: a field is checked as it is declared)."""
    return fields.Char(
        compute="_compute_match_keys",
        store=True,
        precompute=True,
    )


class CrmDealRegistration(models.Model):
    """A distributor's registration of an end customer and a deal (商机报备).

    Field names follow crm.lead's where they mean the same, so that the values
    flow into the opportunity created on approval (`_prepare_lead_values`).
    """

    _name = "crm.deal.registration"
    _description = "Deal Registration"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin", "crm.match.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    distributor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Distributor",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_distributor", "=", True)],
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("returned", "Returned"),
            ("approved", "Approved"),
            ("converted", "Converted"),
            ("rejected", "Rejected"),
            ("expired", "Expired"),
        ],
        string="Status",
        required=True,
        default="draft",
        index=True,
        tracking=True,
        copy=False,
        group_expand="_read_group_expand_states",
    )
    # End customer, with crm.lead's field names
    partner_name = fields.Char(string="End Customer", required=True, tracking=True)
    partner_name_en = fields.Char(
        string="Romanized Name",
        help="English or romanized name of the end customer (e.g. Example Technology Co., Ltd.).",
    )
    vat = fields.Char(string="Unified Social Credit Code")
    industry_id = fields.Many2one(
        comodel_name="res.partner.industry",
        string="Industry",
    )
    contact_name = fields.Char(string="Contact Name")
    email_from = fields.Char(string="Email")
    phone = fields.Char(string="Phone")
    mobile = fields.Char(string="Mobile")
    street = fields.Char(string="Street")
    city = fields.Char(string="City")
    state_id = fields.Many2one(comodel_name="res.country.state", string="Province")
    country_id = fields.Many2one(comodel_name="res.country", string="Country")
    # Deal
    expected_revenue = fields.Monetary(string="Expected Revenue", currency_field="currency_id")
    date_deadline = fields.Date(string="Expected Closing")
    description = fields.Html(string="Notes")
    line_ids = fields.One2many(
        comodel_name="crm.deal.registration.line",
        inverse_name="registration_id",
        string="Products",
        copy=True,
    )
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="crm_deal_registration_attachment_rel",
        column1="registration_id",
        column2="attachment_id",
        string="Attachments",
        copy=False,
    )
    # Outcome
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="End Customer Partner",
        index="btree_not_null",
        check_company=True,
        copy=False,
        tracking=True,
    )
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Opportunity",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
    # The matching keys (crm.match.mixin), computed before the INSERT: a
    # registration's keys depend on its own plain fields only, and an UPDATE
    # of every new row would write a second version of it into each of the
    # table's indexes (GIN ones among them). 10,000 uploaded rows: 7 s.
    match_name_key = _precomputed_match_key()
    match_name_pinyin = _precomputed_match_key()
    match_search_key = _precomputed_match_key()
    match_grams = _precomputed_match_key()
    match_pinyin_key = _precomputed_match_key()
    match_initials_key = _precomputed_match_key()
    match_vat_key = _precomputed_match_key()
    match_email_key = _precomputed_match_key()
    match_domain_key = _precomputed_match_key()
    match_phone_key = _precomputed_match_key()
    match_mobile_key = _precomputed_match_key()
    match_contact_key = _precomputed_match_key()
    match_contact_pinyin = _precomputed_match_key()

    # ------------------------------------------------------------------
    # Workflow ("reg" block)
    # ------------------------------------------------------------------
    channel_manager_id = fields.Many2one(
        related="distributor_id.channel_manager_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        string="Channel Manager",
    )
    tier_id = fields.Many2one(
        related="distributor_id.distributor_tier_id",
        string="Distributor Tier",
    )
    submit_date = fields.Datetime(
        string="Submitted On",
        copy=False,
        readonly=True,
    )
    approve_date = fields.Date(
        string="Approved On",
        copy=False,
        readonly=True,
    )
    protection_end_date = fields.Date(
        string="Protected Until",
        copy=False,
        tracking=True,
        help="Set on approval from the distributor's tier; the registration expires after it.",
    )
    return_reason = fields.Text(
        copy=False,
        tracking=True,
    )
    reject_reason = fields.Text(
        copy=False,
        tracking=True,
    )
    # Claim keys: unique among live registrations (see init()).
    claim_name_key = fields.Char(
        string="Claimed Name Key",
        copy=False,
        readonly=True,
    )
    claim_vat_key = fields.Char(
        string="Claimed Credit Code Key",
        copy=False,
        readonly=True,
    )
    is_conflict = fields.Boolean(
        string="Protected Elsewhere",
        copy=False,
        readonly=True,
        help="The end customer was already protected for another distributor when this "
        "registration was submitted.",
    )
    conflict_until = fields.Date(
        string="Protected Elsewhere Until",
        copy=False,
        readonly=True,
    )
    match_ids = fields.One2many(
        comodel_name="crm.deal.registration.match",
        inverse_name="registration_id",
        string="Matches",
        copy=False,
    )
    match_row_count = fields.Integer(
        string="Number of Matches",
        compute="_compute_match_row_count",
        help="Number of stored matches (crm.deal.registration.match rows) kept for the "
        "conflict review.",
    )
    customer_choice = fields.Selection(
        selection=[
            ("link", "Link to an existing customer"),
            ("new", "Create a new customer"),
        ],
        string="Customer Decision",
        copy=False,
        tracking=True,
    )
    review_required = fields.Boolean(
        compute="_compute_review_required",
        store=True,
        precompute=True,
        help="The registration matched existing customers or registrations; the channel "
        "manager must decide whether it is the same customer before approving.",
    )
    is_out_of_territory = fields.Boolean(
        string="Out of Territory",
        compute="_compute_is_out_of_territory",
    )
    # End of "reg" block

    def init(self):
        result = super().init()
        for column in ("claim_name_key", "claim_vat_key"):
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (company_id, %s) "
                    "WHERE %s IS NOT NULL",
                    SQL.identifier(f"{self._table}_{column}_uniq"),
                    SQL.identifier(self._table),
                    SQL.identifier(column),
                    SQL.identifier(column),
                )
            )
        # A distributor's end customers (portal list and counter): read from
        # the index alone, whatever the number of registrations of others.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (distributor_id, partner_id) "
                "INCLUDE (company_id) WHERE partner_id IS NOT NULL AND state IN %s",
                SQL.identifier(f"{self._table}_end_customer_index"),
                SQL.identifier(self._table),
                APPROVED_STATES,
            )
        )
        return result

    @api.model
    def _read_group_expand_states(self, states, domain):
        """Kanban columns in workflow order; "approved" (without opportunity)
        only when some registration is in it."""
        return [
            state
            for state, _label in self._fields["state"].selection
            if state != "approved" or state in states
        ]

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------
    def _compute_access_url(self):
        result = super()._compute_access_url()
        for registration in self:
            registration.access_url = f"/my/registrations/{registration.id}"
        return result

    @api.depends("match_ids")
    def _compute_match_row_count(self):
        for registration in self:
            registration.match_row_count = len(registration.match_ids)

    @api.depends("match_ids.kind", "match_ids.res_model", "customer_choice", "state")
    def _compute_review_required(self):
        for registration in self:
            registration.review_required = (
                registration.state == "submitted"
                and not registration.customer_choice
                and any(
                    match.kind in REVIEW_KINDS or match.res_model == "res.partner"
                    for match in registration.match_ids
                )
            )

    @api.depends(
        "state_id",
        "country_id",
        "distributor_id.territory_state_ids",
        "distributor_id.territory_country_ids",
    )
    def _compute_is_out_of_territory(self):
        for registration in self:
            distributor = registration.distributor_id
            states = distributor.territory_state_ids
            countries = distributor.territory_country_ids
            if not (states or countries):
                registration.is_out_of_territory = False
                continue
            in_territory = (registration.state_id and registration.state_id in states) or (
                registration.country_id and registration.country_id in countries
            )
            registration.is_out_of_territory = not in_territory

    # ------------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------------
    @api.constrains("vat", "phone", "mobile", "email_from")
    def _check_end_customer_values(self):
        for registration in self:
            errors = registration._get_input_errors(
                {
                    "vat": registration.vat,
                    "phone": registration.phone,
                    "mobile": registration.mobile,
                    "email_from": registration.email_from,
                    "partner_name": registration.partner_name,
                }
            )
            if errors:
                raise ValidationError("\n".join(errors.values()))

    @api.model
    def _get_input_errors(self, values):
        """Return {field name: translated message} for what is wrong in `values`
        (the fields given only), by the same rules as _prepare_values_from_input.

        Used by the constraint and by the portal form, which shows each message
        beside its field.
        """
        rules = {
            field: rule
            for field, rule in input_rules.REGISTRATION_RULES.items()
            if field in values and field != "description"
        }
        return self.env["crm.input.rules"]._check_input(self._name, values, rules)[1]

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_workflow_values(vals, creating=True)
            if vals.get("vat"):
                vals["vat"] = normalise_credit_code(vals["vat"])
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company or self.env.company)
                    .next_by_code("crm.deal.registration")
                    or "/"
                )
        registrations = super().create(vals_list)
        registrations._subscribe_distributor_users()
        return registrations

    def write(self, vals):
        self._check_workflow_values(vals)
        if vals.get("vat"):
            vals["vat"] = normalise_credit_code(vals["vat"])
        old_states = {registration: registration.state for registration in self}
        result = super().write(vals)
        # the marker stops here: what the write triggers is not the workflow
        registrations = self.with_context(**{WORKFLOW_CONTEXT_KEY: False})
        if "partner_name" in vals or "vat" in vals:
            registrations._follow_claim_keys()
        if "state" in vals:
            changed = registrations.filtered(lambda reg: old_states[reg] != reg.state)
            changed._notify_distributor_state()
        if "distributor_id" in vals:
            registrations._subscribe_distributor_users()
        return result

    def _workflow_write(self, vals):
        """The one door through which the actions write WORKFLOW_FIELDS."""
        return self.with_context(**{WORKFLOW_CONTEXT_KEY: _WORKFLOW}).write(vals)

    def _check_workflow_values(self, vals, creating=False):
        """Refuse workflow fields written outside the workflow's actions.

        Superuser code (data files, controllers writing whitelisted form values,
        the cron) is trusted; users, whatever the path (form, RPC, import), are
        not. A new registration may only name its distributor and be a draft; a
        channel manager may still move a draft to another distributor.
        """
        if self.env.su or self.env.context.get(WORKFLOW_CONTEXT_KEY) is _WORKFLOW:
            return
        if creating:
            names = {
                name
                for name, value in vals.items()
                if name in WORKFLOW_FIELDS and value and name != "distributor_id"
            }
            if vals.get("state") == "draft":
                names.discard("state")
        else:
            names = WORKFLOW_FIELDS.intersection(vals)
            if (
                names == {"distributor_id"}
                and all(registration.state == "draft" for registration in self)
                and self.env.user.has_group("crm_distributor.group_channel_manager")
            ):
                names = set()
        if names:
            raise AccessError(
                self.env._(
                    "%(fields)s of a deal registration change only through its workflow "
                    "(submit, approve, return, reject, conflict review).",
                    fields=", ".join(
                        sorted(self._fields[name]._description_string(self.env) for name in names)
                    ),
                )
            )

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def action_submit(self):
        """Submit for approval. A registration whose end customer is already
        protected for another distributor is submitted too (nothing is lost) but
        flagged `is_conflict`; the distributor is told until when, not by whom."""
        if not self.env.su:
            self.check_access("write")
        for registration in self:
            if registration.state not in EDITABLE_STATES:
                raise UserError(
                    self.env._(
                        "Only draft or returned registrations can be submitted (%(name)s).",
                        name=registration.name,
                    )
                )
        self._check_open_registration_limit()
        # Batched (issue 14.4): one matching call, one claim update, one write
        # per outcome, for one registration as for an upload of 10,000. A
        # registration whose customer is held elsewhere keeps no key at all.
        self._refresh_matches_batch()
        elsewhere = {
            registration: registration._get_protected_elsewhere_until() for registration in self
        }
        held_elsewhere = self.filtered(lambda registration: elsewhere[registration])
        held_elsewhere._release_claim()
        claimed = (self - held_elsewhere)._claim_batch()
        outcomes = {}
        for registration in self:
            protected_until = elsewhere[registration] or claimed.get(registration) or False
            outcomes.setdefault(protected_until, self.browse())
            outcomes[protected_until] |= registration
        now = fields.Datetime.now()
        for protected_until, registrations in outcomes.items():
            registrations._workflow_write(
                {
                    "state": "submitted",
                    "submit_date": now,
                    "is_conflict": bool(protected_until),
                    "conflict_until": protected_until,
                    "return_reason": False,
                }
            )
        return True

    def action_approve(self):
        """Approve: link or create the end customer, protect it for the
        distributor for the tier's days and create the opportunity, in one
        state change (submitted -> converted) and one notification."""
        self._check_channel_manager()
        for registration in self:
            if registration.state != "submitted":
                raise UserError(
                    self.env._(
                        "Only submitted registrations can be approved (%(name)s).",
                        name=registration.name,
                    )
                )
            if registration.review_required:
                raise UserError(
                    self.env._(
                        "%(name)s matches existing customers or registrations: open the "
                        "conflict review and decide whether it is the same customer first.",
                        name=registration.name,
                    )
                )
            registration._check_not_protected_elsewhere()
            registration._check_partner_not_held(registration.partner_id)
            today = fields.Date.context_today(registration)
            partner = registration._get_or_create_end_customer()
            protection_end = today + timedelta(days=registration._get_protection_days())
            partner.write(registration._prepare_end_customer_hold_values(protection_end))
            registration._workflow_write(
                {
                    "partner_id": partner.id,
                    "approve_date": today,
                    "protection_end_date": protection_end,
                }
            )
            lead = registration._create_lead()
            registration._workflow_write(
                {
                    "state": "converted",
                    "lead_id": lead.id,
                    "is_conflict": False,
                    "conflict_until": False,
                }
            )
        return True

    def action_convert(self):
        """Create the opportunity of registrations approved without one."""
        self._check_channel_manager()
        for registration in self.filtered(lambda reg: reg.state == "approved"):
            lead = registration._create_lead()
            registration._workflow_write({"lead_id": lead.id, "state": "converted"})
        return True

    def _create_lead(self):
        self.ensure_one()
        return (
            self.env["crm.lead"]
            .with_context(mail_create_nosubscribe=True)
            .create(self._prepare_lead_values())
        )

    def action_return(self, reason=False):
        """Send back to the distributor for correction (asks for the reason)."""
        self._check_channel_manager()
        if not reason:
            return self._action_open_reason_wizard("return")
        for registration in self:
            if registration.state != "submitted":
                raise UserError(
                    self.env._(
                        "Only submitted registrations can be returned (%(name)s).",
                        name=registration.name,
                    )
                )
        self._workflow_write({"state": "returned", "return_reason": reason})
        return True

    def action_reject(self, reason=False):
        """Refuse the registration (asks for the reason) and release its claim."""
        self._check_channel_manager()
        if not reason:
            return self._action_open_reason_wizard("reject")
        for registration in self:
            if registration.state not in PENDING_STATES:
                raise UserError(
                    self.env._(
                        "Only submitted or returned registrations can be rejected (%(name)s).",
                        name=registration.name,
                    )
                )
        self._workflow_write(
            {
                "state": "rejected",
                "reject_reason": reason,
                "claim_name_key": False,
                "claim_vat_key": False,
            }
        )
        return True

    def action_reset_draft(self):
        """Give a rejected registration back to the distributor as a draft."""
        self._check_channel_manager()
        self.filtered(lambda reg: reg.state == "rejected")._workflow_write(
            {"state": "draft", "customer_choice": False, "partner_id": False}
        )
        return True

    def action_link_new_customer(self):
        """Decision of the conflict review: this is a different, new customer."""
        self._check_channel_manager()
        self._check_reviewable()
        self._workflow_write({"customer_choice": "new", "partner_id": False})
        return True

    def _action_link_partner(self, partner):
        """Decision of the conflict review: the registration is this customer."""
        self._check_channel_manager()
        self._check_reviewable()
        self._workflow_write({"partner_id": partner.id, "customer_choice": "link"})
        return True

    def _check_reviewable(self):
        for registration in self:
            if registration.state != "submitted":
                raise UserError(
                    self.env._(
                        "Only submitted registrations can be reviewed (%(name)s).",
                        name=registration.name,
                    )
                )

    def action_refresh_matches(self):
        self._check_channel_manager()
        for registration in self:
            registration._refresh_matches()
        return True

    def action_open_review(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Conflict Review"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("crm_distributor.crm_deal_registration_view_form_review").id, "form")
            ],
            "target": "current",
        }

    def action_view_lead(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("crm.crm_lead_all_leads")
        action.update(
            {
                "res_id": self.lead_id.id,
                "views": [(False, "form")],
                "view_mode": "form",
                "domain": [("id", "=", self.lead_id.id)],
            }
        )
        return action

    def _check_channel_manager(self):
        """Deciding on registrations (approve, return, reject, reset, conflict
        review) belongs to the channel managers who may write them."""
        if self.env.su:
            return
        if not self.env.user.has_group("crm_distributor.group_channel_manager"):
            raise AccessError(
                self.env._("Only channel managers can approve, return or reject registrations.")
            )
        self.check_access("write")

    def _action_open_reason_wizard(self, action):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return for Correction")
            if action == "return"
            else self.env._("Reject Registration"),
            "res_model": "crm.deal.registration.reason.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_registration_ids": self.ids,
                "default_action": action,
            },
        }

    # ------------------------------------------------------------------
    # BUSINESS: claim and protection. The registration is the one owner of
    # "who holds this end customer until when": its claim keys (unique among
    # live registrations, see init()), its holder (_get_claims) and its end of
    # protection (_get_protected_until). Submit, approve, the conflict review,
    # the cron and the upload triage all ask here.
    # ------------------------------------------------------------------
    @api.model
    def _get_claims(self, keys, company=None):
        """Live registrations holding the claim keys `keys`.

        :param keys: iterable of claim keys, name or credit-code keys as
            tools.claim_key.claim_keys() returns them (empty ones are ignored).
        :param company: the company whose claims are read (default: the
            environment's company).
        :return: {key: registration} for the keys held by a live registration;
            keys nobody holds are absent. The registrations are returned in
            sudo: they may belong to any distributor, and callers facing a
            distributor must tell it no more than "protected until" (issue 9).
        """
        keys = {key for key in keys if key}
        if not keys:
            return {}
        company = company or self.env.company
        # sudo: claims of every distributor decide; see the docstring.
        holders = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("state", "in", LIVE_STATES),
                "|",
                ("claim_name_key", "in", list(keys)),
                ("claim_vat_key", "in", list(keys)),
            ],
            order="id",
        )
        claims = {}
        for holder in holders:
            for key in (holder.claim_name_key, holder.claim_vat_key):
                if key in keys:
                    claims.setdefault(key, holder)
        return claims

    def _check_not_protected_elsewhere(self):
        """Take the claim if not held yet; refuse when another distributor holds
        it (internal users may learn who)."""
        self.ensure_one()
        until = self._get_protected_elsewhere_until()
        if not until and (self.is_conflict or not (self.claim_name_key or self.claim_vat_key)):
            until = self._claim()
        if not until:
            return
        holder = self._get_claim_holder()
        if holder:
            raise UserError(
                self.env._(
                    "%(customer)s is already protected by registration %(holder)s of "
                    "%(distributor)s until %(date)s.",
                    customer=self.partner_name,
                    holder=holder.name,
                    distributor=holder.distributor_id.display_name,
                    date=format_date(self.env, until),
                )
            )
        raise UserError(
            self.env._(
                "%(customer)s is already protected for another distributor until %(date)s.",
                customer=self.partner_name,
                date=format_date(self.env, until),
            )
        )

    def _check_partner_not_held(self, partner):
        """Refuse to approve onto a partner another distributor holds (a live
        registration linked to it, or the partner's own hold fields), e.g.
        when the conflict review linked a "probable" match."""
        self.ensure_one()
        if not partner:
            return
        distributor = self.distributor_id.commercial_partner_id
        # sudo: the hold of another distributor is read to protect it; only
        # channel managers approve, and they may learn who holds it.
        holder = self.sudo().search(
            [
                ("partner_id", "=", partner.id),
                ("state", "in", APPROVED_STATES),
                ("distributor_id", "!=", distributor.id),
                ("id", "not in", self.ids),
            ],
            order="protection_end_date desc",
            limit=1,
        )
        holder_distributor, until = holder.distributor_id, holder.protection_end_date
        partner_sudo = partner.sudo()
        if (
            not holder
            and partner_sudo.end_customer_distributor_id
            and partner_sudo.end_customer_distributor_id != distributor
            and partner_sudo.end_customer_protected_until
            and partner_sudo.end_customer_protected_until >= fields.Date.context_today(self)
        ):
            holder_distributor = partner_sudo.end_customer_distributor_id
            until = partner_sudo.end_customer_protected_until
        if holder_distributor:
            raise UserError(
                self.env._(
                    "%(customer)s is protected for %(distributor)s until %(date)s: "
                    "approving %(name)s would take it from them. Choose a different "
                    "customer in the conflict review, or return or reject the registration.",
                    customer=partner_sudo.display_name,
                    distributor=holder_distributor.display_name,
                    date=format_date(self.env, until),
                    name=self.name,
                )
            )

    def _get_claim_keys(self):
        self.ensure_one()
        return claim_keys(self.partner_name, self.vat)

    @api.model
    def _prepare_free_claim_values(self, vals_list):
        """Claim values to create registrations ``vals_list`` with, one dict per
        row: its claim keys when no live registration holds them and no other
        row of the list has them, else none (the submit claims those, and
        finds their holders). Registrations submitted as soon as they are
        created (an upload's rows) so hold their keys from the INSERT, and the
        submit writes no claim."""
        keys_list = [claim_keys(vals.get("partner_name"), vals.get("vat")) for vals in vals_list]
        seen = {}
        for vals, keys in zip(vals_list, keys_list, strict=True):
            for key in filter(None, keys):
                seen[(vals.get("company_id"), key)] = seen.get((vals.get("company_id"), key), 0) + 1
        held = set()
        for company_id in {vals.get("company_id") for vals in vals_list}:
            company = self.env["res.company"].browse(company_id) if company_id else None
            company_keys = {
                key
                for vals, keys in zip(vals_list, keys_list, strict=True)
                if vals.get("company_id") == company_id
                for key in keys
                if key
            }
            held.update((company_id, key) for key in self._get_claims(company_keys, company))
        result = []
        for vals, keys in zip(vals_list, keys_list, strict=True):
            company_id = vals.get("company_id")
            taken = [
                (company_id, key) in held or seen[(company_id, key)] > 1 for key in keys if key
            ]
            free = any(keys) and not any(taken)
            result.append({"claim_name_key": keys[0], "claim_vat_key": keys[1]} if free else {})
        return result

    def _claim(self):
        """Take the claim on the end customer in the database.

        Returns False when this registration now holds the claim, or the date
        until which another live registration protects the end customer (this
        one then holds no key at all). The unique partial indexes of init()
        serialise concurrent transactions: the second one waits for the first
        and then gets a unique violation, caught here inside a savepoint, so it
        ends as a conflict, not an error.
        """
        self.ensure_one()
        name_key, vat_key = self._get_claim_keys()
        self.flush_recordset()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET claim_name_key = %s, claim_vat_key = %s WHERE id = %s",
                        SQL.identifier(self._table),
                        name_key or None,
                        vat_key or None,
                        self.id,
                    ),
                    log_exceptions=False,
                )
        except psycopg2.errors.UniqueViolation:
            self.invalidate_recordset(["claim_name_key", "claim_vat_key"])
            self._release_claim()
            return self._get_claim_holder_until(name_key, vat_key)
        self.invalidate_recordset(["claim_name_key", "claim_vat_key"])
        return False

    def _release_claim(self):
        self.filtered(lambda reg: reg.claim_name_key or reg.claim_vat_key)._workflow_write(
            {"claim_name_key": False, "claim_vat_key": False}
        )

    def _follow_claim_keys(self):
        """Keys follow every edit: a live registration whose name or credit code
        changed claims its new keys (and gives up the old ones)."""
        for registration in self.filtered(lambda reg: reg.state in LIVE_STATES):
            held = (registration.claim_name_key or False, registration.claim_vat_key or False)
            if held == registration._get_claim_keys():
                continue
            until = registration._claim()
            if until:
                registration._workflow_write({"is_conflict": True, "conflict_until": until})

    def _get_claim_holder(self):
        """The other live registration holding this one's claim keys (visible in
        this transaction), if any, in sudo (see _get_claims)."""
        self.ensure_one()
        claims = self._get_claims(self._get_claim_keys(), company=self.company_id)
        holders = [holder for holder in claims.values() if holder.id not in self.ids]
        return holders[0] if holders else self.browse()

    def _get_claim_holder_until(self, name_key, vat_key):
        holder = self._get_claim_holder()
        if holder:
            return holder._get_protected_until()
        # The holder committed after this transaction's snapshot: read it through
        # a fresh cursor, which sees committed rows.
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr, su=True)
            claims = env[self._name]._get_claims((name_key, vat_key), company=self.company_id)
            holders = [holder for holder in claims.values() if holder.id not in self.ids]
            until = holders[0]._get_protected_until() if holders else False
        return until or (
            fields.Date.context_today(self)
            + timedelta(days=self.company_id.registration_provisional_days or 30)
        )

    def _get_protection_days(self):
        self.ensure_one()
        # sudo: portal users submitting through the portal cannot read tiers.
        tier = self.sudo().distributor_id.commercial_partner_id.distributor_tier_id
        return tier.protection_days or 90

    def _get_open_registration_limit(self):
        """How many live registrations the distributor may hold at once: its
        tier's limit, or the company's default for a distributor without tier."""
        self.ensure_one()
        # sudo: see _get_protection_days
        tier = self.sudo().distributor_id.commercial_partner_id.distributor_tier_id
        return tier.max_open_registrations or self.company_id.registration_max_open or 1

    def _get_protected_until(self):
        """Date until which this live registration protects its end customer:
        its protection end once approved; while pending, the company's
        provisional period from the submission date."""
        self.ensure_one()
        if self.protection_end_date:
            return self.protection_end_date
        start = fields.Date.to_date(self.submit_date) or fields.Date.context_today(self)
        return start + timedelta(days=self.company_id.registration_provisional_days or 30)

    def _get_protected_elsewhere_until(self):
        """Date until which a 'same' match protects the end customer for another
        distributor (a live registration or a held partner), False if none."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        dates = []
        distributor = self.distributor_id.commercial_partner_id
        for match in self.match_ids.filtered(lambda m: m.kind == "same").sudo():
            # sudo: the matched records may belong to other distributors; only
            # their protection dates are read.
            other = match.matched_registration_id
            if other and other.state in LIVE_STATES and other.distributor_id != distributor:
                dates.append(other._get_protected_until())
            # the hold is on the commercial entity, as the upload triage reads it
            partner = match.partner_id.commercial_partner_id
            if (
                partner.end_customer_distributor_id
                and partner.end_customer_distributor_id != distributor
                and partner.end_customer_protected_until
                and partner.end_customer_protected_until >= today
            ):
                dates.append(partner.end_customer_protected_until)
        return max(dates) if dates else False

    def _check_open_registration_limit(self):
        """Refuse to open more registrations than each distributor may hold at
        once (the tier's limit, never unlimited). Batch: one count for all the
        distributors of `self`; registrations already live (returned ones) do
        not count twice. Every path submits through here: portal form, upload,
        trade fair, back office."""
        opening = self.filtered(lambda reg: reg.state not in LIVE_STATES)
        if not opening:
            return
        # sudo: the count covers the distributor's registrations the user may
        # not see (a portal user's colleagues', a salesperson's).
        counts = dict(
            self.sudo()._read_group(
                domain=[
                    ("distributor_id", "in", opening.distributor_id.ids),
                    ("state", "in", LIVE_STATES),
                    ("id", "not in", opening.ids),
                ],
                groupby=["distributor_id"],
                aggregates=["__count"],
            )
        )
        for distributor in opening.distributor_id:
            batch = opening.filtered(lambda reg, d=distributor: reg.distributor_id == d)
            limit = batch[0]._get_open_registration_limit()
            count = counts.get(distributor, 0)
            if count + len(batch) <= limit:
                continue
            # sudo: see _get_protection_days
            tier = distributor.sudo().commercial_partner_id.distributor_tier_id
            if tier:
                raise UserError(
                    self.env._(
                        "Your tier %(tier)s allows %(max)s open registrations at a time; close "
                        "or wait for some before submitting a new one.",
                        tier=tier.name,
                        max=limit,
                    )
                )
            raise UserError(
                self.env._(
                    "%(distributor)s may keep %(max)s registrations open at a time "
                    "(submitted, returned or protected); %(count)s are open and "
                    "%(new)s more would be submitted. Close or wait for some before "
                    "submitting new ones.",
                    distributor=distributor.display_name,
                    max=limit,
                    count=count,
                    new=len(batch),
                )
            )

    # ------------------------------------------------------------------
    # BUSINESS: matching
    # ------------------------------------------------------------------
    def _find_matches(self):
        """Matches of this registration's end customer: partners, leads and the
        live registrations of every distributor, itself excluded (a batch of one)."""
        self.ensure_one()
        return self._get_matches_batch()[self.id]

    def _refresh_matches(self):
        self.ensure_one()
        commands = [Command.clear()]
        for match in self._find_matches():
            commands.append(
                Command.create(self.env["crm.deal.registration.match"]._prepare_values(match))
            )
        # sudo: match rows are written by the workflow only; no role may write them.
        self.sudo().write({"match_ids": commands})

    # ------------------------------------------------------------------
    # BUSINESS: approval
    # ------------------------------------------------------------------
    def _get_or_create_end_customer(self):
        self.ensure_one()
        if self.partner_id:
            return self.partner_id
        partner = self.env["res.partner"].create(self._prepare_end_customer_values())
        if self.contact_name:
            self.env["res.partner"].create(
                {
                    "name": self.contact_name,
                    "parent_id": partner.id,
                    "type": "contact",
                    "email": self.email_from,
                    "phone": self.phone,
                    "mobile": self.mobile,
                }
            )
        return partner

    def _prepare_end_customer_values(self):
        self.ensure_one()
        return {
            "name": self.partner_name,
            "is_company": True,
            "vat": self.vat,
            "email": self.email_from if not self.contact_name else False,
            "phone": self.phone,
            "mobile": self.mobile,
            "street": self.street,
            "city": self.city,
            "state_id": self.state_id.id,
            "country_id": self.country_id.id,
            "industry_id": self.industry_id.id,
            "comment": self.partner_name_en,
            "is_end_customer": True,
        }

    def _prepare_end_customer_hold_values(self, protection_end):
        self.ensure_one()
        today = fields.Date.context_today(self)
        return {
            "is_end_customer": True,
            "end_customer_distributor_id": self.distributor_id.commercial_partner_id.id,
            "end_customer_since": today,
            "end_customer_protected_until": protection_end,
        }

    def _prepare_lead_values(self):
        """Values of the opportunity created when the registration is approved.

        Extension point: crm_quotation adds the product lines and the
        opportunity type.
        """
        self.ensure_one()
        distributor = self.distributor_id.commercial_partner_id
        return {
            "type": "opportunity",
            "name": self.partner_name,
            "partner_id": self.partner_id.id,
            "partner_name": self.partner_name,
            "contact_name": self.contact_name,
            "email_from": self.email_from,
            "phone": self.phone,
            "mobile": self.mobile,
            "street": self.street,
            "city": self.city,
            "state_id": self.state_id.id,
            "country_id": self.country_id.id,
            "expected_revenue": self.expected_revenue,
            "date_deadline": self.date_deadline,
            "description": self.description,
            "distributor_id": self.distributor_id.id,
            "registration_id": self.id,
            "company_id": self.company_id.id,
            "user_id": (distributor.user_id or self.channel_manager_id or self.env.user).id,
            "source_id": self.env.ref("crm_distributor.utm_source_distributor_registration").id,
        }

    @api.model
    def _get_end_customer_domain(self, distributors):
        """Registrations that made their partner an end customer of
        `distributors` (approved, with a partner)."""
        return [
            ("distributor_id", "in", distributors.ids),
            ("partner_id", "!=", False),
            ("state", "in", APPROVED_STATES),
        ]

    # ------------------------------------------------------------------
    # BUSINESS: expiry
    # ------------------------------------------------------------------
    @api.model
    def _cron_expire_registrations(self):
        """Release the end customers whose protection ended: approved ones after
        their protection end date, pending ones (submitted or returned, nobody
        decided) after the company's provisional period."""
        today = fields.Date.context_today(self)
        registrations = self.search(
            [
                ("state", "in", APPROVED_STATES),
                ("protection_end_date", "<", today),
            ]
        )
        # A won opportunity is a sale: its protection has done its job.
        registrations = registrations.filtered(lambda reg: not reg.lead_id.stage_id.is_won)
        registrations |= self.search(self._get_provisional_expiry_domain(today))
        registrations._expire()
        return registrations

    @api.model
    def _get_provisional_expiry_domain(self, today):
        """Pending registrations whose provisional period (per company) ended
        before `today`."""
        domains = []
        for company in self.env["res.company"].search([]):
            days = company.registration_provisional_days or 30
            domains.append(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", PENDING_STATES),
                    ("submit_date", "<", fields.Datetime.to_datetime(today - timedelta(days=days))),
                ]
            )
        return expression.OR(domains)

    def _expire(self):
        self._workflow_write({"state": "expired", "claim_name_key": False, "claim_vat_key": False})
        for registration in self:
            partner = registration.partner_id
            if (
                partner.end_customer_distributor_id
                == registration.distributor_id.commercial_partner_id
            ):
                partner.write(
                    {
                        "end_customer_distributor_id": False,
                        "end_customer_protected_until": False,
                    }
                )

    # ------------------------------------------------------------------
    # BUSINESS: distributor notification
    # ------------------------------------------------------------------
    def _get_distributor_users(self):
        self.ensure_one()
        distributor = self.distributor_id.commercial_partner_id
        # sudo: the portal users of a distributor are not readable by everyone.
        return (
            self.env["res.users"]
            .sudo()
            .search([("commercial_partner_id", "=", distributor.id), ("share", "=", True)])
        )

    def _get_distributor_notify_partners(self):
        self.ensure_one()
        return self._get_distributor_users().partner_id or self.distributor_id

    def _subscribe_distributor_users(self):
        # One subscription per distributor, not per registration (an upload
        # creates thousands at once, issue 14.4).
        for distributor in self.distributor_id:
            registrations = self.filtered(lambda reg, d=distributor: reg.distributor_id == d)
            # sudo: portal users submit through the portal and cannot manage followers.
            registrations.sudo().message_subscribe(
                partner_ids=registrations[:1]._get_distributor_notify_partners().ids
            )

    def _get_state_message(self):
        """Message telling the distributor about the current state."""
        self.ensure_one()
        values = {
            "name": self.name,
            "customer": self.partner_name,
        }
        if self.state == "submitted" and self.is_conflict:
            # Issue 9: the neutral answer only (no date, holder, score or reason).
            return self.env._(
                "Registration %(name)s (%(customer)s): already protected for another "
                "partner. It has been kept and passed to your channel manager.",
                **values,
            )
        messages = {
            "submitted": self.env._(
                "Registration %(name)s (%(customer)s) was received and needs review by your "
                "channel manager.",
                **values,
            ),
            "returned": self.env._(
                "Registration %(name)s (%(customer)s) was returned for correction: %(reason)s",
                reason=self.return_reason or "",
                **values,
            ),
            "approved": self.env._(
                "Registration %(name)s (%(customer)s) was approved; the end customer is "
                "protected for you until %(date)s.",
                date=format_date(self.env, self.protection_end_date),
                **values,
            ),
            "converted": self.env._(
                "Registration %(name)s (%(customer)s) was approved and turned into an "
                "opportunity; the end customer is protected for you until %(date)s.",
                date=format_date(self.env, self.protection_end_date),
                **values,
            ),
            "rejected": self.env._(
                "Registration %(name)s (%(customer)s) was rejected: %(reason)s",
                reason=self.reject_reason or "",
                **values,
            ),
            "expired": self.env._(
                "The protection of registration %(name)s (%(customer)s) has expired; the "
                "end customer is no longer reserved for you.",
                **values,
            ),
            "draft": self.env._(
                "Registration %(name)s (%(customer)s) is back in draft.",
                **values,
            ),
        }
        return messages.get(self.state)

    def _notify_distributor_state(self):
        """Post a message to the distributor's portal users (e-mailed too)."""
        if self.env.context.get("crm_distributor_notify_digest"):
            return  # the caller (a confirmed upload) sends one digest instead
        for registration in self:
            lang = registration.distributor_id.lang or self.env.lang
            registration = registration.with_context(lang=lang)
            body = registration._get_state_message()
            if not body:
                continue
            # sudo: state changes also come from portal users and the cron.
            registration.sudo().message_post(
                body=body,
                partner_ids=registration._get_distributor_notify_partners().ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    # ------------------------------------------------------------
    # MATCHING (crm.match.mixin hooks)
    # ------------------------------------------------------------
    @api.model
    def _match_source_fields(self):
        return [
            "partner_name",
            "contact_name",
            "vat",
            "email_from",
            "phone",
            "mobile",
            "country_id",
        ]

    @api.model
    def _match_values_from_data(self, data):
        country = data["country_id"]
        if isinstance(country, int):
            country = self.env["res.country"].browse(country)
        return {
            "name": data["partner_name"],
            "contact_name": data["contact_name"],
            "vat": data["vat"],
            "email": data["email_from"],
            "phone": data["phone"],
            "mobile": data["mobile"],
            "country_code": country.code if country else False,
        }

    # ------------------------------------------------------------
    # INPUT (tools/input_rules; one method for the portal form, upload rows
    # and trade-fair rows: what the triage accepts, confirmation accepts)
    # ------------------------------------------------------------
    @api.model
    def _prepare_values_from_input(self, raw):
        """Registration values from what a distributor typed or uploaded.

        ``raw`` holds the fields of a registration by name (text or numbers
        as typed, ids for state_id, country_id, industry_id), a plain-text
        ``description`` and ``lines``: a list of {product_id, quantity,
        price_unit}. Returns (values ready for create/write, {field:
        translated message}); every problem is reported, a product line's
        under ``line_<index>``. Relational ids are the caller's to check
        (they come from its own lists).
        """
        InputRules = self.env["crm.input.rules"]
        values, errors = InputRules._check_input(self._name, raw, input_rules.REGISTRATION_RULES)
        for field in ("state_id", "country_id", "industry_id"):
            if field in raw:
                values[field] = raw[field] or False
        if "description" in values:
            # Typed or uploaded text is plain text: escaped into the HTML field.
            values["description"] = (
                plaintext2html(values["description"]) if values["description"] else False
            )
        if "lines" in raw:
            commands = []
            for index, line in enumerate(raw["lines"]):
                line_values, line_errors = InputRules._check_input(
                    "crm.deal.registration.line",
                    {"quantity": 1.0} | {k: v for k, v in line.items() if v not in (None, "")},
                    input_rules.REGISTRATION_LINE_RULES,
                )
                if line_errors:
                    errors[f"line_{index}"] = " ".join(line_errors.values())
                    continue
                line_values["price_unit"] = line_values.get("price_unit") or 0.0
                commands.append(Command.create(dict(line_values, product_id=line["product_id"])))
            values["line_ids"] = commands
        return values, errors

    # ------------------------------------------------------------
    # BATCH SUBMIT (a batch of one is action_submit of one registration):
    # matches and claims of many registrations in a few queries
    # ------------------------------------------------------------
    def _get_matches_batch(self, limit=10):
        """{registration id: matches} of many registrations at once, each
        without itself and its opportunity (see _find_live_matches)."""
        if not self:
            return {}
        return self._find_live_matches(
            {registration.id: registration._prepare_match_values() for registration in self},
            exclude={
                registration.id: {
                    self._name: registration.ids,
                    "crm.lead": registration.lead_id.ids,
                }
                for registration in self
            },
            limit=limit,
        )

    @api.model
    def _find_live_matches(self, values_by_key, exclude=None, limit=10):
        """The one lookup of who else may be this customer, for a registration
        as for an upload row (so that triage and submission decide alike):
        crm.match.engine's matches ({key: [matches]}, best first), registrations
        only while live (a draft, rejected or expired one holds nothing).
        `exclude`: {key: {model: ids}}."""
        # sudo: the engine must see every distributor's data to detect conflicts;
        # what the distributor learns is filtered by the callers.
        engine = self.env["crm.match.engine"].sudo()
        # Ask for more than `limit`: registrations that are not live are dropped after.
        found = engine._find_matches_batch(values_by_key, limit=limit * 3, exclude=exclude)
        registration_ids = {
            match["res_id"]
            for matches in found.values()
            for match in matches
            if match["model"] == self._name
        }
        live_ids = set(
            self.sudo()
            .search([("id", "in", list(registration_ids)), ("state", "in", LIVE_STATES)])
            .ids
        )
        return {
            key: [
                match
                for match in matches
                if match["model"] != self._name or match["res_id"] in live_ids
            ][:limit]
            for key, matches in found.items()
        }

    def _refresh_matches_batch(self):
        """_refresh_matches of many registrations: one engine call, one create."""
        matches = self._get_matches_batch()
        Match = self.env["crm.deal.registration.match"]
        # sudo: match rows are the workflow's, whoever submits.
        self.sudo().match_ids.unlink()
        Match.sudo().create(
            [
                dict(Match._prepare_values(match), registration_id=registration.id)
                for registration in self
                for match in matches[registration.id]
            ]
        )
        self.invalidate_recordset(["match_ids"])

    def _claim_batch(self):
        """_claim of many registrations: {registration: protected until or
        False}. One read of the claims (_get_claims) and one UPDATE for the
        registrations whose keys nobody holds; when that UPDATE hits a unique
        key (two rows of a batch for one customer, or a concurrent claim), each
        registration falls back to _claim, which serialises on the index."""
        result = {}
        keys = {key for registration in self for key in registration._get_claim_keys() if key}
        claims = {}
        for company in self.company_id:
            claims.update(self._get_claims(keys, company=company))
        free = self.browse()
        for registration in self:
            own = registration._get_claim_keys()
            if (
                any(own)
                and (
                    registration.claim_name_key or False,
                    registration.claim_vat_key or False,
                )
                == own
            ):
                # created holding its keys (see _prepare_free_claim_values)
                result[registration] = False
                continue
            holders = [
                claims[key]
                for key in registration._get_claim_keys()
                if key and key in claims and claims[key] != registration
            ]
            if holders:
                result[registration] = max(holder._get_protected_until() for holder in holders)
            else:
                free |= registration
        if not free:
            return result
        # only the claim columns: what else is pending (the state written next,
        # what the new matches recompute) goes in the same UPDATE as the state
        self.flush_model(["claim_name_key", "claim_vat_key"])
        rows = [
            SQL(
                "(%s, %s, %s)",
                registration.id,
                *(key or None for key in registration._get_claim_keys()),
            )
            for registration in free
        ]
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s AS r SET claim_name_key = v.name_key, claim_vat_key = v.vat_key "
                        "FROM (VALUES %s) AS v(id, name_key, vat_key) WHERE r.id = v.id",
                        SQL.identifier(self._table),
                        SQL(", ").join(rows),
                    ),
                    log_exceptions=False,
                )
            free.invalidate_recordset(["claim_name_key", "claim_vat_key"])
            result.update(dict.fromkeys(free, False))
        except psycopg2.errors.UniqueViolation:
            free.invalidate_recordset(["claim_name_key", "claim_vat_key"])
            for registration in free:
                result[registration] = registration._claim()
        return result

    @api.model
    def _get_next_names(self, company, count):
        """``count`` references of the registration sequence for ``company``
        drawn at once (one nextval query for a standard sequence without date
        ranges; one next_by_code per name otherwise)."""
        # sudo: the reference is drawn for registrations created in sudo by the
        # upload; portal users cannot read sequences.
        Sequence = self.env["ir.sequence"].sudo().with_company(company)
        sequence = Sequence.search(
            [("code", "=", "crm.deal.registration"), ("company_id", "in", [company.id, False])],
            order="company_id",
            limit=1,
        )
        if not sequence or sequence.implementation != "standard" or sequence.use_date_range:
            return [Sequence.next_by_code("crm.deal.registration") or "/" for _i in range(count)]
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        return [sequence.get_next_char(number) for (number,) in self.env.cr.fetchall()]
