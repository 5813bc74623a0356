import logging

from pypinyin import lazy_pinyin

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..tools import input_rules, row_keys
from ..tools.claim_key import claim_keys

_logger = logging.getLogger(__name__)

# Registrations of another distributor in these states protect the customer
# (crm.deal.registration's LIVE_STATES: they hold the claim keys).
PROTECTED_STATES = ("submitted", "returned", "approved", "converted")
# A distributor's own registrations in these states make a row "already yours".
OWN_ACTIVE_STATES = ("draft",) + PROTECTED_STATES
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
            ("duplicate", "Possible Duplicate"),
            ("invalid", "Invalid"),
        ],
        string="Triage",
        required=True,
        default="pending",
        index=True,
    )
    reason = fields.Char()
    score = fields.Integer(
        string="Match Score",
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
        # even by two uploads confirmed at the same moment.
        self.env.cr.execute(
            SQL(
                "DROP INDEX IF EXISTS %s",
                SQL.identifier("crm_registration_upload_line_submitted_uniq"),
            )
        )
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

    @api.depends("status", "registration_id", "sell_out_id")
    def _compute_can_submit(self):
        for line in self:
            line.can_submit = (
                line.status in SUBMITTABLE and not line.registration_id and not line.sell_out_id
            )

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
    def _get_country_index(self):
        index = {}
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        for lang in {"en_US", "zh_CN"} & installed:
            for country in self.env["res.country"].with_context(lang=lang).search([]):
                index.setdefault(country.name.casefold(), country)
                index.setdefault(country.code.casefold(), country)
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
            "countries": self._get_country_index(),
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
        """find_matches results for the row's customer (crm.match.engine)."""
        self.ensure_one()
        # sudo: the engine must see every distributor's records to detect a
        # conflict; only the score and the reasons reach the distributor.
        return self.env["crm.match.engine"].sudo().find_matches(self._get_match_values(), limit=5)

    def _find_matches_batch(self, limit=5):
        """find_matches of every line in a few queries ({line id: [matches]}):
        see crm.match.engine._find_matches_batch."""
        # sudo: see _find_matches
        return (
            self.env["crm.match.engine"]
            .sudo()
            ._find_matches_batch({line.id: line._get_match_values() for line in self}, limit)
        )

    def _get_claim_keys(self):
        self.ensure_one()
        return claim_keys(self.partner_name, self.vat)

    def _get_claimed_registrations(self):
        """Registrations that claim the lines' customers (live ones hold the
        claim keys; the distributor's own drafts are compared on the same
        keys), indexed by ("name" | "vat", key)."""
        # sudo: other distributors' registrations are read to detect conflicts;
        # only their protection dates reach the distributor.
        Registration = self.env["crm.deal.registration"].sudo()
        keys = [line._get_claim_keys() for line in self]
        name_keys = [name for name, _vat in keys if name]
        vat_keys = [vat for _name, vat in keys if vat]
        registrations = Registration.search(
            [
                ("state", "in", PROTECTED_STATES),
                "|",
                ("claim_name_key", "in", name_keys),
                ("claim_vat_key", "in", vat_keys),
            ],
            order="id",
        )
        by_key = {}
        for registration in registrations:
            for key in (("name", registration.claim_name_key), ("vat", registration.claim_vat_key)):
                if key[1]:
                    by_key[key] = by_key.get(key, Registration) | registration
        drafts = Registration.search(
            [("distributor_id", "in", self.distributor_id.ids), ("state", "=", "draft")]
        )
        for draft in drafts:
            name_key, vat_key = draft._get_claim_keys()
            for key in (("name", name_key), ("vat", vat_key)):
                if key[1]:
                    by_key[key] = by_key.get(key, Registration) | draft
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

    def _conflict_reason(self, until):
        return self.env._(
            "Already registered by another partner until %(date)s.",
            date=format_date(self.env, until),
        )

    def _triage(self):
        """Classify the pending lines: mine / conflict / duplicate / new."""
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
        values_by_line = {}
        to_match_ids = []
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
                values_by_line[line] = line._classify_sell_out(customers)
            else:
                values = line._classify(claimed)
                if values is None:
                    to_match_ids.append(line.id)
                else:
                    values_by_line[line] = values
        to_match = self.browse(to_match_ids)
        matches = to_match._find_matches_batch() if to_match else {}
        for line in to_match:
            values_by_line[line] = line._classify_matches(matches[line.id])
        # One write per distinct outcome (most rows share "new").
        groups = {}
        for line, values in values_by_line.items():
            groups.setdefault(tuple(sorted(values.items())), []).append(line.id)
        for key, ids in groups.items():
            self.browse(ids).write(dict(key))

    def _classify_sell_out(self, customers):
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

    def _classify(self, claimed):
        """Status of a registration row from its claim keys (own or another
        distributor's live registration); None: ask the matching engine."""
        self.ensure_one()
        distributor = self.distributor_id
        Registration = self.env["crm.deal.registration"].sudo()
        name_key, vat_key = self._get_claim_keys()
        candidates = claimed.get(("vat", vat_key), Registration) | claimed.get(
            ("name", name_key), Registration
        )
        own = candidates.filtered(lambda r: r.distributor_id == distributor)
        if own:
            return self._mine_values(own[0], 100)
        others = candidates.filtered(lambda r: r.state in PROTECTED_STATES)
        if others:
            until = max(other._get_protected_until() for other in others)
            return self._conflict_values(others[0], until, 100)
        return None  # decided by the matching engine (_classify_matches)

    def _mine_values(self, registration, score):
        return {
            "status": "mine",
            "reason": self.env._(
                "You registered this customer already (%(ref)s).", ref=registration.name
            ),
            "score": score,
            "match_model": registration._name,
            "match_res_id": registration.id,
            "selected": False,
        }

    def _conflict_values(self, record, until, score):
        return {
            "status": "conflict",
            "reason": self._conflict_reason(until),
            "score": score,
            "match_model": record._name,
            "match_res_id": record.id,
            "selected": False,
        }

    def _classify_matches(self, matches):
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
                    return self._mine_values(record, match["score"])
                if record.distributor_id != distributor and record.state in PROTECTED_STATES:
                    return self._conflict_values(
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
                            "score": match["score"],
                            "match_model": holder._name,
                            "match_res_id": holder.id,
                            "selected": False,
                        }
                    return self._conflict_values(
                        holder, holder.end_customer_protected_until, match["score"]
                    )
        matches = [
            match
            for match in matches
            if not (match["model"] == "res.partner" and match["res_id"] == distributor.id)
        ]
        if matches:
            best = matches[0]
            return {
                "status": "duplicate",
                "reason": "; ".join(best.get("reasons") or []),
                "score": best["score"],
                "match_model": best["model"],
                "match_res_id": best["res_id"],
                "selected": False,
            }
        return {"status": "new", "reason": False, "score": 0, "selected": True}

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
        registrations = (
            self.env["crm.deal.registration"]
            .sudo()
            .create([line._prepare_registration_values() for line in registration_lines])
        )
        for line, registration in zip(registration_lines, registrations, strict=True):
            line.registration_id = registration
        sell_outs = (
            self.env["crm.sell.out"]
            .sudo()
            .create([line._prepare_sell_out_values() for line in sell_out_lines])
        )
        for line, sell_out in zip(sell_out_lines, sell_outs, strict=True):
            line.sell_out_id = sell_out
        self.flush_recordset(["registration_id", "sell_out_id"])
        registration_lines._submit_registrations(registrations)
        return registrations, sell_outs

    def _submit_registrations(self, registrations):
        """Submit through the registration workflow (claim, matches, limits);
        a row that turned out to be protected elsewhere meanwhile refuses
        the whole confirmation."""
        registrations.action_submit()
        for line, registration in zip(self, registrations, strict=True):
            if registration.is_conflict:
                raise UserError(
                    self.env._(
                        "Row %(row)s is now protected by another partner until %(date)s. "
                        "Nothing was submitted; remove that row and confirm again.",
                        row=line.row_number,
                        date=format_date(self.env, registration.conflict_until),
                    )
                )
