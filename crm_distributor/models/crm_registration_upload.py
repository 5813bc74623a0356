import base64
import io
import logging

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from ..tools import spreadsheet

_logger = logging.getLogger(__name__)

DEFAULT_SYNC_ROWS = 200
CRON_BATCH = 500
# Rows created and submitted at a time by a confirmation.
CONFIRM_BATCH = 1000
MAX_TEMPLATE_PRODUCTS = 2000

# The upload's columns: column key -> recognised headers (Chinese and English);
# the template is written from it (controllers/portal_upload.py).
REGISTRATION_COLUMNS = {
    "partner_name": (
        "客户名称",
        "客户",
        "公司名称",
        "终端客户",
        "最终客户",
        "customer name",
        "customer",
        "company name",
        "end customer",
    ),
    "vat": (
        "统一社会信用代码",
        "信用代码",
        "社会信用代码",
        "税号",
        "credit code",
        "unified social credit code",
        "uscc",
        "vat",
        "tax id",
    ),
    "contact_name": ("联系人", "联系人姓名", "contact", "contact name"),
    "phone": ("电话", "联系电话", "座机", "phone", "telephone", "tel"),
    "mobile": ("手机", "手机号", "手机号码", "mobile", "cell phone", "mobile phone"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "email", "e-mail", "mail"),
    "province": ("省份", "省", "province", "state"),
    "city": ("城市", "市", "city"),
    "street": ("地址", "详细地址", "address", "street"),
    "country": ("国家", "国家或地区", "country"),
    "product_code": (
        "产品编码",
        "产品代码",
        "物料编码",
        "product code",
        "internal reference",
        "sku",
    ),
    "quantity": ("数量", "quantity", "qty"),
    "price_unit": ("单价", "预计单价", "unit price", "price"),
    "expected_revenue": ("预计金额", "金额", "expected revenue", "amount"),
    "date_deadline": ("预计成交日期", "成交日期", "expected close date", "close date"),
    "serial_numbers": ("序列号", "serial numbers", "serial number", "serials", "sn"),
    "sale_date": ("销售日期", "sale date", "sold on"),
    "description": ("备注", "说明", "notes", "note", "remarks"),
}
REGISTRATION_REQUIRED = ("partner_name",)
# The template's columns, in order (the export of a triage has them too).
TEMPLATE_KEYS = [
    "partner_name",
    "vat",
    "contact_name",
    "phone",
    "mobile",
    "email",
    "province",
    "city",
    "street",
    "product_code",
    "quantity",
    "price_unit",
    "expected_revenue",
    "date_deadline",
    "serial_numbers",
    "sale_date",
    "description",
]
# The example row of the template's instructions sheet (never on the data sheet).
TEMPLATE_EXAMPLE = {
    "partner_name": "上海明远电气有限公司",
    "vat": "91310000MA1FL8XQ37",
    "contact_name": "王伟",
    "phone": "021-62345678",
    "mobile": "13812345678",
    "email": "wang.wei@mingyuan.example.cn",
    "province": "上海市",
    "city": "上海",
    "street": "浦东新区张江路 88 号",
    "quantity": 2,
    "price_unit": 12000,
    "expected_revenue": 24000,
    "date_deadline": "2026-12-31",
}


class CrmRegistrationUpload(models.Model):
    """A distributor's spreadsheet of registrations (and sell-out lines).

    The file is read and every row triaged into a line before anything is
    written; the distributor then confirms the rows to submit, and the
    confirmation creates all of them or none. Large files are triaged off the
    request by a cron job, the page shows the progress.
    """

    _name = "crm.registration.upload"
    _inherit = ["crm.import.mixin"]
    _description = "Registration Upload"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="File Name",
        required=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    distributor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Distributor",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_distributor", "=", True)],
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Uploaded By",
        default=lambda self: self.env.user,
    )
    file = fields.Binary(
        attachment=True,
    )
    file_type = fields.Char(
        readonly=True,
    )
    state = fields.Selection(
        selection=[
            ("queued", "Triage in Progress"),
            ("triaged", "Ready to Confirm"),
            ("done", "Confirmed"),
            ("refused", "File Refused"),
        ],
        string="Status",
        required=True,
        default="queued",
        index=True,
    )
    is_read = fields.Boolean(
        string="File Read",
        readonly=True,
        default=True,
        help="Files uploaded in the portal are read by the background job, not in the "
        "request; until then the upload has no rows.",
    )
    refusal_reason = fields.Text(
        readonly=True,
    )
    line_ids = fields.One2many(
        comodel_name="crm.registration.upload.line",
        inverse_name="upload_id",
        string="Rows",
    )
    row_count = fields.Integer(
        readonly=True,
    )
    progress = fields.Integer(
        string="Progress (%)",
        compute="_compute_counts",
    )
    count_pending = fields.Integer(
        string="Rows to Triage",
        compute="_compute_counts",
    )
    count_new = fields.Integer(
        string="New",
        compute="_compute_counts",
    )
    count_mine = fields.Integer(
        string="Already Yours",
        compute="_compute_counts",
    )
    count_conflict = fields.Integer(
        string="Conflicts",
        compute="_compute_counts",
    )
    count_duplicate = fields.Integer(
        string="Needs Review",
        compute="_compute_counts",
    )
    count_invalid = fields.Integer(
        string="Invalid",
        compute="_compute_counts",
    )
    count_submitted = fields.Integer(
        string="Submitted",
        compute="_compute_counts",
    )
    date_confirmed = fields.Datetime(
        string="Confirmed On",
        readonly=True,
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("line_ids.status", "line_ids.registration_id", "line_ids.sell_out_id", "row_count")
    def _compute_counts(self):
        statuses = ("pending", "new", "mine", "conflict", "duplicate", "invalid")
        counts = {
            (upload.id, status): count
            for upload, status, count in self.env["crm.registration.upload.line"]._read_group(
                domain=[("upload_id", "in", self.ids)],
                groupby=["upload_id", "status"],
                aggregates=["__count"],
            )
        }
        submitted = dict(
            self.env["crm.registration.upload.line"]._read_group(
                domain=[
                    ("upload_id", "in", self.ids),
                    "|",
                    ("registration_id", "!=", False),
                    ("sell_out_id", "!=", False),
                ],
                groupby=["upload_id"],
                aggregates=["__count"],
            )
        )
        for upload in self:
            for status in statuses:
                upload[f"count_{status}"] = counts.get((upload.id, status), 0)
            upload.count_submitted = submitted.get(upload, 0)
            done = upload.row_count - upload.count_pending
            if not upload.is_read:
                upload.progress = 0
            else:
                upload.progress = 100 * done // upload.row_count if upload.row_count else 100

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------

    @api.model
    def _get_sync_rows(self):
        """Above this many rows the triage runs in the cron, off the request."""
        param = self.env["ir.config_parameter"].sudo()  # sudo: settings are admin-only
        return int(param.get_param("crm_distributor.upload_sync_rows", DEFAULT_SYNC_ROWS))

    @api.model
    def _get_import_columns(self):
        return REGISTRATION_COLUMNS, REGISTRATION_REQUIRED

    # ------------------------------------------------------------------
    # ORM-level entry point
    # ------------------------------------------------------------------

    @api.model
    def _create_from_file(self, distributor, data, filename, background=False):
        """Create the upload of ``data`` for ``distributor``.

        ``background`` (the portal): only the size and type are checked here;
        the file is stored and the cron reads it (with the bounds of
        tools/spreadsheet) and triages it, so that no file is parsed inside an
        HTTP request; a file refused then leaves the upload "refused" with the
        reason. Otherwise (server-side callers) the file is read at once and
        nothing is created when it is refused.
        """
        if not distributor.is_distributor:
            raise UserError(self.env._("Only a distributor can upload registrations."))
        file_type = self._check_file(data, filename)
        vals = {
            "name": filename,
            "distributor_id": distributor.id,
            "company_id": (distributor.company_id or self.env.company).id,
            "file": base64.b64encode(data),
            "file_type": file_type,
        }
        if background:
            upload = self.create(dict(vals, is_read=False, row_count=0))
            self.env.ref("crm_distributor.ir_cron_registration_upload_triage")._trigger()
            return upload
        table = self._read_spreadsheet(data, filename)
        line_vals = self.env["crm.registration.upload.line"]._prepare_lines_from_table(
            distributor, table
        )
        upload = self.create(
            dict(
                vals,
                row_count=len(line_vals),
                line_ids=[fields.Command.create(line) for line in line_vals],
            )
        )
        if upload.row_count > self._get_sync_rows():
            self.env.ref("crm_distributor.ir_cron_registration_upload_triage")._trigger()
        else:
            upload._triage_pending()
        return upload

    def _as_uploader(self):
        """The upload in the uploading user's name and language, in sudo: the
        background job creates and triages the rows as that user (create_uid,
        chatter author), not as OdooBot."""
        self.ensure_one()
        user = self.user_id or self.env.user
        # sudo: portal users have no create right on upload rows; the upload is
        # the user's own and the rows are built from its file only.
        return self.with_user(user).sudo().with_context(lang=user.lang or self.env.lang)

    def _read_file(self):
        """Read a file stored by a background upload into its rows (in the
        cron); a refused file ends the upload as "refused" with the reason."""
        for upload in self.filtered(lambda u: not u.is_read):
            upload = upload._as_uploader()
            data = base64.b64decode(upload.file or b"")
            try:
                with self.env.cr.savepoint():
                    table = upload._read_spreadsheet(data, upload.name)
                    line_vals = self.env["crm.registration.upload.line"]._prepare_lines_from_table(
                        upload.distributor_id, table
                    )
            except UserError as error:
                upload.write({"is_read": True, "state": "refused", "refusal_reason": error.args[0]})
                continue
            upload.write(
                {
                    "is_read": True,
                    "row_count": len(line_vals),
                    "line_ids": [fields.Command.create(line) for line in line_vals],
                }
            )

    # ------------------------------------------------------------------
    # Triage
    # ------------------------------------------------------------------

    def _triage_pending(self, limit=None):
        """Triage the pending lines (at most ``limit``); return how many."""
        lines = self.env["crm.registration.upload.line"].search(
            [("upload_id", "in", self.ids), ("status", "=", "pending")],
            order="upload_id, row_number",
            limit=limit,
        )
        lines._triage()
        for upload in self.filtered(lambda u: u.state == "queued" and u.is_read):
            if not upload.line_ids.filtered(lambda line: line.status == "pending"):
                upload.state = "triaged"
        return len(lines)

    @api.model
    def _cron_triage_queued(self, batch_size=CRON_BATCH):
        """Cron job: read the next uploaded file not read yet, or triage the
        next batch of rows of queued uploads; the cron runs again at once
        while work remains (progress notified)."""
        queued = self.search([("state", "=", "queued")], order="id")
        unread = queued.filtered(lambda upload: not upload.is_read)
        if unread:
            unread[:1]._read_file()
            done = 1
        else:
            upload = queued[:1]
            done = upload._as_uploader()._triage_pending(limit=batch_size) if upload else 0
        queued = queued.filtered(lambda upload: upload.state == "queued")
        remaining = len(queued.filtered(lambda upload: not upload.is_read))
        remaining += self.env["crm.registration.upload.line"].search_count(
            [("upload_id", "in", queued.ids), ("status", "=", "pending")]
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        """Button: submit the selected rows, then show the upload again."""
        self.ensure_one()
        registrations = self._confirm_lines()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s registrations were submitted.", count=len(registrations)
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _confirm_lines(self, lines=None):
        """Submit the confirmed rows: all of them or none; returns the
        registrations created.

        ``lines`` defaults to the selected lines. Rows already submitted (by
        this upload or an earlier upload of the same rows) are never created
        twice.
        """
        self.ensure_one()
        if self.state != "triaged":
            raise UserError(self.env._("This upload cannot be confirmed in its current state."))
        lines = self.line_ids.filtered("selected") if lines is None else lines
        lines = lines.filtered(lambda line: line.upload_id == self)
        if not lines:
            raise UserError(self.env._("Select at least one row to submit."))
        refused = lines.filtered(lambda line: not line.can_submit)
        if refused:
            raise UserError(
                self.env._(
                    "Row %(row)s cannot be submitted: %(reason)s",
                    row=refused[0].row_number,
                    reason=refused[0].reason or refused[0]._get_status_label(),
                )
            )
        self.env["crm.registration.upload.line"].flush_model()
        registrations = self.env["crm.deal.registration"]
        try:
            with self.env.cr.savepoint():
                # In chunks, the cache emptied between them: 10,000 rows stay
                # within the memory target; still all or nothing (one savepoint).
                for chunk in split_every(CONFIRM_BATCH, lines.ids, lines.browse):
                    chunk_registrations, _sell_outs = chunk._create_records()
                    registrations |= chunk_registrations
                    self.env.flush_all()
                    self.env.invalidate_all()
                if registrations:
                    lines._post_submit_digest(registrations)
        except IntegrityError as error:
            raise UserError(
                self.env._(
                    "Some rows were submitted meanwhile (another upload of the same file?). "
                    "Nothing was submitted; triage the file again."
                )
            ) from error
        self.write({"state": "done", "date_confirmed": fields.Datetime.now()})
        return registrations

    def action_export_triage(self):
        """Button: download the triage (an attachment of the upload)."""
        self.ensure_one()
        # sudo: internal users may not create attachments on uploads; the file
        # is this upload's own triage, readable by whoever reads the upload.
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self._get_export_filename(),
                    "raw": self._export_triage(),
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "text/csv",
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def _get_export_filename(self):
        self.ensure_one()
        return f"triage-{self.id}.xlsx"

    @api.model
    def _get_template_header(self, lang=None):
        """The template's header: one label per column of TEMPLATE_KEYS, in
        Chinese for a zh_CN user, English otherwise; * marks a required one."""
        lang = lang or self.env.lang or "en_US"
        english = not lang.startswith("zh")
        header = []
        for key in TEMPLATE_KEYS:
            label = spreadsheet.column_label(REGISTRATION_COLUMNS, key).split(" / ")[english]
            header.append(f"*{label}" if key in REGISTRATION_REQUIRED else label)
        return header

    def _export_triage(self):
        """The triage as .xlsx bytes: every column of the template, with the
        cells as they were read (a refused row can be corrected and uploaded
        again as it is), then the row number, the triage and the reason. Empty
        values are empty cells; text is neutralised against formulas."""
        self.ensure_one()
        header = self._get_template_header() + [
            self.env._("Row"),
            self.env._("Status"),
            self.env._("Reason"),
        ]
        rows = [
            [line._get_export_value(key) for key in TEMPLATE_KEYS]
            + [line.row_number, line._get_status_label(), line.reason or None]
            for line in self.line_ids
        ]
        return spreadsheet.export_xlsx(header, rows, sheet_title=self.env._("Triage"))

    @api.model
    def _build_template(self, lang):
        """The Excel template: the data sheet (first: it is the one read), an
        instructions sheet with an example row (on that sheet, so that it can
        never be imported by mistake), and the product codes; drop-downs for
        the province and the product code."""
        return self.with_context(lang=lang)._build_template_workbook(lang)

    @api.model
    def _build_template_workbook(self, lang):
        import openpyxl
        from openpyxl.worksheet.datavalidation import DataValidation

        english = not lang.startswith("zh")
        header = self._get_template_header(lang)
        workbook = openpyxl.Workbook()
        data = workbook.active
        data.title = "Registrations" if english else "报备"
        data.append(header)
        data.freeze_panes = "A2"
        for index, _key in enumerate(TEMPLATE_KEYS, start=1):
            data.column_dimensions[openpyxl.utils.get_column_letter(index)].width = 18
        instructions = workbook.create_sheet("Instructions" if english else "填写说明")
        for line in self._get_template_instructions():
            instructions.append([line])
        instructions.append([])
        instructions.append([self.env._("Example (this sheet is never imported):")])
        instructions.append(header)
        instructions.append([TEMPLATE_EXAMPLE.get(key) for key in TEMPLATE_KEYS])
        instructions.column_dimensions["A"].width = 100
        lists = workbook.create_sheet("Lists" if english else "选项")
        lists.append([self.env._("Product code"), self.env._("Product"), self.env._("Province")])
        # sudo: the catalogue's codes are what distributors register; portal
        # users may not read products directly.
        products = (
            self.env["product.product"]
            .sudo()
            .search(
                [("sale_ok", "=", True), ("default_code", "!=", False)],
                order="default_code",
                limit=MAX_TEMPLATE_PRODUCTS,
            )
        )
        china = self.env.ref("base.cn", raise_if_not_found=False)
        provinces = (
            self.env["res.country.state"].search([("country_id", "=", china.id)], order="code")
            if china
            else self.env["res.country.state"]
        )
        for index in range(max(len(products), len(provinces))):
            product = products[index] if index < len(products) else None
            province = provinces[index] if index < len(provinces) else None
            lists.append(
                [
                    product.default_code if product else None,
                    product.name if product else None,
                    province.name if province else None,
                ]
            )
        sheet = lists.title
        for key, column, count in (
            ("product_code", "A", len(products)),
            ("province", "C", len(provinces)),
        ):
            if not count:
                continue
            target = openpyxl.utils.get_column_letter(TEMPLATE_KEYS.index(key) + 1)
            validation = DataValidation(
                type="list",
                formula1=f"'{sheet}'!${column}$2:${column}${count + 1}",
                allow_blank=True,
                showErrorMessage=False,
            )
            validation.add(f"{target}2:{target}{self._get_row_limit() + 1}")
            data.add_data_validation(validation)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    @api.model
    def _get_template_instructions(self):
        return [
            self.env._("Fill in one end customer (or one sale) per row of the first sheet."),
            self.env._(
                "Only the customer name is required (*). A row with a sale date or serial "
                "numbers reports a sale to one of your end customers and needs a product code."
            ),
            self.env._(
                "Choose the province and the product code from the drop-downs (sheet of the "
                "lists); dates as 2025-12-31; amounts without currency signs."
            ),
            self.env._(
                "At most %(limit)s rows per file. Every row is checked before anything is "
                "submitted, and you choose the rows to submit.",
                limit=self._get_row_limit(),
            ),
        ]
