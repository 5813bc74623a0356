from odoo import api, fields, models

from ..tools.claim_key import LIVE_STATES


class CrmDealRegistrationMatch(models.Model):
    """What the matching engine found for a registration, kept for the
    channel manager's conflict review."""

    _name = "crm.deal.registration.match"
    _description = "Deal Registration Match"
    _order = "registration_id, score desc, id"

    registration_id = fields.Many2one(
        comodel_name="crm.deal.registration",
        string="Registration",
        required=True,
        ondelete="cascade",
        index=True,
    )
    res_model = fields.Char(
        string="Matched Model",
        required=True,
    )
    res_id = fields.Many2oneReference(
        string="Matched Record",
        model_field="res_model",
        required=True,
    )
    kind = fields.Selection(
        selection=[
            ("same", "Same"),
            ("probable", "Probable"),
            ("homophone", "Homophone"),
        ],
        string="Kind",
        required=True,
    )
    score = fields.Integer()
    # The engine's reason codes, one per line (crm.match.engine
    # _get_reason_labels): the review shows them in the reader's language,
    # not in the language of whoever submitted the registration.
    reason_codes = fields.Text()
    reasons = fields.Text(
        compute="_compute_reasons",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Matched Customer",
        ondelete="cascade",
    )
    matched_registration_id = fields.Many2one(
        comodel_name="crm.deal.registration",
        string="Matched Registration",
        ondelete="cascade",
    )
    matched_lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Matched Opportunity",
        ondelete="cascade",
    )
    matched_name = fields.Char(
        compute="_compute_matched_details",
    )
    matched_distributor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Held by",
        compute="_compute_matched_details",
    )
    matched_protected_until = fields.Date(
        string="Protected Until",
        compute="_compute_matched_details",
    )
    matched_state = fields.Char(
        string="Matched Status",
        compute="_compute_matched_details",
    )

    @api.depends("reason_codes")
    @api.depends_context("lang")
    def _compute_reasons(self):
        labels = self.env["crm.match.engine"]._get_reason_labels()
        for match in self:
            match.reasons = "\n".join(
                # a line that is no code (written by hand) is shown as it is
                labels.get(code, code)
                for code in (match.reason_codes or "").splitlines()
            )

    @api.depends("partner_id", "matched_registration_id", "matched_lead_id")
    def _compute_matched_details(self):
        # sudo: the matched records may belong to other distributors or salespeople;
        # this review is for channel managers.
        for match in self.sudo():
            registration = match.matched_registration_id
            partner = match.partner_id
            lead = match.matched_lead_id
            if registration:
                match.matched_name = registration.partner_name
                match.matched_distributor_id = registration.distributor_id
                match.matched_protected_until = (
                    registration._get_protected_until()
                    if registration.state in LIVE_STATES
                    else False
                )
                match.matched_state = dict(
                    registration._fields["state"]._description_selection(self.env)
                )[registration.state]
            elif partner:
                match.matched_name = partner.display_name
                match.matched_distributor_id = partner.end_customer_distributor_id
                match.matched_protected_until = partner.end_customer_protected_until
                match.matched_state = self.env._("Customer")
            else:
                match.matched_name = lead.name
                match.matched_distributor_id = lead.distributor_id
                match.matched_protected_until = False
                match.matched_state = lead.stage_id.name or self.env._("Opportunity")

    @api.model
    def _prepare_values(self, match):
        """crm.deal.registration.match values of a find_matches() result."""
        model, res_id = match["model"], match["res_id"]
        return {
            "res_model": model,
            "res_id": res_id,
            "kind": match["kind"],
            "score": match.get("score") or 0,
            "reason_codes": "\n".join(match.get("reason_codes") or []),
            "partner_id": res_id if model == "res.partner" else False,
            "matched_registration_id": res_id if model == "crm.deal.registration" else False,
            "matched_lead_id": res_id if model == "crm.lead" else False,
        }

    def action_use_partner(self):
        """Decision of the conflict review: the registration is this customer."""
        self.ensure_one()
        return self.registration_id._action_link_partner(self.partner_id)

    def action_open_matched(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
