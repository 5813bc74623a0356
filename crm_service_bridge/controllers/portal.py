from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class ServicePortal(CustomerPortal):
    """Installed units and service requests in the portal.

    An end customer's users see their units and requests; a distributor's
    users see the units delivered to it (and sold out to its end customers)
    and those end customers' requests, and open requests for them. What each
    sees is decided by the record rules (``security/``); pages read the
    records as the portal user, then render the checked records in sudo as
    ``_document_check_access`` does.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "unit_count" in counters:
            Lot = request.env["stock.lot"]
            values["unit_count"] = (
                Lot.search_count(self._prepare_units_domain()) if Lot.has_access("read") else 0
            )
        if "sell_out_serial_count" in counters:
            Serial = request.env["crm.sell.out.serial"]
            values["sell_out_serial_count"] = (
                Serial.search_count([]) if Serial.has_access("read") else 0
            )
        if "service_request_count" in counters:
            Request = request.env["crm.service.request"]
            values["service_request_count"] = (
                Request.search_count([]) if Request.has_access("read") else 0
            )
        return values

    def _prepare_units_domain(self):
        partner = request.env.user.commercial_partner_id
        return ["|", ("end_customer_id", "=", partner.id), ("distributor_id", "=", partner.id)]

    @http.route(["/my/units", "/my/units/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_units(self, page=1, search=None, **kw):
        Lot = request.env["stock.lot"]
        domain = self._prepare_units_domain()
        if search:
            units = Lot._search_units_by_serial(search)
            domain = domain + [("id", "in", units.ids)]
        total = Lot.search_count(domain)
        pager = portal_pager(
            url="/my/units",
            total=total,
            page=page,
            step=self._items_per_page,
            url_args={"search": search} if search else {},
        )
        units = Lot.search(domain, limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # sudo: the units were read with the portal user's rules just above
                "units": units.sudo(),
                "pager": pager,
                "page_name": "service_units",
                "search": search or "",
                "default_url": "/my/units",
            }
        )
        return request.render("crm_service_bridge.portal_my_units", values)

    @http.route(["/my/units/<int:unit_id>"], type="http", auth="user", website=True)
    def portal_my_unit(self, unit_id, error=None, **kw):
        try:
            unit = self._document_check_access("stock.lot", unit_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "unit": unit,
                "requests": unit.env["crm.service.request"].search([("lot_id", "=", unit.id)]),
                "page_name": "service_unit",
                "error": request.session.pop("crm_service_bridge_error", None),
            }
        )
        return request.render("crm_service_bridge.portal_my_unit", values)

    @http.route(
        ["/my/units/<int:unit_id>/request"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_unit_request_service(self, unit_id, description="", request_type="workshop", **kw):
        try:
            unit = self._document_check_access("stock.lot", unit_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            service_request = (
                request.env["crm.service.request"]
                .with_user(request.env.user)
                ._create_from_portal(unit, description, request_type)
            )
        except UserError as error:
            request.session["crm_service_bridge_error"] = str(error)
            return request.redirect(f"/my/units/{unit.id}")
        return request.redirect(f"/my/service-requests/{service_request.id}")

    @http.route(
        ["/my/service-requests", "/my/service-requests/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_service_requests(self, page=1, **kw):
        Request = request.env["crm.service.request"]
        total = Request.search_count([])
        pager = portal_pager(
            url="/my/service-requests", total=total, page=page, step=self._items_per_page
        )
        requests = Request.search([], limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # sudo: read with the portal user's record rules just above
                "service_requests": requests.sudo(),
                "pager": pager,
                "page_name": "service_requests",
                "default_url": "/my/service-requests",
            }
        )
        return request.render("crm_service_bridge.portal_my_service_requests", values)

    @http.route(
        ["/my/sell-out-serials", "/my/sell-out-serials/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_sell_out_serials(self, page=1, **kw):
        """A distributor sees what the check found for each serial it reported."""
        Serial = request.env["crm.sell.out.serial"]
        total = Serial.search_count([])
        pager = portal_pager(
            url="/my/sell-out-serials", total=total, page=page, step=self._items_per_page
        )
        serials = Serial.search([], limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # sudo: read with the portal user's record rules just above
                "serials": serials.sudo(),
                "pager": pager,
                "page_name": "sell_out_serials",
                "default_url": "/my/sell-out-serials",
            }
        )
        return request.render("crm_service_bridge.portal_my_sell_out_serials", values)

    @http.route(["/my/service-requests/<int:request_id>"], type="http", auth="user", website=True)
    def portal_my_service_request(self, request_id, **kw):
        try:
            service_request = self._document_check_access("crm.service.request", request_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"service_request": service_request, "page_name": "service_request"})
        return request.render("crm_service_bridge.portal_my_service_request", values)
