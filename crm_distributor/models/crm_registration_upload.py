import base64
import logging

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import spreadsheet

_logger = logging.getLogger(__name__)

DEFAULT_ROW_LIMIT = 10000
DEFAULT_SYNC_ROWS = 200
DEFAULT_MAX_MB = 20
CRON_BATCH = 500


class CrmRegistrationUpload(models.Model):
    """A distributor's spreadsheet of registrations (and sell-out lines).

    The file is read and every row triaged into a line before anything is
    written; the distributor then confirms the rows to submit, and the
    confirmation creates all of them or none. Large files are triaged off the
    request by a cron job, the page shows the progress.
    """

    _name = "crm.registration.upload"
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
        ],
        string="Status",
        required=True,
        default="queued",
        index=True,
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
        string="Possible Duplicates",
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
            upload.progress = 100 * done // upload.row_count if upload.row_count else 100

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------

    @api.model
    def _get_row_limit(self):
        param = self.env["ir.config_parameter"].sudo()  # sudo: settings are admin-only
        return int(param.get_param("crm_distributor.upload_row_limit", DEFAULT_ROW_LIMIT))

    @api.model
    def _get_sync_rows(self):
        """Above this many rows the triage runs in the cron, off the request."""
        param = self.env["ir.config_parameter"].sudo()  # sudo: settings are admin-only
        return int(param.get_param("crm_distributor.upload_sync_rows", DEFAULT_SYNC_ROWS))

    @api.model
    def _get_max_bytes(self):
        param = self.env["ir.config_parameter"].sudo()  # sudo: settings are admin-only
        return int(param.get_param("crm_distributor.upload_max_mb", DEFAULT_MAX_MB)) * 2**20

    # ------------------------------------------------------------------
    # Reading the file
    # ------------------------------------------------------------------

    @api.model
    def _spreadsheet_error_message(self, error):
        """Translated message of a spreadsheet.SpreadsheetError."""
        params = error.params
        messages = {
            "unsupported_type": lambda: self.env._(
                "This file type is not supported. Upload an .xlsx, .xls or .csv file."
            ),
            "disguised_type": lambda: self.env._(
                "The file %(filename)s is named like a spreadsheet but is really a "
                "%(real_type)s file. It was refused.",
                **params,
            ),
            "corrupt": lambda: self.env._(
                "The file %(filename)s is damaged and cannot be read.", **params
            ),
            "encrypted": lambda: self.env._(
                "The workbook %(filename)s is protected by a password. Remove the password "
                "and upload it again.",
                **params,
            ),
            "empty": lambda: self.env._("The file %(filename)s holds no data rows.", **params),
            "too_large": lambda: self.env._(
                "The file %(filename)s is larger than the %(max_mb)s MB allowed.", **params
            ),
            "missing_columns": lambda: self.env._(
                "Required columns are missing: %(columns)s. Download the template to see the "
                "expected columns.",
                **params,
            ),
            "too_many_rows": lambda: self.env._(
                "The file holds more than %(limit)s data rows. Split it into smaller files.",
                **params,
            ),
            "encoding": lambda: self.env._(
                "The text file %(filename)s is neither UTF-8 nor GB18030 encoded.", **params
            ),
        }
        return messages[error.key]() if error.key in messages else str(error)

    @api.model
    def _read_spreadsheet(self, data, filename, columns=None, required=None):
        """Read ``data`` with tools/spreadsheet; refusals become UserError."""
        try:
            return spreadsheet.read_table(
                data,
                filename,
                columns=columns,
                required=required,
                row_limit=self._get_row_limit(),
                max_bytes=self._get_max_bytes(),
            )
        except spreadsheet.SpreadsheetError as error:
            raise UserError(self._spreadsheet_error_message(error)) from error

    # ------------------------------------------------------------------
    # ORM-level entry point
    # ------------------------------------------------------------------

    @api.model
    def _create_from_file(self, distributor, data, filename):
        """Read the file, create the upload with one line per row and triage
        it (now, or in the cron for a large file). Nothing is created when the
        file is refused."""
        if not distributor.is_distributor:
            raise UserError(self.env._("Only a distributor can upload registrations."))
        table = self._read_spreadsheet(data, filename)
        Line = self.env["crm.registration.upload.line"]
        line_vals = Line._prepare_lines_from_table(distributor, table)
        upload = self.create(
            {
                "name": filename,
                "distributor_id": distributor.id,
                "company_id": (distributor.company_id or self.env.company).id,
                "file": base64.b64encode(data),
                "file_type": table.file_type,
                "row_count": len(line_vals),
                "line_ids": [fields.Command.create(vals) for vals in line_vals],
            }
        )
        if upload.row_count > self._get_sync_rows():
            self.env.ref("crm_distributor.ir_cron_registration_upload_triage")._trigger()
        else:
            upload._triage_pending()
        return upload

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
        for upload in self.filtered(lambda u: u.state == "queued"):
            if not upload.line_ids.filtered(lambda line: line.status == "pending"):
                upload.state = "triaged"
        return len(lines)

    @api.model
    def _cron_triage_queued(self, batch_size=CRON_BATCH):
        """Cron job: triage the next batch of rows of queued uploads; the
        cron runs again at once while rows remain (progress notified)."""
        queued = self.search([("state", "=", "queued")], order="id")
        done = queued[:1]._triage_pending(limit=batch_size) if queued else 0
        remaining = self.env["crm.registration.upload.line"].search_count(
            [("upload_id", "in", queued.ids), ("status", "=", "pending")]
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm(self, lines=None):
        """Submit the confirmed rows: all of them or none.

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
        try:
            with self.env.cr.savepoint():
                registrations, _sell_outs = lines._create_records()
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
        """The triage as CSV bytes (values neutralised against formulas)."""
        self.ensure_one()
        header = [
            self.env._("Row"),
            self.env._("Status"),
            self.env._("Customer name"),
            self.env._("Credit code"),
            self.env._("Reason"),
            self.env._("Score"),
        ]
        rows = [
            [
                line.row_number,
                line._get_status_label(),
                line.partner_name,
                line.vat,
                line.reason,
                line.score,
            ]
            for line in self.line_ids
        ]
        return spreadsheet.export_csv(header, rows)
