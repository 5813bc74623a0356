import base64
import logging
import time
from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.fields import Command
from odoo.http import request
from odoo.tools import SQL, html2plaintext

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.crm_deal_registration import EDITABLE_STATES, LIVE_STATES
from ..tools import input_rules
from ..tools.claim_key import claim_keys

_logger = logging.getLogger(__name__)

# Text fields of the registration form, in crm.deal.registration's names.
REGISTRATION_TEXT_FIELDS = (
    "partner_name",
    "partner_name_en",
    "vat",
    "contact_name",
    "email_from",
    "phone",
    "mobile",
    "street",
    "city",
)
# Product rows shown on a new form; the "Add a product" button adds more, up
# to REGISTRATION_MAX_LINES (rows beyond are ignored).
REGISTRATION_LINE_ROWS = 1
REGISTRATION_MAX_LINES = 50
# Registrations whose protection ends within this many days are "expiring soon".
EXPIRING_SOON_DAYS = 30
# Conflict check while typing: at most this many checks per window per session.
CHECK_RATE_LIMIT = 30
CHECK_RATE_WINDOW = 60
# End customers listed in the sell-out form's select (the rest are reached
# from their card on /my/end-customers, which opens the form with them).
SELL_OUT_CUSTOMER_CHOICES = 200
MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024
# Session key of the error shown once on a registration's page after a redirect.
REGISTRATION_ERROR_KEY = "crm_distributor_registration_error"


def to_record_id(text):
    """The id typed in a select's value, 0 when it is not one (PostgreSQL ids
    are 32-bit: a longer number must not reach a query)."""
    text = str(text or "").strip()
    if not text.isdigit() or len(text) > 9:
        return 0
    return int(text)


class DistributorPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Home: counters and the distributor's dashboard
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        Registration = request.env["crm.deal.registration"]
        if "registration_count" in counters:
            values["registration_count"] = (
                Registration.search_count(self._prepare_registrations_domain())
                if Registration.has_access("read")
                else 0
            )
        if "end_customer_count" in counters:
            values["end_customer_count"] = (
                self._get_portal_end_customer_count() if Registration.has_access("read") else 0
            )
        return values

    @http.route()
    def home(self, **kw):
        response = super().home(**kw)
        if self._get_portal_distributor() and hasattr(response, "qcontext"):
            response.qcontext["registration_dashboard"] = (
                self._prepare_registration_dashboard_values()
            )
        return response

    def _prepare_registration_dashboard_values(self):
        """Counts of the home's dashboard, in one grouped query: pending review,
        returned for correction, protected, and protected but expiring soon."""
        Registration = request.env["crm.deal.registration"]
        today = fields.Date.context_today(Registration)
        soon = today + timedelta(days=EXPIRING_SOON_DAYS)
        counts = {"pending": 0, "returned": 0, "protected": 0, "expiring": 0}
        groups = Registration._read_group(
            self._prepare_registrations_domain()
            + [("state", "in", ("submitted", "returned", "approved", "converted"))],
            groupby=["state", "protection_end_date:day"],
            aggregates=["__count"],
        )
        for state, protection_end, count in groups:
            if state == "submitted":
                counts["pending"] += count
            elif state == "returned":
                counts["returned"] += count
            else:
                counts["protected"] += count
                if protection_end and fields.Date.to_date(protection_end) <= soon:
                    counts["expiring"] += count
        counts["expiring_days"] = EXPIRING_SOON_DAYS
        return counts

    def _get_portal_distributor(self):
        """The distributor the current portal user acts for (empty if none)."""
        partner = request.env.user.commercial_partner_id
        return partner if partner.is_distributor else partner.browse()

    # ------------------------------------------------------------------
    # Registrations: list
    # ------------------------------------------------------------------
    def _prepare_registrations_domain(self):
        distributor = request.env.user.commercial_partner_id
        return [("distributor_id", "=", distributor.id)]

    def _get_registration_searchbar_filters(self):
        Registration = request.env["crm.deal.registration"]
        soon = fields.Date.context_today(Registration) + timedelta(days=EXPIRING_SOON_DAYS)
        filters = {
            "all": {"label": request.env._("All"), "domain": []},
            "protected": {
                "label": request.env._("Protected"),
                "domain": [("state", "in", ("approved", "converted"))],
            },
            "expiring": {
                "label": request.env._("Expiring soon"),
                "domain": [
                    ("state", "in", ("approved", "converted")),
                    ("protection_end_date", "<=", soon),
                ],
            },
        }
        for state, label in Registration._fields["state"]._description_selection(request.env):
            filters[state] = {"label": label, "domain": [("state", "=", state)]}
        return filters

    def _get_registration_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
        }

    def _get_registration_search_domain(self, search):
        return [
            "|",
            "|",
            ("name", "ilike", search),
            ("partner_name", "ilike", search),
            ("vat", "ilike", search),
        ]

    def _get_protection_countdowns(self, registrations):
        """{registration id: days of protection left} of protected registrations
        (0 on the last day, negative once past)."""
        today = fields.Date.context_today(registrations)
        return {
            registration.id: (registration.protection_end_date - today).days
            for registration in registrations
            if registration.state in ("approved", "converted") and registration.protection_end_date
        }

    def _prepare_registrations_portal_rendering_values(
        self, page=1, filterby=None, search=None, search_in="all", **kwargs
    ):
        Registration = request.env["crm.deal.registration"]
        values = self._prepare_portal_layout_values()
        searchbar_filters = self._get_registration_searchbar_filters()
        filterby = filterby if filterby in searchbar_filters else "all"
        search = (search or "")[: input_rules.TEXT_LIMITS["partner_name"]]
        domain = self._prepare_registrations_domain() + searchbar_filters[filterby]["domain"]
        if search:
            domain += self._get_registration_search_domain(search)
        url = "/my/registrations"
        pager_values = portal_pager(
            url=url,
            total=Registration.search_count(domain),
            page=page,
            step=self._items_per_page,
            url_args={"filterby": filterby, "search": search, "search_in": search_in},
        )
        registrations = Registration.search(
            domain, limit=self._items_per_page, offset=pager_values["offset"]
        )
        values.update(
            {
                "registrations": registrations,
                "countdowns": self._get_protection_countdowns(registrations),
                "page_name": "registration",
                "pager": pager_values,
                "default_url": url,
                "searchbar_filters": searchbar_filters,
                "filterby": filterby,
                "searchbar_inputs": self._get_registration_searchbar_inputs(),
                "search_in": search_in,
                "search": search,
            }
        )
        return values

    @http.route(
        ["/my/registrations", "/my/registrations/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_registrations(self, **kwargs):
        values = self._prepare_registrations_portal_rendering_values(**kwargs)
        request.session["my_registrations_history"] = values["registrations"].ids[:100]
        return request.render("crm_distributor.portal_my_registrations", values)

    # ------------------------------------------------------------------
    # Registrations: form (new and edit)
    # ------------------------------------------------------------------
    def _get_registration_form_options(self):
        """Choices of the form's selects."""
        env = request.env
        china = env.ref("base.cn", raise_if_not_found=False)
        return {
            "provinces": env["res.country.state"].search(
                [("country_id", "=", china.id)] if china else []
            ),
            "countries": env["res.country"].search([]),
            "default_country": china,
            # sudo: portal users have no access to industries and products; only
            # their names are shown, and submitted ids are checked against these.
            "industries": env["res.partner.industry"].sudo().search([]),
            "products": self._get_portal_products(),
            "line_rows": REGISTRATION_LINE_ROWS,
            "max_lines": REGISTRATION_MAX_LINES,
            "currency": env.company.currency_id,
            "text_max_lengths": input_rules.TEXT_LIMITS,
            "today": fields.Date.context_today(env["crm.deal.registration"]),
        }

    def _get_portal_products(self):
        # sudo: see _get_registration_form_options
        return (
            request.env["product.product"]
            .sudo()
            .search(
                [
                    ("sale_ok", "=", True),
                    ("company_id", "in", [False, request.env.company.id]),
                ],
                order="default_code, name",
                limit=500,
            )
        )

    def _registration_post_to_form(self, post):
        """What was typed, to show it again: {field: text}, "lines": [{...}]."""
        form = {
            name: (post.get(name) or "").strip()
            for name in REGISTRATION_TEXT_FIELDS
            + (
                "state_id",
                "country_id",
                "industry_id",
                "expected_revenue",
                "date_deadline",
                "description",
            )
        }
        form["lines"] = []
        for index in range(REGISTRATION_MAX_LINES):
            line = {
                key: (post.get(f"line_{key}_{index}") or "").strip()
                for key in ("product_id", "quantity", "price_unit")
            }
            if any(line.values()) or index < REGISTRATION_LINE_ROWS:
                form["lines"].append(line)
        return form

    def _prepare_registration_values_from_post(self, post):
        """The one seam from the posted form to crm.deal.registration values:
        returns (vals, errors), errors being {field or line_<n>: message shown
        beside it}. Nothing is written here.

        Numbers, dates, text lengths, e-mail, phones and the credit code are
        checked by the shared input rules
        (crm.deal.registration._prepare_values_from_input); the portal keeps
        only what is its own: the whitelisted ids of the selects and of the
        products, and the expected revenue following the product lines."""
        env = request.env
        Registration = env["crm.deal.registration"]
        form = self._registration_post_to_form(post)
        options = self._get_registration_form_options()
        errors = {}
        raw = {
            name: form[name]
            for name in REGISTRATION_TEXT_FIELDS
            + ("expected_revenue", "date_deadline", "description")
        }
        for name, records in (
            ("state_id", options["provinces"]),
            ("country_id", options["countries"]),
            ("industry_id", options["industries"]),
        ):
            record_id = to_record_id(form[name]) or False
            if form[name] and record_id not in records.ids:
                errors[name] = env._("Choose a value from the list.")
            raw[name] = record_id
        if not raw["country_id"] and options["default_country"]:
            raw["country_id"] = options["default_country"].id
        raw["lines"], line_indexes = [], []
        product_ids = options["products"].ids
        for index, line in enumerate(form["lines"]):
            if not line["product_id"]:
                if line["quantity"] or line["price_unit"]:
                    errors[f"line_{index}"] = env._("Choose a product from the list.")
                continue
            product_id = to_record_id(line["product_id"])
            if product_id not in product_ids:
                errors[f"line_{index}"] = env._("Choose a product from the list.")
                continue
            raw["lines"].append(dict(line, product_id=product_id))
            line_indexes.append(index)
        values, input_errors = Registration._prepare_values_from_input(raw)
        for name, message in input_errors.items():
            if name.startswith("line_"):
                # The rules number the lines they were given; the form's own
                # numbering skips the empty rows.
                name = f"line_{line_indexes[int(name[5:])]}"
            errors.setdefault(name, message)
        values["expected_revenue"] = values.get("expected_revenue") or 0.0
        line_values = [command[2] for command in values.get("line_ids", [])]
        if line_values:
            # The expected revenue follows the product lines when there are some.
            total = sum(line["quantity"] * line["price_unit"] for line in line_values)
            try:
                input_rules.check_number(total)
            except input_rules.InputError as error:
                errors["expected_revenue"] = env["crm.input.rules"]._get_error_message(
                    Registration._fields["expected_revenue"]._description_string(env), error
                )
            values["expected_revenue"] = total
        values["line_ids"] = [Command.clear()] + values.get("line_ids", [])
        return values, errors

    def _registration_to_form(self, registration):
        form = {name: registration[name] or "" for name in REGISTRATION_TEXT_FIELDS}
        form.update(
            {
                "state_id": str(registration.state_id.id or ""),
                "country_id": str(registration.country_id.id or ""),
                "industry_id": str(registration.industry_id.id or ""),
                "expected_revenue": registration.expected_revenue or "",
                "date_deadline": registration.date_deadline or "",
                "description": html2plaintext(registration.description or ""),
                "lines": [
                    {
                        "product_id": str(line.product_id.id),
                        "quantity": line.quantity,
                        "price_unit": line.price_unit,
                    }
                    for line in registration.line_ids
                ],
            }
        )
        form["lines"] += [{}] * max(REGISTRATION_LINE_ROWS - len(form["lines"]), 0)
        return form

    def _save_registration_attachments(self, registration_sudo):
        files = request.httprequest.files.getlist("attachments")
        # sudo: see below, the attachments are created with sudo
        attachments = request.env["ir.attachment"].sudo()
        for upload in files:
            if not upload or not upload.filename:
                continue
            content = upload.read(MAX_ATTACHMENT_SIZE + 1)
            if len(content) > MAX_ATTACHMENT_SIZE:
                raise UserError(
                    request.env._(
                        "%(file)s is larger than 10 MB.",
                        file=upload.filename,
                    )
                )
            # sudo: portal users cannot create attachments; the registration was
            # checked to be theirs and editable by the caller.
            attachments |= (
                request.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": upload.filename[:255],
                        "datas": base64.b64encode(content),
                        "res_model": registration_sudo._name,
                        "res_id": registration_sudo.id,
                    }
                )
            )
        if attachments:
            attachments.generate_access_token()
            registration_sudo.attachment_ids = [Command.link(a.id) for a in attachments]

    def _get_attachment_urls(self, registration_sudo):
        """{attachment: download URL} of a registration's attachments, with the
        attachment's own access token (the portal idiom: the link opens for the
        registration's readers only, who are the ones shown it)."""
        attachments = registration_sudo.attachment_ids
        missing = attachments.filtered(lambda attachment: not attachment.access_token)
        if missing:
            missing.generate_access_token()
        return {
            attachment: f"/web/content/{attachment.id}?download=true"
            f"&access_token={attachment.access_token}"
            for attachment in attachments
        }

    def _render_registration_form(self, registration, form, errors, **kwargs):
        values = self._prepare_portal_layout_values()
        values.update(self._get_registration_form_options())
        values.update(
            {
                "registration": registration,
                "form": form,
                "errors": errors,
                "page_name": "registration_form",
                "error_message": kwargs.get("error_message"),
            }
        )
        return request.render("crm_distributor.portal_registration_form", values)

    def _save_registration(self, registration_sudo, post):
        """Create or update from the posted form and submit when asked.

        Returns (registration, form, errors, error message). Nothing is written
        when the input is invalid.
        """
        form = self._registration_post_to_form(post)
        values, errors = self._prepare_registration_values_from_post(post)
        if errors:
            return registration_sudo, form, errors, None
        error_message = None
        try:
            with request.env.cr.savepoint():
                if registration_sudo:
                    registration_sudo.write(values)
                else:
                    values["distributor_id"] = self._get_portal_distributor().id
                    # sudo: portal users have no create right on registrations; the
                    # distributor is forced to the user's own and the values checked.
                    registration_sudo = request.env["crm.deal.registration"].sudo().create(values)
                self._save_registration_attachments(registration_sudo)
        except UserError as error:
            return registration_sudo, form, {}, error.args[0]
        if post.get("action") == "submit":
            try:
                with request.env.cr.savepoint():
                    registration_sudo.action_submit()
            except UserError as error:
                error_message = error.args[0]
        return registration_sudo, form, {}, error_message

    @http.route(
        "/my/registrations/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_registration_new(self, **post):
        if not self._get_portal_distributor():
            return request.redirect("/my")
        Registration = request.env["crm.deal.registration"]
        if request.httprequest.method != "POST":
            return self._render_registration_form(
                Registration, self._registration_to_form(Registration), {}
            )
        # sudo: an empty recordset, created in _save_registration for the user's
        # own distributor (checked above) from the whitelisted form values only.
        registration_sudo, form, errors, error_message = self._save_registration(
            Registration.sudo(), post
        )
        if errors or not registration_sudo:
            return self._render_registration_form(
                Registration, form, errors, error_message=error_message
            )
        return request.redirect(self._get_registration_url(registration_sudo, error_message))

    def _get_registration_url(self, registration, error_message=None):
        """The registration's page; an error to show there is kept in the
        session (never in the URL, where a link could carry any text)."""
        if error_message:
            request.session[REGISTRATION_ERROR_KEY] = {
                "registration_id": registration.id,
                "message": error_message,
            }
        return f"/my/registrations/{registration.id}"

    def _pop_registration_error(self, registration):
        """The error kept for this registration by _get_registration_url, once."""
        pending = request.session.pop(REGISTRATION_ERROR_KEY, None)
        if pending and pending.get("registration_id") == registration.id:
            return pending.get("message")
        return None

    # ------------------------------------------------------------------
    # Registrations: detail
    # ------------------------------------------------------------------
    @http.route(
        "/my/registrations/<int:registration_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_registration_page(self, registration_id, access_token=None, **post):
        if registration_id > 2**31 - 1:
            return request.redirect("/my")
        try:
            registration_sudo = self._document_check_access(
                "crm.deal.registration", registration_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        # An access token lets its holder see the registration, not edit it: only
        # the portal users of the registration's own distributor may write to it.
        distributor = self._get_portal_distributor()
        is_owner = bool(distributor) and (
            registration_sudo.distributor_id.commercial_partner_id == distributor
        )
        editable = is_owner and registration_sudo.state in EDITABLE_STATES
        if request.httprequest.method == "POST":
            if not editable:
                return request.redirect(self._get_registration_url(registration_sudo))
            registration_sudo, form, errors, error_message = self._save_registration(
                registration_sudo, post
            )
            if errors or (error_message and post.get("action") != "submit"):
                return self._render_registration_form(
                    registration_sudo, form, errors, error_message=error_message
                )
            return request.redirect(self._get_registration_url(registration_sudo, error_message))
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "registration": registration_sudo,
                "editable": editable,
                "page_name": "registration",
                "error_message": self._pop_registration_error(registration_sudo),
                "timeline": self._get_registration_timeline(registration_sudo),
                "countdowns": self._get_protection_countdowns(registration_sudo),
                "attachment_urls": self._get_attachment_urls(registration_sudo),
            }
        )
        if editable:
            values.update(self._get_registration_form_options())
            values.update({"form": self._registration_to_form(registration_sudo), "errors": {}})
        values = self._get_page_view_values(
            registration_sudo, access_token, values, "my_registrations_history", False
        )
        return request.render("crm_distributor.portal_registration_page", values)

    def _get_registration_timeline(self, registration):
        """Steps of the registration's status timeline, oldest first: dicts of
        label, date (or False), status ("done", "current", "todo", "warning",
        "danger") and an optional note (the return or rejection reason)."""
        env = request.env
        state = registration.state
        steps = [
            {
                "label": env._("Created"),
                "date": registration.create_date,
                "status": "done",
            },
            {
                "label": env._("Sent for approval"),
                "date": registration.submit_date,
                "status": "done" if registration.submit_date else "current",
            },
        ]
        if state == "returned":
            steps.append(
                {
                    "label": env._("Returned for correction"),
                    "date": False,
                    "status": "warning",
                    "note": registration.return_reason,
                }
            )
        if state == "rejected":
            steps.append(
                {
                    "label": env._("Rejected"),
                    "date": False,
                    "status": "danger",
                    "note": registration.reject_reason,
                }
            )
            return steps
        steps.append(
            {
                "label": env._("Approved by your channel manager"),
                "date": registration.approve_date,
                "status": "done"
                if registration.approve_date
                else ("current" if state == "submitted" else "todo"),
            }
        )
        if state == "expired":
            steps.append(
                {
                    "label": env._("Protection ended"),
                    "date": registration.protection_end_date,
                    "status": "danger",
                }
            )
        else:
            steps.append(
                {
                    "label": env._("Protected until"),
                    "date": registration.protection_end_date,
                    "status": "current" if state in ("approved", "converted") else "todo",
                }
            )
        return steps

    # ------------------------------------------------------------------
    # Conflict check while typing
    # ------------------------------------------------------------------
    @http.route(
        "/my/registrations/check",
        type="json",
        auth="user",
        methods=["POST"],
    )
    def portal_registration_check(self, partner_name=None, vat=None, **kwargs):
        """Tell the distributor, before it submits, whether the end customer it
        is typing is already taken. Returns {"status", "message"} where status
        is "protected" (a live claim of another distributor), "review" (it
        matches something else: the channel manager will look) or "none"
        (nothing to say); "limited" and "invalid" when the check is refused.

        The answer is neutral on purpose: never a date, a score, a name, a
        reason or a hint of what matched (a draft, an expired registration, a
        lead or a direct customer all read "needs review"). The same lookups
        run whatever the input, so the answer's timing says no more than its
        text. Portal users cannot call the matching engine themselves."""
        env = request.env
        if not self._get_portal_distributor():
            return {"status": "invalid", "message": ""}
        partner_name = partner_name if isinstance(partner_name, str) else ""
        vat = vat if isinstance(vat, str) else ""
        if (
            len(partner_name) > input_rules.TEXT_LIMITS["partner_name"]
            or len(vat) > input_rules.TEXT_LIMITS["vat"]
        ):
            return {"status": "invalid", "message": ""}
        if not self._check_rate_limit():
            return {
                "status": "limited",
                "message": env._("Too many checks in a short time; try again in a minute."),
            }
        partner_name, vat = partner_name.strip(), vat.strip()
        if len(partner_name) < 2 and len(vat) < 15:
            return {"status": "none", "message": ""}
        status = self._get_registration_check_status(partner_name, vat)
        messages = {
            "protected": env._("Already protected for another partner."),
            "review": env._("Needs review by your channel manager."),
        }
        return {"status": status, "message": messages.get(status, "")}

    def _check_rate_limit(self):
        """At most CHECK_RATE_LIMIT checks per CHECK_RATE_WINDOW seconds per session."""
        now = time.time()
        recent = [
            stamp
            for stamp in request.session.get("crm_distributor_checks", [])
            if now - stamp < CHECK_RATE_WINDOW
        ]
        if len(recent) >= CHECK_RATE_LIMIT:
            request.session["crm_distributor_checks"] = recent
            return False
        request.session["crm_distributor_checks"] = [*recent, now]
        return True

    def _get_registration_check_status(self, partner_name, vat):
        """ "protected", "review" or "none" for what the distributor typed."""
        distributor = self._get_portal_distributor()
        today = fields.Date.context_today(request.env["crm.deal.registration"])
        # sudo: the check must see every distributor's claims and the maker's
        # customers; only the neutral status computed here leaves this method.
        Registration = request.env["crm.deal.registration"].sudo()
        # The live claims on these keys, read from their owner (issue 9: only
        # "held by another distributor or not" leaves this method).
        claims = Registration._get_claims(
            claim_keys(partner_name, vat), company=request.env.company
        )
        held = any(
            holder.distributor_id.commercial_partner_id != distributor for holder in claims.values()
        )
        # sudo: see above; portal users may not call the engine.
        matches = (
            request.env["crm.match.engine"]
            .sudo()
            .find_matches(
                {"name": partner_name, "vat": vat or False, "country_code": "CN"},
                limit=10,
            )
        )
        registrations = Registration.browse(
            [m["res_id"] for m in matches if m["model"] == "crm.deal.registration"]
        )
        partners = (
            request.env["res.partner"]
            .sudo()
            .browse([m["res_id"] for m in matches if m["model"] == "res.partner"])
        )
        same = {(m["model"], m["res_id"]) for m in matches if m["kind"] == "same"}
        review = False
        for registration in registrations:
            if registration.distributor_id.commercial_partner_id == distributor:
                continue  # its own registrations are no news to the distributor
            if registration.state in LIVE_STATES and (registration._name, registration.id) in same:
                held = True
            review = True
        for partner in partners:
            holder = partner.end_customer_distributor_id
            if holder == distributor:
                continue
            if (
                holder
                and (partner._name, partner.id) in same
                and partner.end_customer_protected_until
                and partner.end_customer_protected_until >= today
            ):
                held = True
            review = True
        leads = (
            request.env["crm.lead"]
            .sudo()
            .browse([m["res_id"] for m in matches if m["model"] == "crm.lead"])
        )
        for lead in leads:
            if lead.distributor_id.commercial_partner_id != distributor:
                review = True
        if any(
            m["model"] not in ("crm.deal.registration", "res.partner", "crm.lead") for m in matches
        ):
            review = True
        if held:
            return "protected"
        return "review" if review else "none"

    # ------------------------------------------------------------------
    # End customers and sell-out
    # ------------------------------------------------------------------
    def _get_end_customer_registrations_domain(self):
        return request.env["crm.deal.registration"]._get_end_customer_domain(
            request.env.user.commercial_partner_id
        )

    def _get_portal_end_customers_domain(self):
        """res.partner domain of the user's distributor's end customers: the
        partners of its approved registrations, as a subquery (the registrations
        are searched under the portal record rules, nothing is loaded)."""
        Registration = request.env["crm.deal.registration"]
        query = Registration._search(self._get_end_customer_registrations_domain())
        return [("id", "in", query.subselect(SQL.identifier(query.table, "partner_id")))]

    def _get_portal_end_customers(self, limit=None, offset=0):
        """End customers of the user's distributor, paged in the database
        (archived ones included, as in the count)."""
        # sudo: portal users cannot read end-customer partners; these come from
        # registrations they may read, once approved (before that the partner
        # may be another distributor's customer linked during the review).
        return (
            request.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search(
                self._get_portal_end_customers_domain(),
                order="name, id",
                limit=limit,
                offset=offset,
            )
        )

    def _get_portal_end_customer_count(self):
        """Distinct partners of the approved registrations, counted on the
        registrations alone (no join with res.partner)."""
        [(count,)] = request.env["crm.deal.registration"]._read_group(
            self._get_end_customer_registrations_domain(),
            aggregates=["partner_id:count_distinct"],
        )
        return count

    def _prepare_end_customers_page_values(self, page=1):
        """Values of one page of /my/end-customers: a count and one page of
        partners in SQL, then the page's sell-outs and registrations in one
        search each (a constant number of queries whatever the total)."""
        pager_values = portal_pager(
            url="/my/end-customers",
            total=self._get_portal_end_customer_count(),
            page=page,
            step=self._items_per_page,
        )
        customers = self._get_portal_end_customers(
            limit=self._items_per_page, offset=pager_values["offset"]
        )
        sell_outs = request.env["crm.sell.out"].search(
            [("partner_id", "in", customers.ids)] + self._prepare_sell_out_domain()
        )
        registrations = request.env["crm.deal.registration"].search(
            self._prepare_registrations_domain() + [("partner_id", "in", customers.ids)]
        )
        # sudo: the sell-outs were searched under the portal record rules (the
        # distributor's own); their products are not readable by portal users.
        sell_outs = sell_outs.sudo()
        sell_outs_by_customer = {customer: sell_outs.browse() for customer in customers}
        for sell_out in sell_outs:
            sell_outs_by_customer[sell_out.partner_id] |= sell_out
        registrations_by_customer = {customer: registrations.browse() for customer in customers}
        for registration in registrations:
            # sudo: the registration's partner is the end customer read above
            registrations_by_customer[registration.sudo().partner_id] |= registration
        return {
            "customers": customers,
            "sell_outs_by_customer": sell_outs_by_customer,
            "registrations_by_customer": registrations_by_customer,
            "pager": pager_values,
        }

    @http.route(
        ["/my/end-customers", "/my/end-customers/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_end_customers(self, page=1, **kwargs):
        values = self._prepare_portal_layout_values()
        values.update(self._prepare_end_customers_page_values(page=page))
        values.update(
            {
                "distributor": request.env.user.commercial_partner_id,
                "page_name": "end_customer",
                "default_url": "/my/end-customers",
                "success": kwargs.get("success"),
            }
        )
        return request.render("crm_distributor.portal_my_end_customers", values)

    def _prepare_sell_out_domain(self):
        return [("distributor_id", "=", request.env.user.commercial_partner_id.id)]

    def _is_portal_end_customer(self, partner_id):
        if not partner_id:
            return False
        domain = [("partner_id", "=", partner_id)] + self._get_end_customer_registrations_domain()
        return bool(request.env["crm.deal.registration"].search_count(domain, limit=1))

    def _get_sell_out_customer_choices(self, selected_id=None):
        """End customers offered in the sell-out form: the first ones by name
        and the one asked for (the form is opened from its card)."""
        customers = self._get_portal_end_customers(limit=SELL_OUT_CUSTOMER_CHOICES)
        selected_id = to_record_id(selected_id)
        if (
            selected_id
            and selected_id not in customers.ids
            and self._is_portal_end_customer(selected_id)
        ):
            customers = customers.browse(selected_id) | customers
        return customers

    def _parse_sell_out_form(self, post, products):
        """(values, form, errors) of the posted sell-out form: the quantity,
        date and serial numbers are checked by the shared input rules
        (crm.sell.out._prepare_values_from_input); the portal keeps the
        whitelisting of the end customer and the product."""
        env = request.env
        form = {
            name: (post.get(name) or "").strip()
            for name in ("partner_id", "product_id", "quantity", "serial_numbers", "date")
        }
        errors = {}
        raw = {name: form[name] for name in ("quantity", "serial_numbers", "date")}
        for name, is_allowed in (
            ("partner_id", self._is_portal_end_customer),
            ("product_id", lambda record_id: record_id in products.ids),
        ):
            record_id = to_record_id(form[name])
            if not is_allowed(record_id):
                errors[name] = env._("Choose a value from the list.")
            raw[name] = record_id
        # An empty quantity is refused as zero (a sale has a quantity).
        raw["quantity"] = raw["quantity"] or "0"
        values, input_errors = env["crm.sell.out"]._prepare_values_from_input(raw)
        for name, message in input_errors.items():
            errors.setdefault(name, message)
        values["date"] = values.get("date") or fields.Date.context_today(env["crm.sell.out"])
        return values, form, errors

    @http.route(
        "/my/sell-out/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_sell_out_new(self, **post):
        distributor = self._get_portal_distributor()
        if not distributor:
            return request.redirect("/my")
        customers = self._get_sell_out_customer_choices(post.get("partner_id"))
        products = self._get_portal_products()
        form = {"partner_id": post.get("partner_id", ""), "date": str(fields.Date.today())}
        errors = {}
        if request.httprequest.method == "POST":
            values, form, errors = self._parse_sell_out_form(post, products)
            if not errors:
                values["distributor_id"] = distributor.id
                # The registration that made the partner the distributor's end
                # customer (the latest), as the bulk upload links it.
                values["registration_id"] = (
                    request.env["crm.deal.registration"]
                    .search(
                        self._get_end_customer_registrations_domain()
                        + [("partner_id", "=", values["partner_id"])],
                        order="id desc",
                        limit=1,
                    )
                    .id
                )
                # sudo: portal users have no create right on sell-out reports; the
                # distributor is forced to theirs and every id was checked above.
                request.env["crm.sell.out"].sudo().create(values)
                return request.redirect("/my/end-customers?success=1")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "customers": customers,
                "products": products,
                "form": form,
                "errors": errors,
                "page_name": "sell_out_form",
                "text_max_lengths": input_rules.TEXT_LIMITS,
            }
        )
        return request.render("crm_distributor.portal_sell_out_form", values)
