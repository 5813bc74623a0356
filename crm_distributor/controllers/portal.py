import base64
import logging

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.fields import Command
from odoo.http import request
from odoo.tools import html2plaintext, plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.crm_deal_registration import EDITABLE_STATES

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
REGISTRATION_LINE_ROWS = 5
MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024
# Session key of the error shown once on a registration's page after a redirect.
REGISTRATION_ERROR_KEY = "crm_distributor_registration_error"


class DistributorPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Home counters
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
                len(self._get_portal_end_customers()) if Registration.has_access("read") else 0
            )
        return values

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
        filters = {"all": {"label": request.env._("All"), "domain": []}}
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

    def _prepare_registrations_portal_rendering_values(
        self, page=1, filterby=None, search=None, search_in="all", **kwargs
    ):
        Registration = request.env["crm.deal.registration"]
        values = self._prepare_portal_layout_values()
        searchbar_filters = self._get_registration_searchbar_filters()
        filterby = filterby if filterby in searchbar_filters else "all"
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

    def _parse_registration_form(self, post):
        """Return (values, form, errors): crm.deal.registration values, what was
        typed (to show it again) and {field: message}."""
        env = request.env
        Registration = env["crm.deal.registration"]
        form = {name: (post.get(name) or "").strip() for name in REGISTRATION_TEXT_FIELDS}
        form.update(
            {
                name: (post.get(name) or "").strip()
                for name in (
                    "state_id",
                    "country_id",
                    "industry_id",
                    "expected_revenue",
                    "date_deadline",
                    "description",
                )
            }
        )
        errors = Registration._get_input_errors(
            {name: form[name] for name in ("partner_name", "vat", "phone", "mobile", "email_from")}
        )
        values = {name: form[name] or False for name in REGISTRATION_TEXT_FIELDS}
        values["partner_name"] = form["partner_name"]
        options = self._get_registration_form_options()
        for name, records in (
            ("state_id", options["provinces"]),
            ("country_id", options["countries"]),
            ("industry_id", options["industries"]),
        ):
            record_id = int(form[name]) if form[name].isdigit() else False
            if form[name] and record_id not in records.ids:
                errors[name] = env._("Choose a value from the list.")
            values[name] = record_id
        if not values["country_id"] and options["default_country"]:
            values["country_id"] = options["default_country"].id
        try:
            values["expected_revenue"] = float(form["expected_revenue"] or 0.0)
        except ValueError:
            errors["expected_revenue"] = env._("Enter an amount, e.g. 120000.")
        try:
            values["date_deadline"] = fields.Date.to_date(form["date_deadline"] or None)
        except ValueError:
            errors["date_deadline"] = env._("Enter a date.")
        values["description"] = (
            plaintext2html(form["description"]) if form["description"] else False
        )
        lines, form["lines"] = [], []
        product_ids = options["products"].ids
        for index in range(REGISTRATION_LINE_ROWS):
            line = {
                key: (post.get(f"line_{key}_{index}") or "").strip()
                for key in ("product_id", "quantity", "price_unit")
            }
            form["lines"].append(line)
            if not line["product_id"]:
                continue
            try:
                product_id = int(line["product_id"])
                quantity = float(line["quantity"] or 1.0)
                price_unit = float(line["price_unit"] or 0.0)
            except ValueError:
                errors[f"line_{index}"] = env._("Enter numbers for the quantity and the price.")
                continue
            if product_id not in product_ids:
                errors[f"line_{index}"] = env._("Choose a product from the list.")
            elif quantity <= 0:
                errors[f"line_{index}"] = env._("The quantity must be positive.")
            else:
                lines.append(
                    {"product_id": product_id, "quantity": quantity, "price_unit": price_unit}
                )
        values["line_ids"] = [Command.clear()] + [Command.create(line) for line in lines]
        return values, form, errors

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
        attachments = request.env["ir.attachment"]
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
                        "name": upload.filename,
                        "datas": base64.b64encode(content),
                        "res_model": registration_sudo._name,
                        "res_id": registration_sudo.id,
                    }
                )
            )
        if attachments:
            registration_sudo.attachment_ids = [Command.link(a.id) for a in attachments]

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
        values, form, errors = self._parse_registration_form(post)
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
            }
        )
        if editable:
            values.update(self._get_registration_form_options())
            values.update({"form": self._registration_to_form(registration_sudo), "errors": {}})
        values = self._get_page_view_values(
            registration_sudo, access_token, values, "my_registrations_history", False
        )
        return request.render("crm_distributor.portal_registration_page", values)

    # ------------------------------------------------------------------
    # End customers and sell-out
    # ------------------------------------------------------------------
    def _get_end_customer_registrations_domain(self):
        return request.env["crm.deal.registration"]._get_end_customer_domain(
            request.env.user.commercial_partner_id
        )

    def _get_portal_end_customers(self):
        """End customers of the user's distributor: the partners of its approved
        registrations (read under the portal record rules)."""
        registrations = request.env["crm.deal.registration"].search(
            self._get_end_customer_registrations_domain()
        )
        # sudo: portal users cannot read end-customer partners; these come from
        # registrations they may read, once approved (before that the partner
        # may be another distributor's customer linked during the review).
        return registrations.sudo().partner_id

    @http.route(
        ["/my/end-customers", "/my/end-customers/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_end_customers(self, page=1, **kwargs):
        values = self._prepare_portal_layout_values()
        customers = self._get_portal_end_customers()
        pager_values = portal_pager(
            url="/my/end-customers",
            total=len(customers),
            page=page,
            step=self._items_per_page,
        )
        offset = pager_values["offset"]
        customers = customers[offset : offset + self._items_per_page]
        sell_outs = request.env["crm.sell.out"].search(
            [("partner_id", "in", customers.ids)] + self._prepare_sell_out_domain()
        )
        registrations = request.env["crm.deal.registration"].search(
            self._prepare_registrations_domain() + [("partner_id", "in", customers.ids)]
        )
        distributor = request.env.user.commercial_partner_id
        values.update(
            {
                "customers": customers,
                # sudo: the sell-outs were searched under the portal record rules
                # (the distributor's own); their products are not readable by portal.
                "sell_outs_by_customer": {
                    customer: sell_outs.filtered(lambda s, c=customer: s.partner_id == c).sudo()
                    for customer in customers
                },
                "registrations_by_customer": {
                    customer: registrations.filtered(lambda r, c=customer: r.partner_id == c)
                    for customer in customers
                },
                "distributor": distributor,
                "page_name": "end_customer",
                "pager": pager_values,
                "default_url": "/my/end-customers",
                "success": kwargs.get("success"),
            }
        )
        return request.render("crm_distributor.portal_my_end_customers", values)

    def _prepare_sell_out_domain(self):
        return [("distributor_id", "=", request.env.user.commercial_partner_id.id)]

    def _parse_sell_out_form(self, post, customers, products):
        env = request.env
        form = {
            name: (post.get(name) or "").strip()
            for name in ("partner_id", "product_id", "quantity", "serial_numbers", "date")
        }
        errors = {}
        values = {"serial_numbers": form["serial_numbers"] or False}
        for name, records in (("partner_id", customers), ("product_id", products)):
            record_id = int(form[name]) if form[name].isdigit() else 0
            if record_id not in records.ids:
                errors[name] = env._("Choose a value from the list.")
            values[name] = record_id
        try:
            values["quantity"] = float(form["quantity"] or 0)
            if values["quantity"] <= 0:
                errors["quantity"] = env._("The quantity must be positive.")
        except ValueError:
            errors["quantity"] = env._("Enter a number.")
        try:
            values["date"] = fields.Date.to_date(form["date"] or None) or fields.Date.today()
        except ValueError:
            errors["date"] = env._("Enter a date.")
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
        customers = self._get_portal_end_customers()
        products = self._get_portal_products()
        form = {"partner_id": post.get("partner_id", ""), "date": str(fields.Date.today())}
        errors = {}
        if request.httprequest.method == "POST":
            values, form, errors = self._parse_sell_out_form(post, customers, products)
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
            }
        )
        return request.render("crm_distributor.portal_sell_out_form", values)
