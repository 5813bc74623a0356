import logging

from pypinyin import lazy_pinyin

from odoo import api, fields, models
from odoo.tools import SQL, plaintext2html

from ..tools import row_checks

_logger = logging.getLogger(__name__)

# Registrations of another distributor in these states protect the customer.
PROTECTED_STATES = ("submitted", "approved", "converted")
# A distributor's own registrations in these states make a row "already yours".
OWN_ACTIVE_STATES = ("draft", "submitted", "returned", "approved", "converted")
SUBMITTABLE = ("new", "duplicate")


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
        string="Fingerprint",
        readonly=True,
        index=True,
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
    reason = fields.Char(
        string="Reason",
    )
    score = fields.Integer(
        string="Match Score",
    )
    match_model = fields.Char(
        string="Matched Model",
    )
    match_res_id = fields.Many2oneReference(
        string="Matched Record",
        model_field="match_model",
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
    # Values read from the row
    partner_name = fields.Char(string="Customer Name")
    vat = fields.Char(string="Credit Code")
    contact_name = fields.Char(string="Contact")
    phone = fields.Char(string="Phone")
    mobile = fields.Char(string="Mobile")
    email_from = fields.Char(string="Email")
    street = fields.Char(string="Address")
    city = fields.Char(string="City")
    state_id = fields.Many2one(
        comodel_name="res.country.state",
        string="Province",
    )
    country_id = fields.Many2one(
        comodel_name="res.country",
        string="Country",
    )
    product_code = fields.Char(string="Product Code")
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
    )
    quantity = fields.Float(
        string="Quantity",
        digits="Product Unit of Measure",
    )
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
    )
    expected_revenue = fields.Float(string="Expected Revenue")
    date_deadline = fields.Date(string="Expected Close Date")
    serial_numbers = fields.Char(string="Serial Numbers")
    sale_date = fields.Date(string="Sale Date")
    description = fields.Text(string="Notes")

    def init(self):
        # The same row (fingerprint) is submitted at most once per distributor,
        # even by two uploads confirmed at the same moment.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (distributor_id, fingerprint) "
                "WHERE registration_id IS NOT NULL",
                SQL.identifier("crm_registration_upload_line_submitted_uniq"),
                SQL.identifier(self._table),
            )
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("status", "registration_id")
    def _compute_can_submit(self):
        for line in self:
            line.can_submit = line.status in SUBMITTABLE and not line.registration_id

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
        codes = {str(values["product_code"]) for _n, values in table.rows if "product_code" in values}
        products = {}
        if codes:
            for product in self.env["product.product"].search(
                [("default_code", "in", list(codes))]
            ):
                products.setdefault(product.default_code, product)
        states = self._get_state_index()
        countries = self._get_country_index()
        seen = {}
        vals_list = []
        for row_number, values in table.rows:
            vals = {"row_number": row_number}
            try:
                vals.update(self._convert_row(values, products, states, countries))
                vals["fingerprint"] = row_checks.fingerprint(distributor.id, vals | {
                    "row_number": None, "state_id": None, "country_id": None,
                    "product_id": None,
                })
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
    def _convert_row(self, values, products, states, countries):
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
            vals["country_id"] = self.env.ref("base.cn").id
        if "product_code" in values:
            product = products.get(text["product_code"])
            if not product:
                raise row_checks.RowError("product", value=text["product_code"])
            vals.update(product_code=text["product_code"], product_id=product.id)
            vals["quantity"] = row_checks.check_number(
                values.get("quantity", 1), self.env._("Quantity"), positive=True
            )
        if "price_unit" in values:
            vals["price_unit"] = row_checks.check_number(values["price_unit"], self.env._("Unit price"))
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
        return {key: value for key, value in vals.items() if value not in (None, "")}

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
        """Matches of the row's customer: the matching engine when installed,
        otherwise the exact credit-code / name look-up of _triage."""
        self.ensure_one()
        if "crm.match.engine" not in self.env:
            return []
        # sudo: the engine must see every distributor's records to detect a
        # conflict; only the score and the reasons reach the distributor.
        return self.env["crm.match.engine"].sudo().find_matches(self._get_match_values(), limit=5)

    def _get_protection_end(self, registration):
        """Date until which ``registration`` protects its customer, if known."""
        for field_name in ("protection_end_date", "date_protection_end", "protection_date_end"):
            if field_name in registration._fields:
                return registration[field_name]
        return False

    def _conflict_reason(self, registration):
        end = self._get_protection_end(registration)
        if end:
            return self.env._(
                "Already registered by another partner until %(date)s.",
                date=fields.Date.to_string(end),
            )
        return self.env._("Already registered by another partner.")

    def _get_exact_registrations(self):
        """Registrations with the same credit code or customer name, by key."""
        Registration = self.env["crm.deal.registration"].sudo()  # sudo: see above
        vats = [vat for vat in self.mapped("vat") if vat]
        names = [name for name in self.mapped("partner_name") if name]
        domain = [("state", "in", list(set(PROTECTED_STATES + OWN_ACTIVE_STATES)))]
        registrations = Registration.search(
            domain + ["|", ("vat", "in", vats), ("partner_name", "in", names)],
            order="id",
        )
        by_key = {}
        for registration in registrations:
            for key in (("vat", registration.vat), ("name", registration.partner_name)):
                if key[1]:
                    by_key.setdefault(key, Registration)
                    by_key[key] |= registration
        return by_key

    def _triage(self):
        """Classify the pending lines: mine / conflict / duplicate / new."""
        lines = self.filtered(lambda line: line.status == "pending")
        if not lines:
            return
        submitted = {
            (line.distributor_id.id, line.fingerprint): line
            for line in self.search(
                [
                    ("fingerprint", "in", lines.mapped("fingerprint")),
                    ("distributor_id", "in", lines.distributor_id.ids),
                    ("registration_id", "!=", False),
                ]
            )
        }
        exact = lines._get_exact_registrations()
        for line in lines:
            line.update(line._classify(submitted, exact))

    def _classify(self, submitted, exact):
        self.ensure_one()
        distributor = self.distributor_id
        earlier = submitted.get((distributor.id, self.fingerprint))
        if earlier:
            return {
                "status": "mine",
                "reason": self.env._(
                    "Already submitted with the upload %(upload)s.", upload=earlier.upload_id.name
                ),
                "selected": False,
            }
        candidates = exact.get(("vat", self.vat), self.env["crm.deal.registration"])
        candidates |= exact.get(("name", self.partner_name), self.env["crm.deal.registration"])
        own = candidates.filtered(
            lambda r: r.distributor_id == distributor and r.state in OWN_ACTIVE_STATES
        )
        if own:
            return {
                "status": "mine",
                "reason": self.env._("You registered this customer already (%(ref)s).",
                                     ref=own[0].name),
                "match_model": "crm.deal.registration",
                "match_res_id": own[0].id,
                "selected": False,
            }
        others = candidates.filtered(
            lambda r: r.distributor_id != distributor and r.state in PROTECTED_STATES
        )
        if others:
            return self._conflict_values(others[0], 100)
        return self._classify_matches(self._find_matches())

    def _conflict_values(self, registration, score):
        return {
            "status": "conflict",
            "reason": self._conflict_reason(registration),
            "score": score,
            "match_model": "crm.deal.registration",
            "match_res_id": registration.id,
            "selected": False,
        }

    def _classify_matches(self, matches):
        """Status of the row from find_matches results (best first)."""
        for match in matches:
            if match["model"] != "crm.deal.registration" or match["kind"] != "same":
                continue
            registration = self.env["crm.deal.registration"].sudo().browse(match["res_id"])
            if registration.distributor_id == self.distributor_id:
                if registration.state in OWN_ACTIVE_STATES:
                    return {
                        "status": "mine",
                        "reason": self.env._(
                            "You registered this customer already (%(ref)s).",
                            ref=registration.name,
                        ),
                        "score": match["score"],
                        "match_model": match["model"],
                        "match_res_id": match["res_id"],
                        "selected": False,
                    }
            elif registration.state in PROTECTED_STATES:
                return self._conflict_values(registration, match["score"])
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

    def _create_registrations(self):
        """Create and submit one registration per line (the caller holds the
        savepoint that makes it all or nothing)."""
        # sudo: the distributor's portal user may not create registrations
        # directly; the upload was checked to belong to that distributor.
        registrations = self.env["crm.deal.registration"].sudo().create(
            [line._prepare_registration_values() for line in self]
        )
        for line, registration in zip(self, registrations, strict=True):
            line.registration_id = registration
        self.flush_recordset(["registration_id"])
        self._submit_registrations(registrations)
        return registrations

    def _submit_registrations(self, registrations):
        registrations.write({"state": "submitted"})
