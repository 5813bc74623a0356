import base64

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal import DistributorPortal

UPLOAD_URL = "/my/registrations/upload"
TEMPLATE_LANGS = ("zh_CN", "en_US")


class RegistrationUploadPortal(DistributorPortal):
    _upload_lines_per_page = 100

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "registration_upload_count" in counters:
            Upload = request.env["crm.registration.upload"]
            values["registration_upload_count"] = (
                Upload.search_count([]) if Upload.has_access("read") else 0
            )
        return values

    def _prepare_upload_portal_values(self, distributor, **kwargs):
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="registration_upload",
            distributor=distributor,
            uploads=request.env["crm.registration.upload"].search([], limit=20),
            row_limit=request.env["crm.registration.upload"]._get_row_limit(),
            template_langs=TEMPLATE_LANGS,
        )
        values.update(kwargs)
        return values

    def _get_upload_line_domain(self, upload, status=None):
        domain = [("upload_id", "=", upload.id)]
        if status:
            domain.append(("status", "=", status))
        return domain

    def _prepare_upload_detail_values(self, upload, page=1, status=None, **kwargs):
        Line = request.env["crm.registration.upload.line"].sudo()  # sudo: upload checked
        domain = self._get_upload_line_domain(upload, status)
        pager = portal_pager(
            url=f"{UPLOAD_URL}/{upload.id}",
            total=Line.search_count(domain),
            page=page,
            step=self._upload_lines_per_page,
            url_args={"status": status} if status else {},
        )
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="registration_upload_detail",
            upload=upload,
            lines=Line.search(domain, limit=self._upload_lines_per_page, offset=pager["offset"]),
            pager=pager,
            status=status,
            statuses=dict(Line._fields["status"]._description_selection(request.env)),
        )
        values.update(kwargs)
        return values

    def _get_checked_upload(self, upload_id):
        """The upload (sudo) when it belongs to the current user's distributor.
        Read access alone is not enough: internal users may read every upload,
        but only the distributor's own users triage and confirm it here."""
        try:
            upload_sudo = self._document_check_access("crm.registration.upload", upload_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        distributor = self._get_portal_distributor()
        if not distributor or upload_sudo.distributor_id.commercial_partner_id != distributor:
            raise NotFound()
        # _document_check_access answers as the superuser (OdooBot); what is
        # done with the upload is recorded as the acting portal user (issue 9.8).
        return upload_sudo.with_user(request.env.user).sudo()

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @http.route(UPLOAD_URL, type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_registration_upload(self, upload_file=None, **kwargs):
        distributor = self._get_portal_distributor()
        if not distributor:
            return request.redirect("/my")
        if request.httprequest.method == "POST":
            if not upload_file or not upload_file.filename:
                error = request.env._("Choose a file to upload.")
            else:
                try:
                    # sudo: portal users cannot create uploads through the ORM;
                    # the upload is created for the user's own distributor only.
                    upload = (
                        request.env["crm.registration.upload"]
                        .sudo()
                        .with_context(lang=request.env.lang)
                        ._create_from_file(
                            distributor,
                            upload_file.read(),
                            upload_file.filename,
                            background=True,
                        )
                    )
                    return request.redirect(f"{UPLOAD_URL}/{upload.id}")
                except UserError as user_error:
                    error = user_error.args[0]
            values = self._prepare_upload_portal_values(distributor, error=error)
            return request.render("crm_distributor.portal_registration_upload", values, status=400)
        values = self._prepare_upload_portal_values(distributor)
        return request.render("crm_distributor.portal_registration_upload", values)

    @http.route(f"{UPLOAD_URL}/template/<string:lang>", type="http", auth="user", website=True)
    def portal_registration_upload_template(self, lang, **kwargs):
        if lang not in TEMPLATE_LANGS:
            raise NotFound()
        data = request.env["crm.registration.upload"]._build_template(lang)
        filename = "registrations_template.xlsx" if lang == "en_US" else "报备导入模板.xlsx"
        return request.make_response(
            data,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @http.route(
        [f"{UPLOAD_URL}/<int:upload_id>", f"{UPLOAD_URL}/<int:upload_id>/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_registration_upload_detail(self, upload_id, page=1, status=None, **kwargs):
        upload = self._get_checked_upload(upload_id)
        values = self._prepare_upload_detail_values(
            upload, page=page, status=status, confirmed=kwargs.get("confirmed")
        )
        return request.render("crm_distributor.portal_registration_upload_detail", values)

    @http.route(
        f"{UPLOAD_URL}/<int:upload_id>/confirm",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_registration_upload_confirm(self, upload_id, **post):
        upload = self._get_checked_upload(upload_id)
        form = request.httprequest.form
        # Ids of other uploads' rows or garbage are ignored: only rows of this
        # (checked) upload are touched below.
        shown = {int(value) for value in form.getlist("shown_line_ids") if value.isdigit()}
        checked = {int(value) for value in form.getlist("line_ids") if value.isdigit()}
        lines = upload.line_ids.filtered(lambda line: line.id in shown and line.can_submit)
        for line in lines:
            line.selected = line.id in checked
        if post.get("action") != "confirm":
            return request.redirect(f"{UPLOAD_URL}/{upload.id}")
        try:
            upload.with_context(lang=request.env.lang)._confirm_lines()
        except UserError as user_error:
            values = self._prepare_upload_detail_values(upload, error=user_error.args[0])
            return request.render(
                "crm_distributor.portal_registration_upload_detail", values, status=400
            )
        return request.redirect(f"{UPLOAD_URL}/{upload.id}?confirmed={upload.count_submitted}")

    @http.route(f"{UPLOAD_URL}/<int:upload_id>/export", type="http", auth="user", website=True)
    def portal_registration_upload_export(self, upload_id, **kwargs):
        upload = self._get_checked_upload(upload_id)
        data = upload.with_context(lang=request.env.lang)._export_triage()
        return request.make_response(
            data,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("Content-Disposition", content_disposition(upload._get_export_filename())),
            ],
        )

    @http.route(f"{UPLOAD_URL}/<int:upload_id>/file", type="http", auth="user", website=True)
    def portal_registration_upload_file(self, upload_id, **kwargs):
        """The owner downloads the file it uploaded (its attachment)."""
        upload = self._get_checked_upload(upload_id)
        return request.make_response(
            base64.b64decode(upload.file or b""),
            headers=[
                ("Content-Type", "application/octet-stream"),
                ("Content-Disposition", content_disposition(upload.name)),
            ],
        )
