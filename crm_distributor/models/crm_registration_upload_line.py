import logging

from pypinyin import lazy_pinyin

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..tools import input_rules, row_keys
from ..tools.claim_key import LIVE_STATES, claim_keys

_logger = logging.getLogger(__name__)

# A distributor's own registrations in these states make a row "already yours";
# another distributor's live ones (tools.claim_key.LIVE_STATES) protect the customer.
OWN_ACTIVE_STATES = ("draft",) + LIVE_STATES
SUBMITTABLE = ("new", "duplicate")
# Candidates read per row, model and kind of lookup (as crm.match.engine).


class CrmRegistrationUploadLine(models.Model):
    """One row of an uploaded file, triaged before anything is written."""

    _name = "crm.registration.upload.line"
    _description = "Registration Upload Row"
    _order = "upload_id, row_number, id"

    upload_id = fields.Many2one(
        comodel_name="crm.registration.upload",
        string="Upload",
        required=True,
        ondelete="cascade",
        index=True,
    )
    distributor_id = fields.Many2one(
        related="upload_id.distributor_id",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        related="upload_id.company_id",
        store=True,
    )
    row_number = fields.Integer(
        string="Row",
        readonly=True,
    )
    fingerprint = fields.Char(
        readonly=True,
        index=True,
    )
    kind = fields.Selection(
        selection=[
            ("registration", "Registration"),
            ("sell_out", "Sell-out"),
        ],
        required=True,
        default="registration",
        help="A row with a sale date or serial numbers reports a sale to one of the "
        "distributor's end customers; the other rows register a customer and a deal.",
    )
    status = fields.Selection(
        selection=[
            ("pending", "To Triage"),
            ("new", "New"),
            ("mine", "Already Yours"),
            ("conflict", "Conflict"),
            ("duplicate", "Needs Review"),
            ("invalid", "Invalid"),
        ],
        string="Triage",
        required=True,
        default="pending",
        index=True,
    )
    # What the distributor is told (neutral about others' records, issue 9).
    reason = fields.Char()
    # What the channel manager is told: who, until when, the score, the
    # reasons; composed in the reader's language from the stored facts below.
    review_detail = fields.Char(
        compute="_compute_review_detail",
        groups="sales_team.group_sale_salesman",
    )
    match_protected_until = fields.Date(
        string="Matched Protected Until",
        groups="sales_team.group_sale_salesman",
    )
    # crm.match.engine reason codes, one per line
    match_reason_codes = fields.Char(
        groups="sales_team.group_sale_salesman",
    )
    score = fields.Integer(
        string="Match Score",
        groups="sales_team.group_sale_salesman",
    )
    # What the row matched: internal users only (it may be another
    # distributor's record, which a distributor must not learn).
    match_model = fields.Char(
        string="Matched Model",
        groups="sales_team.group_sale_salesman",
    )
    match_res_id = fields.Many2oneReference(
        string="Matched Record",
        model_field="match_model",
        groups="sales_team.group_sale_salesman",
    )
    selected = fields.Boolean(
        string="Submit",
    )
    can_submit = fields.Boolean(
        string="Can Be Submitted",
        compute="_compute_can_submit",
    )
    registration_id = fields.Many2one(
        comodel_name="crm.deal.registration",
        string="Registration",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    sell_out_id = fields.Many2one(
        comodel_name="crm.sell.out",
        string="Sell-out",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    end_customer_registration_id = fields.Many2one(
        comodel_name="crm.deal.registration",
        string="End Customer Registration",
        readonly=True,
        help="For a sell-out row: the distributor's approved registration of the customer.",
    )
    # Values read from the row
    partner_name = fields.Char(string="Customer Name")
    vat = fields.Char(string="Credit Code")
    contact_name = fields.Char(string="Contact")
    phone = fields.Char()
    mobile = fields.Char()
    email_from = fields.Char(string="Email")
    street = fields.Char(string="Address")
    city = fields.Char()
    state_id = fields.Many2one(
        comodel_name="res.country.state",
        string="Province",
    )
    country_id = fields.Many2one(
        comodel_name="res.country",
        string="Country",
    )
    product_code = fields.Char()
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
    )
    quantity = fields.Float(
        digits="Product Unit of Measure",
    )
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
    )
    expected_revenue = fields.Float()
    date_deadline = fields.Date(string="Expected Close Date")
    serial_numbers = fields.Char()
    sale_date = fields.Date()
    description = fields.Text(string="Notes")
    source_values = fields.Json(
        readonly=True,
        help="The cells of the row as read from the file, by column: the export "
        "writes them back so that a refused row can be corrected and uploaded again.",
    )

    def init(self):
        # The same row (fingerprint) is submitted at most once per distributor,
        # even by two uploads confirmed at the same moment. (The index it
        # replaces is dropped by migrations/18.0.2.0.0/pre-upload-index.py.)
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (distributor_id, fingerprint) "
                "WHERE registration_id IS NOT NULL OR sell_out_id IS NOT NULL",
                SQL.identifier("crm_registration_upload_line_done_uniq"),
                SQL.identifier(self._table),
            )
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends(
        "status",
        "score",
        "match_model",
        "match_res_id",
        "match_protected_until",
        "match_reason_codes",
    )
    @api.depends_context("lang")
    def _compute_review_detail(self):
        labels = self.env["crm.match.engine"]._get_reason_labels()
        for line in self:
            line.review_detail = False
            if not line.match_model or line.status not in ("conflict", "duplicate"):
                continue
            # sudo: the matched record is another distributor's or a direct
            # customer; the detail is for internal users (field groups)
            record = self.env[line.match_model].sudo().browse(line.match_res_id).exists()
            if not record:
                continue
            until = (
                format_date(self.env, line.match_protected_until)
                if line.match_protected_until
                else "-"
            )
            if line.status == "duplicate":
                line.review_detail = self.env._(
                    "%(record)s (%(model)s), score %(score)s: %(reasons)s",
                    record=record.display_name,
                    model=self.env["ir.model"]._get(line.match_model).name,
                    score=line.score,
                    reasons="; ".join(
                        labels.get(code, code)
                        for code in (line.match_reason_codes or "").splitlines()
                    )
                    or "-",
                )
            elif record._name == "crm.deal.registration":
                line.review_detail = self.env._(
                    "Protected by registration %(ref)s of %(distributor)s until %(date)s.",
                    ref=record.name,
                    distributor=record.distributor_id.display_name,
                    date=until,
                )
            else:
                line.review_detail = self.env._(
                    "End customer %(customer)s of %(distributor)s, protected until %(date)s.",
                    customer=record.display_name,
                    distributor=record.end_customer_distributor_id.display_name,
                    date=until,
                )

    @api.depends("status", "registration_id", "sell_out_id")
    def _compute_can_submit(self):
        for line in self:
            line.can_submit = (
                line.status in SUBMITTABLE and not line.registration_id and not line.sell_out_id
            )

    def _get_export_value(self, key):
        """The cell of column ``key`` (tools/spreadsheet column key) for the
        export: as read from the file, else from the row's fields; None (an
        empty cell) when there is nothing, never False."""
        self.ensure_one()
        if self.source_values is not None:
            return self.source_values.get(key)
        field = {"email": "email_from", "province": "state_id", "country": "country_id"}.get(
            key, key
        )
        if field not in self._fields:
            return None
        value = self[field]
        if isinstance(value, models.BaseModel):
            return value.display_name or None
        if isinstance(value, bool) or value in (None, ""):
            return None
        return value

    def _get_status_label(self):
        self.ensure_one()
        return dict(self._fields["status"]._description_selection(self.env))[self.status]

    # ------------------------------------------------------------------
    # Building the lines from a table
    # ------------------------------------------------------------------

    @api.model
    def _get_state_index(self):
        """Province lookup: Chinese name with or without its suffix, pinyin, code."""
        index = {}
        china = self.env.ref("base.cn", raise_if_not_found=False)
        for state in self.env["res.country.state"].search([("country_id", "=", china.id)]):
            for key in row_keys.province_keys(state.name):
                index.setdefault(key, state)
                index.setdefault("".join(lazy_pinyin(key)), state)
            index.setdefault(state.code.casefold(), state)
        return index

    @api.model
    def _prepare_lines_from_table(self, distributor, table):
        """Values of the lines of ``table`` (a tools.spreadsheet.Table):
        checked by the input rules (an invalid row lists all its problems),
        fingerprinted, with the cells as read (for the export)."""
        codes = {
            str(values["product_code"]) for _n, values in table.rows if "product_code" in values
        }
        products = {}
        if codes:
            for product in self.env["product.product"].search(
                [("default_code", "in", list(codes))]
            ):
                products.setdefault(product.default_code, product)
        lookups = {
            "products": products,
            "states": self._get_state_index(),
            "countries": self.env["crm.registration.upload"]._get_country_index(),
            "china": self.env.ref("base.cn"),
        }
        seen = {}
        vals_list = []
        for row_number, values in table.rows:
            vals, problems = self._convert_row(values, lookups)
            vals["row_number"] = row_number
            vals["source_values"] = {
                key: value if isinstance(value, int | float | str) else str(value)
                for key, value in values.items()
            }
            if not problems:
                fingerprint = row_keys.fingerprint(
                    distributor.id, self._get_fingerprint_values(vals)
                )
                if fingerprint in seen:
                    problems.append(
                        self.env._("Same row as row %(row)s of this file.", row=seen[fingerprint])
                    )
                else:
                    seen[fingerprint] = row_number
                    vals["fingerprint"] = fingerprint
            if problems:
                vals.update(status="invalid", reason="\n".join(problems), selected=False)
            vals_list.append(vals)
        return vals_list

    @api.model
    def _get_fingerprint_values(self, vals):
        """The values a row's fingerprint is made of (unchanged since 18.0.1:
        the rows confirmed before an upgrade are still recognised)."""
        return {
            key: value
            for key, value in vals.items()
            if key not in ("row_number", "state_id", "country_id", "product_id", "source_values")
            and value not in (None, "")
        }

    @api.model
    def _get_row_input(self, values, lookups):
        """Registration input (crm.deal.registration._prepare_values_from_input)
        of a row read with the upload's columns; a list of problems found
        while resolving the province, country and product."""
        problems = []
        raw = {"partner_name": values.get("partner_name")}
        for column, field in (
            ("vat", "vat"),
            ("contact_name", "contact_name"),
            ("email", "email_from"),
            ("phone", "phone"),
            ("mobile", "mobile"),
            ("street", "street"),
            ("city", "city"),
            ("expected_revenue", "expected_revenue"),
            ("date_deadline", "date_deadline"),
            ("description", "description"),
        ):
            if column in values:
                raw[field] = values[column]
        if "province" in values:
            keys = row_keys.province_keys(values["province"])
            state = next((lookups["states"][key] for key in keys if key in lookups["states"]), None)
            raw["state_id"] = state.id if state else False
        if "country" in values:
            country = lookups["countries"].get(str(values["country"]).casefold())
            raw["country_id"] = country.id if country else False
        elif raw.get("state_id"):
            raw["country_id"] = lookups["china"].id
        if "product_code" in values:
            code = str(values["product_code"])
            product = lookups["products"].get(code)
            if not product:
                problems.append(self.env._("Unknown product code %(value)s.", value=code))
            raw["lines"] = [
                {
                    "product_id": product.id if product else False,
                    "quantity": values.get("quantity", 1),
                    "price_unit": values.get("price_unit"),
                }
            ]
        return raw, problems

    @api.model
    def _convert_row(self, values, lookups):
        """(line values, [translated problems]) of one row: every problem of
        the row, each naming its field."""
        raw, problems = self._get_row_input(values, lookups)
        is_sell_out = bool(values.get("sale_date") or values.get("serial_numbers"))
        lines = raw.pop("lines", None) if is_sell_out else raw.get("lines")
        registration_vals, errors = self.env["crm.deal.registration"]._prepare_values_from_input(
            raw
        )
        problems = list(errors.values()) + problems
        vals = {
            field: registration_vals[field]
            for field in (
                "partner_name",
                "vat",
                "contact_name",
                "email_from",
                "phone",
                "mobile",
                "street",
                "city",
                "state_id",
                "country_id",
                "expected_revenue",
                "date_deadline",
            )
            if field in registration_vals
        }
        if "description" in registration_vals and "description" in raw:
            vals["description"] = input_rules.clean_text(raw["description"], multiline=True)
        if lines:
            vals.update(product_code=str(values["product_code"]), product_id=lines[0]["product_id"])
            for command in registration_vals.get("line_ids", []):
                vals.update(quantity=command[2]["quantity"], price_unit=command[2]["price_unit"])
            if is_sell_out:
                sell_out_vals, errors = self.env["crm.sell.out"]._prepare_values_from_input(
                    {
                        "quantity": values.get("quantity", 1),
                        "date": values.get("sale_date"),
                        "serial_numbers": values.get("serial_numbers"),
                    }
                )
                problems += list(errors.values())
                vals.update(
                    quantity=sell_out_vals.get("quantity"),
                    sale_date=sell_out_vals.get("date"),
                    serial_numbers=", ".join(
                        input_rules.split_serials(values.get("serial_numbers"))
                    ),
                )
        if "price_unit" in values and not lines:
            # A price without a product is still checked (and kept).
            price, errors = self.env["crm.input.rules"]._check_input(
                "crm.deal.registration.line",
                {"price_unit": values["price_unit"]},
                input_rules.REGISTRATION_LINE_RULES,
            )
            problems += list(errors.values())
            vals.update(price)
        if is_sell_out:
            vals["kind"] = "sell_out"
            if not lines:
                problems.append(
                    self.env._("A sale (sale date or serial numbers) needs a product code.")
                )
        return {
            key: value
            for key, value in vals.items()
            if value is not False and value not in (None, "")
        }, problems

    # ------------------------------------------------------------------
    # Triage
    # ------------------------------------------------------------------

    def _get_match_values(self):
        """res.partner-style keys for crm.match.engine.find_matches."""
        self.ensure_one()
        return {
            "name": self.partner_name,
            "vat": self.vat,
            "email": self.email_from,
            "phone": self.phone,
            "mobile": self.mobile,
            "city": self.city,
            "state_id": self.state_id.id,
            "country_id": self.country_id.id,
            "contact_name": self.contact_name,
        }

    def _find_matches(self):
        """Matches of the row's customer (a batch of one)."""
        self.ensure_one()
        return self._find_matches_batch()[self.id]

    def _find_matches_batch(self, limit=10):
        """{line id: matches}: the registration's own lookup
        (crm.deal.registration._find_live_matches), so that a row triaged
        "new" or "needs review" is not found protected when it is submitted."""
        return self.env["crm.deal.registration"]._find_live_matches(
            {line.id: line._get_match_values() for line in self}, limit=limit
        )

    def _get_claim_keys(self):
        self.ensure_one()
        return claim_keys(self.partner_name, self.vat)

    def _get_claimed_registrations(self):
        """Who claims the lines' customers: {claim key: registration}. Live
        registrations (any distributor's) come from the one owner of claims,
        crm.deal.registration._get_claims; the distributor's own drafts, which
        hold no claim yet, are compared on the same keys. In sudo."""
        Registration = self.env["crm.deal.registration"]
        by_key = {}
        for company in self.company_id:
            lines = self.filtered(lambda line, company=company: line.company_id == company)
            keys = {key for line in lines for key in line._get_claim_keys() if key}
            by_key.update(Registration._get_claims(keys, company=company))
        # sudo: the distributor's own drafts (portal users read them in sudo here
        # as everywhere in the triage).
        drafts = Registration.sudo().search(
            [("distributor_id", "in", self.distributor_id.ids), ("state", "=", "draft")]
        )
        for draft in drafts:
            for key in draft._get_claim_keys():
                if key:
                    by_key.setdefault(key, draft)
        return by_key

    def _get_end_customer_registrations(self):
        """The distributors' registrations that have an end customer partner
        (approved or converted), indexed by (distributor id, claim key)."""
        # sudo: portal users may not read end-customer partners; the
        # registrations are the distributor's own.
        Registration = self.env["crm.deal.registration"].sudo()
        registrations = Registration.search(
            Registration._get_end_customer_domain(self.distributor_id), order="id desc"
        )
        index = {}
        for registration in registrations:
            name_key, vat_key = registration._get_claim_keys()
            for key in (("name", name_key), ("vat", vat_key)):
                if key[1]:
                    index.setdefault((registration.distributor_id.id, key), registration)
        return index

    def _triage(self):
        """Classify the pending lines: mine / conflict / needs review / new.

        Privacy (issue 9): a distributor learns nothing about records it does
        not own beyond one neutral answer per row: "already protected for
        another partner" (a live claim) or "needs review by your channel
        manager" (anything else it matched: a draft or expired registration,
        a direct customer, a lead); the detail (who, until when, score,
        reasons) is kept in review_detail and score, for internal users only.

        Timing: every registration row goes through the matching engine, also
        when its claim keys already decided it, so that the work, and the time,
        of a row does not depend on what it matched. Portal files are read and
        triaged by the cron, in batches, so that a distributor never observes
        the time of one row: only the progress page, refreshed every few
        seconds, and the end of the whole file (see readme/USAGE.md).
        """
        lines = self.filtered(lambda line: line.status == "pending")
        if not lines:
            return
        done = {
            (line.distributor_id.id, line.fingerprint): line
            for line in self.search(
                [
                    ("fingerprint", "in", lines.mapped("fingerprint")),
                    ("distributor_id", "in", lines.distributor_id.ids),
                    "|",
                    ("registration_id", "!=", False),
                    ("sell_out_id", "!=", False),
                ]
            )
        }
        sell_outs = lines.filtered(lambda line: line.kind == "sell_out")
        registrations = lines - sell_outs
        claimed = registrations._get_claimed_registrations() if registrations else {}
        customers = sell_outs._get_end_customer_registrations() if sell_outs else {}
        # Constant work per registration row (see the docstring).
        matches = registrations._find_matches_batch() if registrations else {}
        values_by_line = {}
        for line in lines:
            earlier = done.get((line.distributor_id.id, line.fingerprint))
            if earlier:
                values_by_line[line] = {
                    "status": "mine",
                    "reason": self.env._(
                        "Already submitted with the upload %(upload)s.",
                        upload=earlier.upload_id.name,
                    ),
                    "selected": False,
                }
            elif line.kind == "sell_out":
                values_by_line[line] = line._decide_sell_out_status(customers)
            else:
                values_by_line[line] = line._decide_status_from_claims(
                    claimed
                ) or line._decide_status_from_matches(matches[line.id])
        registrations._mark_repeated_customers(values_by_line)
        # One write per distinct outcome (most rows share "new").
        groups = {}
        for line, values in values_by_line.items():
            groups.setdefault(tuple(sorted(values.items())), []).append(line.id)
        for key, ids in groups.items():
            self.browse(ids).write(dict(key))

    def _mark_repeated_customers(self, values_by_line):
        """A customer named on several rows of one file is submitted once:
        the rows after the first that would be submitted are marked "already
        in this file", as the confirmation would refuse their claim (the
        first row holds it). Rows triaged in earlier batches count."""
        lines = self.filtered(
            lambda line: line in values_by_line and values_by_line[line]["status"] in SUBMITTABLE
        )
        if not lines:
            return
        earlier = self.search(
            [
                ("upload_id", "in", lines.upload_id.ids),
                ("kind", "!=", "sell_out"),
                ("status", "in", SUBMITTABLE),
                ("id", "not in", lines.ids),
            ]
        )
        first_row = {}
        for line in (earlier | lines).sorted(lambda line: (line.row_number, line.id)):
            keys = [
                (line.upload_id.id, index, key)
                for index, key in enumerate(line._get_claim_keys())
                if key
            ]
            repeated = next((first_row[key] for key in keys if key in first_row), None)
            if repeated is None:
                first_row.update(dict.fromkeys(keys, line.row_number))
            elif line in lines:
                values_by_line[line] = {
                    "status": "mine",
                    "reason": self.env._(
                        "Same customer as row %(row)s of this file: it is submitted once.",
                        row=repeated,
                    ),
                    "match_protected_until": False,
                    "match_reason_codes": False,
                    "score": 100,
                    "match_model": False,
                    "match_res_id": False,
                    "selected": False,
                }

    def _decide_sell_out_status(self, customers):
        self.ensure_one()
        name_key, vat_key = self._get_claim_keys()
        registration = customers.get((self.distributor_id.id, ("vat", vat_key))) or customers.get(
            (self.distributor_id.id, ("name", name_key))
        )
        if not registration:
            return {
                "status": "invalid",
                "reason": self.env._(
                    "%(customer)s is not one of your approved end customers: register it first.",
                    customer=self.partner_name,
                ),
                "selected": False,
            }
        return {
            "status": "new",
            "reason": False,
            "end_customer_registration_id": registration.id,
            "selected": True,
        }

    def _decide_status_from_claims(self, claimed):
        """Status of a registration row from its claim keys (the distributor's
        own registration, or another distributor's live claim); None: decided
        by the matching engine (_decide_status_from_matches)."""
        self.ensure_one()
        holders = [claimed[key] for key in self._get_claim_keys() if key and key in claimed]
        own = [holder for holder in holders if holder.distributor_id == self.distributor_id]
        if own:
            return self._prepare_already_yours_values(own[0], 100)
        if holders:
            return self._prepare_protected_values(
                holders[0], holders[0]._get_protected_until(), 100
            )
        return None

    def _prepare_already_yours_values(self, registration, score):
        return {
            "status": "mine",
            "reason": self.env._(
                "You registered this customer already (%(ref)s).", ref=registration.name
            ),
            "score": score,
            "match_protected_until": False,
            "match_reason_codes": False,
            "match_model": registration._name,
            "match_res_id": registration.id,
            "selected": False,
        }

    def _prepare_protected_values(self, record, until, score):
        """A live claim of another partner: the distributor is told only that
        (no date, no name); the channel manager reads who and until when
        (review_detail)."""
        return {
            "status": "conflict",
            "reason": self.env._("Already protected for another partner."),
            "match_protected_until": until or False,
            "match_reason_codes": False,
            "score": score,
            "match_model": record._name,
            "match_res_id": record.id,
            "selected": False,
        }

    def _prepare_needs_review_values(self, match):
        """Anything else the row matched that the distributor does not own: one
        neutral answer; the match itself is for the channel manager."""
        return {
            "status": "duplicate",
            "reason": self.env._("Needs review by your channel manager."),
            "match_protected_until": False,
            "match_reason_codes": "\n".join(match.get("reason_codes") or []) or False,
            "score": match["score"],
            "match_model": match["model"],
            "match_res_id": match["res_id"],
            "selected": False,
        }

    def _decide_status_from_matches(self, matches):
        """Status of the row from find_matches results (best first)."""
        distributor = self.distributor_id
        today = fields.Date.context_today(self)
        for match in matches:
            if match["kind"] != "same":
                continue
            # sudo: see _find_matches
            record = self.env[match["model"]].sudo().browse(match["res_id"])
            if match["model"] == "crm.deal.registration":
                if record.distributor_id == distributor and record.state in OWN_ACTIVE_STATES:
                    return self._prepare_already_yours_values(record, match["score"])
                if record.distributor_id != distributor and record.state in LIVE_STATES:
                    return self._prepare_protected_values(
                        record, record._get_protected_until(), match["score"]
                    )
            elif match["model"] == "res.partner":
                holder = record.commercial_partner_id
                if (
                    holder.end_customer_distributor_id
                    and holder.end_customer_protected_until
                    and holder.end_customer_protected_until >= today
                ):
                    if holder.end_customer_distributor_id == distributor:
                        return {
                            "status": "mine",
                            "reason": self.env._("This customer is already one of yours."),
                            "match_protected_until": False,
                            "match_reason_codes": False,
                            "score": match["score"],
                            "match_model": holder._name,
                            "match_res_id": holder.id,
                            "selected": False,
                        }
                    return self._prepare_protected_values(
                        holder, holder.end_customer_protected_until, match["score"]
                    )
        matches = [
            match
            for match in matches
            if not (match["model"] == "res.partner" and match["res_id"] == distributor.id)
        ]
        if matches:
            return self._prepare_needs_review_values(matches[0])
        return {
            "status": "new",
            "reason": False,
            "match_protected_until": False,
            "match_reason_codes": False,
            "score": 0,
            "selected": True,
        }

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------

    def _get_registration_input(self):
        """The row's values as registration input (the same rules as at triage)."""
        self.ensure_one()
        raw = {
            field: self[field]
            for field in (
                "partner_name",
                "vat",
                "contact_name",
                "email_from",
                "phone",
                "mobile",
                "street",
                "city",
                "expected_revenue",
                "date_deadline",
                "description",
            )
        }
        raw.update(state_id=self.state_id.id, country_id=self.country_id.id)
        if self.product_id:
            raw["lines"] = [
                {
                    "product_id": self.product_id.id,
                    "quantity": self.quantity or 1.0,
                    "price_unit": self.price_unit,
                }
            ]
        return raw

    def _raise_input_errors(self, errors):
        """Refuse the confirmation: the row and every problem of it."""
        self.ensure_one()
        raise UserError(
            self.env["crm.input.rules"]._get_row_message(self.row_number, " ".join(errors.values()))
        )

    def _prepare_registration_values(self):
        self.ensure_one()
        vals, errors = self.env["crm.deal.registration"]._prepare_values_from_input(
            self._get_registration_input()
        )
        if errors:
            self._raise_input_errors(errors)
        vals.update(distributor_id=self.distributor_id.id, company_id=self.company_id.id)
        return vals

    def _prepare_sell_out_values(self):
        self.ensure_one()
        registration = self.end_customer_registration_id
        vals, errors = self.env["crm.sell.out"]._prepare_values_from_input(
            {
                "quantity": self.quantity or 1.0,
                "serial_numbers": self.serial_numbers,
                "date": self.sale_date or fields.Date.context_today(self),
                "partner_id": registration.partner_id.id,
                "registration_id": registration.id,
                "product_id": self.product_id.id,
            }
        )
        if errors:
            self._raise_input_errors(errors)
        vals.update(distributor_id=self.distributor_id.id, company_id=registration.company_id.id)
        return vals

    def _create_records(self):
        """Create and submit one registration per registration line and one
        sell-out report per sell-out line. The caller holds the savepoint that
        makes it all or nothing; returns (registrations, sell-outs)."""
        sell_out_lines = self.filtered(lambda line: line.kind == "sell_out")
        registration_lines = self - sell_out_lines
        # sudo: the distributor's portal users may not create registrations or
        # sell-out reports directly; the upload was checked to be theirs and the
        # distributor is forced from it.
        vals_list = [line._prepare_registration_values() for line in registration_lines]
        # The product lines of all registrations in one create, not one per
        # registration; no "created" log per registration (the upload's digest
        # says it once).
        product_lines = [vals.pop("line_ids", []) for vals in vals_list]
        Registration = self.env["crm.deal.registration"]
        for company in registration_lines.company_id:
            company_vals = [vals for vals in vals_list if vals["company_id"] == company.id]
            for vals, name in zip(
                company_vals, Registration._get_next_names(company, len(company_vals)), strict=True
            ):
                vals["name"] = name
        # the rows claim their end customers with their INSERT when nobody holds
        # them (one UPDATE of every registration fewer at the submit)
        for vals, claim in zip(
            vals_list, Registration.sudo()._prepare_free_claim_values(vals_list), strict=True
        ):
            vals.update(claim)
        registrations = (
            self.env["crm.deal.registration"]
            .sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(vals_list)
        )
        self.env["crm.deal.registration.line"].sudo().create(
            [
                dict(command[2], registration_id=registration.id)
                for registration, commands in zip(registrations, product_lines, strict=True)
                for command in commands
            ]
        )
        registrations.invalidate_recordset(["line_ids"])
        registration_lines._set_created_records("registration_id", registrations)
        sell_outs = (
            self.env["crm.sell.out"]
            .sudo()
            .create([line._prepare_sell_out_values() for line in sell_out_lines])
        )
        sell_out_lines._set_created_records("sell_out_id", sell_outs)
        registration_lines._submit_registrations(registrations)
        return registrations, sell_outs

    def _set_created_records(self, field, records):
        """Link each line to the record created from it: one UPDATE for all
        (the unique index on submitted rows checks them at once)."""
        if not self:
            return
        self.flush_recordset([field])
        self.env.cr.execute(
            SQL(
                "UPDATE %s AS line SET %s = v.record_id, write_uid = %s, write_date = "
                "(now() at time zone 'UTC') FROM (VALUES %s) AS v(id, record_id) "
                "WHERE line.id = v.id",
                SQL.identifier(self._table),
                SQL.identifier(field),
                self.env.uid,
                SQL(", ").join(
                    SQL("(%s, %s)", line.id, record.id)
                    for line, record in zip(self, records, strict=True)
                ),
            )
        )
        self.invalidate_recordset([field, "write_uid", "write_date"])
        self.modified([field])

    def _submit_registrations(self, registrations):
        """Submit through the registration workflow (claim, matches, limits);
        a row that turned out to be protected elsewhere meanwhile refuses
        the whole confirmation."""
        registrations.with_context(crm_distributor_notify_digest=True).action_submit()
        for line, registration in zip(self, registrations, strict=True):
            if registration.is_conflict:
                raise UserError(
                    self.env._(
                        "Row %(row)s is now protected for another partner. "
                        "Nothing was submitted; remove that row and confirm again.",
                        row=line.row_number,
                    )
                )

    def _post_submit_digest(self, registrations):
        """One message to the distributor's users for a whole confirmed upload
        (instead of one per registration), as the confirming user."""
        upload = self.upload_id[:1]
        # sudo: portal users cannot post on their company's partner; the message
        # goes to that distributor's own users only.
        upload.distributor_id.sudo().message_post(
            body=self.env._(
                "%(count)s registrations were submitted from the upload %(upload)s.",
                count=len(registrations),
                upload=upload.name,
            ),
            partner_ids=registrations[:1]._get_distributor_notify_partners().ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
