import base64
import itertools

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from ..tools import input_rules

# The trade-fair list's columns: column key -> recognised headers.
TRADE_FAIR_COLUMNS = {
    "fair_name": ("展会名称", "展会", "fair", "fair name", "exhibition"),
    "fair_phase": ("期数", "展期", "phase"),
    "booth": ("展位号", "展位", "booth"),
    "fair_date": ("日期", "展会日期", "date", "fair date"),
    "contact_name": ("姓名", "联系人", "name", "contact name"),
    "partner_name": ("公司", "公司名称", "company", "company name"),
    "function": ("职位", "职务", "title", "job title", "position"),
    "email": ("邮箱", "电子邮箱", "email", "e-mail"),
    "phone": ("电话", "手机", "phone", "mobile", "telephone"),
    "country": ("国家", "国家或地区", "country"),
    "products": ("感兴趣产品", "意向产品", "products of interest", "interests", "products"),
    "description": ("备注", "notes", "note", "remarks"),
}
TRADE_FAIR_REQUIRED = ("contact_name",)


class CrmTradeFairImport(models.TransientModel):
    """Import a trade-fair lead list (e.g. Canton Fair business cards) into
    leads: read, triage (duplicates through the matching engine), then create
    the selected leads with their UTM campaign, assign them and schedule a
    first follow-up."""

    _name = "crm.trade.fair.import"
    _inherit = ["crm.import.mixin"]
    _description = "Trade Fair Lead Import"

    file = fields.Binary(
        string="Lead List",
        required=True,
    )
    file_name = fields.Char()
    fair_name = fields.Char(
        string="Trade Fair",
        help="Used when the file has no fair column, e.g. 第138届广交会 / 138th Canton Fair.",
    )
    campaign_id = fields.Many2one(
        comodel_name="utm.campaign",
        string="Campaign",
        help="Left empty, a campaign named after the fair (and phase) is found or created.",
    )
    source_id = fields.Many2one(
        comodel_name="utm.source",
        string="Source",
        default=lambda self: self.env.ref(
            "crm_distributor.utm_source_trade_fair", raise_if_not_found=False
        ),
    )
    medium_id = fields.Many2one(
        comodel_name="utm.medium",
        string="Medium",
        default=lambda self: self.env.ref(
            "crm_distributor.utm_medium_trade_fair", raise_if_not_found=False
        ),
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Sales Team",
        required=True,
        default=lambda self: self.env["crm.team"]._get_default_team_id(),
    )
    assignment = fields.Selection(
        selection=[
            ("team", "Round-robin among the team's salespeople"),
            ("territory", "By territory to distributors"),
        ],
        required=True,
        default="team",
    )
    activity_type_id = fields.Many2one(
        comodel_name="mail.activity.type",
        string="First Follow-up",
        default=lambda self: self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False),
    )
    activity_days = fields.Integer(
        string="Follow-up Within (Days)",
        default=2,
    )
    state = fields.Selection(
        selection=[("upload", "Upload"), ("triaged", "Triage"), ("done", "Done")],
        default="upload",
        required=True,
    )
    line_ids = fields.One2many(
        comodel_name="crm.trade.fair.import.line",
        inverse_name="wizard_id",
        string="Cards",
    )
    lead_ids = fields.Many2many(
        comodel_name="crm.lead",
        string="Created Leads",
    )
    summary = fields.Char(
        compute="_compute_summary",
    )
    assignment_summary = fields.Text(
        string="Who Got Which Leads",
        compute="_compute_assignment_summary",
    )

    @api.depends("line_ids.status")
    def _compute_summary(self):
        for wizard in self:
            counts = {status: 0 for status in ("new", "duplicate", "invalid")}
            for line in wizard.line_ids:
                counts[line.status] += 1
            wizard.summary = self.env._(
                "%(new)s new, %(duplicate)s possible duplicates, %(invalid)s invalid",
                **counts,
            )

    @api.depends("lead_ids.user_id", "lead_ids.distributor_id")
    def _compute_assignment_summary(self):
        """One line per salesperson (and distributor): how many leads, which."""
        for wizard in self:
            groups = {}
            for lead in wizard.lead_ids:
                key = (lead.user_id, lead.distributor_id)
                groups.setdefault(key, []).append(
                    lead.partner_name or lead.contact_name or lead.name
                )
            lines = []
            for (user, distributor), names in sorted(
                groups.items(), key=lambda item: (-len(item[1]), item[0][0].name or "")
            ):
                who = user.name or self.env._("Unassigned")
                if distributor:
                    who = self.env._(
                        "%(user)s for %(distributor)s", user=who, distributor=distributor.name
                    )
                lines.append(
                    self.env._(
                        "%(who)s: %(count)s leads (%(names)s)",
                        who=who,
                        count=len(names),
                        names=", ".join(names),
                    )
                )
            wizard.assignment_summary = "\n".join(lines) or False

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.model
    def _get_import_columns(self):
        return TRADE_FAIR_COLUMNS, TRADE_FAIR_REQUIRED

    def action_triage(self):
        self.ensure_one()
        data = base64.b64decode(self.file or b"")
        table = self._read_spreadsheet(data, self.file_name or "leads.xlsx")
        Line = self.env["crm.trade.fair.import.line"]
        vals_list = Line._prepare_lines_from_table(table)
        self.line_ids.unlink()
        self.write(
            {"line_ids": [fields.Command.create(vals) for vals in vals_list], "state": "triaged"}
        )
        self.line_ids._triage()
        return self._reopen()

    def action_import(self):
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.selected and line.status != "invalid")
        if not lines:
            raise UserError(self.env._("Select at least one card to import."))
        with self.env.cr.savepoint():
            leads = self.env["crm.lead"].create([self._prepare_lead_values(line) for line in lines])
            self._assign_leads(leads)
            self._schedule_first_activity(leads)
        self.write({"lead_ids": [fields.Command.set(leads.ids)], "state": "done"})
        return self._reopen()

    def action_open_leads(self):
        action = self.env["ir.actions.actions"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = [("id", "in", self.lead_ids.ids)]
        action["context"] = {"active_test": False}
        return action

    def _reopen(self):
        """The wizard again, with its title and its width (each step)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Trade Fair Leads"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": dict(self.env.context, dialog_size="extra-large"),
        }

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _get_campaign(self, fair_name, phase):
        if self.campaign_id:
            return self.campaign_id
        name = fair_name or self.fair_name or self.file_name or self.env._("Trade fair")
        if phase:
            name = self.env._("%(fair)s, phase %(phase)s", fair=name, phase=phase)
        Campaign = self.env["utm.campaign"]
        return Campaign.search([("name", "=", name)], limit=1) or Campaign.create({"name": name})

    def _prepare_lead_values(self, line):
        fair = line.fair_name or self.fair_name or ""
        campaign = self._get_campaign(fair, line.fair_phase)
        notes = [
            (self.env._("Trade fair"), fair),
            (self.env._("Phase"), line.fair_phase),
            (self.env._("Booth"), line.booth),
            (self.env._("Date"), line.fair_date and fields.Date.to_string(line.fair_date)),
            (self.env._("Products of interest"), line.products),
            (self.env._("Notes"), line.description),
        ]
        description = "\n".join(f"{label}: {value}" for label, value in notes if value)
        return {
            "type": "lead",
            "name": self.env._(
                "%(who)s at %(fair)s", who=line.partner_name or line.contact_name, fair=fair
            )
            if fair
            else line.partner_name or line.contact_name,
            "contact_name": line.contact_name,
            "partner_name": line.partner_name,
            "function": line.function,
            "email_from": line.email_from,
            "phone": line.phone,
            "country_id": line.country_id.id,
            "team_id": self.team_id.id,
            "user_id": False,
            "campaign_id": campaign.id,
            "source_id": self.source_id.id,
            "medium_id": self.medium_id.id,
            # Text from the file is plain text: escaped into the HTML field.
            "description": plaintext2html(description) if description else False,
        }

    def _get_team_users(self):
        """The team's salespeople, least loaded first (open leads)."""
        members = self.team_id.member_ids or self.team_id.user_id
        if not members:
            raise UserError(
                self.env._("The sales team %(team)s has no salesperson.", team=self.team_id.name)
            )
        load = dict(
            self.env["crm.lead"]._read_group(
                domain=[("user_id", "in", members.ids), ("active", "=", True)],
                groupby=["user_id"],
                aggregates=["__count"],
            )
        )
        return members.sorted(lambda user: (load.get(user, 0), user.id))

    def _get_distributor_territory_domain(self, lead):
        """Distributors whose territory covers the lead's province or country."""
        domain = [("is_distributor", "=", True)]
        if lead.state_id:
            return domain + [
                "|",
                ("territory_state_ids", "in", lead.state_id.ids),
                ("territory_country_ids", "in", lead.country_id.ids),
            ]
        return domain + [("territory_country_ids", "in", lead.country_id.ids)]

    def _assign_leads(self, leads):
        users = itertools.cycle(self._get_team_users())
        if self.assignment == "team":
            for lead in leads:
                lead.user_id = next(users)
            return
        cycles = {}
        for lead in leads:
            distributors = (
                self.env["res.partner"].search(
                    self._get_distributor_territory_domain(lead), order="id"
                )
                if lead.country_id
                else self.env["res.partner"]
            )
            if distributors:
                key = tuple(distributors.ids)
                cycles.setdefault(key, itertools.cycle(distributors))
                distributor = next(cycles[key])
                manager = distributor.channel_manager_id or distributor.user_id
                lead.write(
                    {"distributor_id": distributor.id, "user_id": (manager or next(users)).id}
                )
            else:
                lead.user_id = next(users)

    def _schedule_first_activity(self, leads):
        if not self.activity_type_id:
            return
        deadline = fields.Date.add(fields.Date.context_today(self), days=self.activity_days)
        for lead in leads:
            lead.activity_schedule(
                activity_type_id=self.activity_type_id.id,
                date_deadline=deadline,
                summary=self.env._("First follow-up after the trade fair"),
                user_id=lead.user_id.id or self.env.uid,
            )


class CrmTradeFairImportLine(models.TransientModel):
    _name = "crm.trade.fair.import.line"
    _description = "Trade Fair Lead Import Card"
    _order = "row_number, id"

    wizard_id = fields.Many2one(
        comodel_name="crm.trade.fair.import",
        required=True,
        ondelete="cascade",
    )
    row_number = fields.Integer(string="Row")
    status = fields.Selection(
        selection=[
            ("new", "New"),
            ("duplicate", "Possible Duplicate"),
            ("invalid", "Invalid"),
        ],
        string="Triage",
        required=True,
        default="new",
    )
    reason = fields.Char()
    score = fields.Integer(string="Match Score")
    selected = fields.Boolean(string="Import")
    fair_name = fields.Char(string="Trade Fair")
    fair_phase = fields.Char(string="Phase")
    booth = fields.Char()
    fair_date = fields.Date(string="Date")
    contact_name = fields.Char(string="Name")
    partner_name = fields.Char(string="Company")
    function = fields.Char(string="Job Title")
    email_from = fields.Char(string="Email")
    phone = fields.Char()
    country_id = fields.Many2one(
        comodel_name="res.country",
        string="Country",
    )
    products = fields.Char(string="Products of Interest")
    description = fields.Text(string="Notes")
    match_model = fields.Char(string="Matched Model")
    match_res_id = fields.Many2oneReference(
        string="Matched Record",
        model_field="match_model",
    )

    @api.model
    def _prepare_lines_from_table(self, table):
        """Values of the cards of ``table``: checked by the input rules (every
        problem of a card listed), duplicates within the file flagged."""
        countries = self.env["crm.trade.fair.import"]._get_country_index()
        InputRules = self.env["crm.input.rules"]
        seen = {}
        vals_list = []
        for row_number, values in table.rows:
            country = countries.get(str(values.get("country", "")).casefold())
            raw = {
                ("email_from" if key == "email" else key): value
                for key, value in values.items()
                if key != "country"
            }
            raw.setdefault("contact_name", False)
            vals, errors = InputRules._check_input(
                self._name,
                raw,
                input_rules.TRADE_FAIR_RULES,
                region=country.code if country else None,
            )
            problems = list(errors.values())
            vals.update(
                row_number=row_number, selected=True, country_id=country.id if country else False
            )
            if not problems:
                key = (vals.get("email_from") or "").casefold() or (
                    (vals.get("contact_name") or "").casefold(),
                    (vals.get("partner_name") or "").casefold(),
                )
                if key in seen:
                    problems.append(
                        self.env._("Same row as row %(row)s of this file.", row=seen[key])
                    )
                else:
                    seen[key] = row_number
            if problems:
                vals.update(status="invalid", reason="\n".join(problems), selected=False)
            vals_list.append(vals)
        return vals_list

    def _get_match_values(self):
        self.ensure_one()
        return {
            "name": self.partner_name,
            "email": self.email_from,
            "phone": self.phone,
            "country_id": self.country_id.id,
            "contact_name": self.contact_name,
        }

    def _triage(self):
        """Flag possible duplicates among partners, leads and registrations
        (one batched engine call), naming the record each one matched."""
        lines = self.filtered(lambda line: line.status == "new")
        if not lines:
            return
        matches = self.env["crm.match.engine"]._find_matches_batch(
            {line.id: line._get_match_values() for line in lines}, limit=3
        )
        for line in lines:
            # What the user may read only (as find_matches does).
            found = [m for m in matches[line.id] if self.env[m["model"]].has_access("read")]
            if not found:
                continue
            best = found[0]
            line.write(
                {
                    "status": "duplicate",
                    "score": best["score"],
                    "reason": self.env._(
                        "Matches %(record)s (%(model)s): %(reasons)s",
                        record=best.get("display_name")
                        or self.env[best["model"]].browse(best["res_id"]).display_name,
                        model=self.env["ir.model"]._get(best["model"]).name,
                        reasons="; ".join(best.get("reasons") or []) or "-",
                    ),
                    "match_model": best["model"],
                    "match_res_id": best["res_id"],
                    "selected": False,
                }
            )
