import logging

from pypinyin import lazy_pinyin

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, plaintext2html

from ..tools import row_checks
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
    def _row_error_message(self, error):
        params = error.params
        messages = {
            "vat": lambda: self.env._(
                "The credit code %(value)s is not a valid unified social credit code.", **params
            ),
            "email": lambda: self.env._("The e-mail %(value)s is not valid.", **params),
            "phone": lambda: self.env._("The phone number %(value)s is not valid.", **params),
            "number": lambda: self.env._(
                "%(field)s must be a positive number, not %(value)s.", **params
            ),
            "date": lambda: self.env._(
                "%(field)s is not a date: %(value)s (expected 2025-12-31).", **params
            ),
            "product": lambda: self.env._("Unknown product code %(value)s.", **params),
            "name": lambda: self.env._("The customer name is missing."),
            "same_row": lambda: self.env._("Same row as row %(row)s of this file.", **params),
            "sell_out_product": lambda: self.env._(
                "A sale (sale date or serial numbers) needs a product code."
            ),
        }
        return messages[error.key]()

    @api.model
    def _get_state_index(self):
        """Province lookup: Chinese name with or without its suffix, pinyin, code."""
        index = {}
        china = self.env.ref("base.cn", raise_if_not_found=False)
        for state in self.env["res.country.state"].search([("country_id", "=", china.id)]):
            for key in row_checks.province_keys(state.name):
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
        converted, checked (an invalid row says why) and fingerprinted."""
        codes = {
            str(values["product_code"]) for _n, values in table.rows if "product_code" in values
        }
        products = {}
        if codes:
            for product in self.env["product.product"].search(
                [("default_code", "in", list(codes))]
            ):
                products.setdefault(product.default_code, product)
        states = self._get_state_index()
        countries = self._get_country_index()
        china = self.env.ref("base.cn")
        seen = {}
        vals_list = []
        for row_number, values in table.rows:
            vals = {"row_number": row_number}
            try:
                vals.update(self._convert_row(values, products, states, countries, china))
                vals["fingerprint"] = row_checks.fingerprint(
                    distributor.id,
                    vals
                    | {
                        "row_number": None,
                        "state_id": None,
                        "country_id": None,
                        "product_id": None,
                    },
                )
                if vals["fingerprint"] in seen:
                    raise row_checks.RowError("same_row", row=seen[vals["fingerprint"]])
                seen[vals["fingerprint"]] = row_number
            except row_checks.RowError as error:
                vals.update(
                    status="invalid",
                    reason=self._row_error_message(error),
                    partner_name=values.get("partner_name") and str(values["partner_name"]),
                )
            vals_list.append(vals)
        return vals_list

    @api.model
    def _convert_row(self, values, products, states, countries, china):
        text = {key: str(value) for key, value in values.items()}
        name = text.get("partner_name")
        if not name:
            raise row_checks.RowError("name")
        vals = {
            "partner_name": name,
            "contact_name": text.get("contact_name"),
            "street": text.get("street"),
            "city": text.get("city"),
            "description": text.get("description"),
        }
        if "vat" in values:
            vals["vat"] = row_checks.check_vat(values["vat"])
        if "email" in values:
            vals["email_from"] = row_checks.check_email(values["email"])
        for key in ("phone", "mobile"):
            if key in values:
                vals[key] = row_checks.check_phone(values[key])
        if "province" in values:
            keys = row_checks.province_keys(values["province"])
            state = next((states[key] for key in keys if key in states), None)
            vals["state_id"] = state.id if state else False
        if "country" in values:
            country = countries.get(text["country"].casefold())
            vals["country_id"] = country.id if country else False
        elif vals.get("state_id"):
            vals["country_id"] = china.id
        vals.update(self._convert_deal(values, text, products))
        return {key: value for key, value in vals.items() if value not in (None, "")}

    @api.model
    def _convert_deal(self, values, text, products):
        """Product, amounts, dates and serial numbers of a row."""
        vals = {}
        if "product_code" in values:
            product = products.get(text["product_code"])
            if not product:
                raise row_checks.RowError("product", value=text["product_code"])
            vals.update(product_code=text["product_code"], product_id=product.id)
            vals["quantity"] = row_checks.check_number(
                values.get("quantity", 1), self.env._("Quantity"), positive=True
            )
        if "price_unit" in values:
            vals["price_unit"] = row_checks.check_number(
                values["price_unit"], self.env._("Unit price")
            )
        if "expected_revenue" in values:
            vals["expected_revenue"] = row_checks.check_number(
                values["expected_revenue"], self.env._("Expected revenue")
            )
        if "date_deadline" in values:
            vals["date_deadline"] = row_checks.check_date(
                values["date_deadline"], self.env._("Expected close date")
            )
        if "sale_date" in values:
            vals["sale_date"] = row_checks.check_date(values["sale_date"], self.env._("Sale date"))
        if "serial_numbers" in values:
            vals["serial_numbers"] = ", ".join(row_checks.split_serials(values["serial_numbers"]))
        if vals.get("sale_date") or vals.get("serial_numbers"):
            if not vals.get("product_id"):
                raise row_checks.RowError("sell_out_product")
            vals["kind"] = "sell_out"
        return vals

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

    def _prepare_registration_values(self):
        self.ensure_one()
        vals = {
            "distributor_id": self.distributor_id.id,
            "company_id": self.company_id.id,
            "partner_name": self.partner_name,
            "vat": self.vat,
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
            # Text from the file is plain text: escaped into the HTML notes.
            "description": plaintext2html(self.description) if self.description else False,
        }
        if self.product_id:
            vals["line_ids"] = [
                fields.Command.create(
                    {
                        "product_id": self.product_id.id,
                        "quantity": self.quantity or 1.0,
                        "price_unit": self.price_unit,
                    }
                )
            ]
        return vals

    def _prepare_sell_out_values(self):
        self.ensure_one()
        registration = self.end_customer_registration_id
        return {
            "distributor_id": self.distributor_id.id,
            "company_id": registration.company_id.id,
            "partner_id": registration.partner_id.id,
            "registration_id": registration.id,
            "product_id": self.product_id.id,
            "quantity": self.quantity or 1.0,
            "serial_numbers": "\n".join(row_checks.split_serials(self.serial_numbers)) or False,
            "date": self.sale_date or fields.Date.context_today(self),
        }

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
