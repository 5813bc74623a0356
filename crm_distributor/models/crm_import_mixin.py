from odoo import api, models
from odoo.exceptions import UserError

from ..tools import spreadsheet

DEFAULT_ROW_LIMIT = 10000
DEFAULT_MAX_MB = 20


class CrmImportMixin(models.AbstractModel):
    """What the suite's spreadsheet importers share (the distributors' bulk
    upload, the trade-fair lead list): the limits, the safe reading of the
    file through tools/spreadsheet with its refusals translated once, and the
    lookups of country names. Each importer gives its column map
    (_get_import_columns) and turns the rows into its own records."""

    _name = "crm.import.mixin"
    _description = "Spreadsheet Import Mixin"

    @api.model
    def _get_import_columns(self):
        """(column map, required column keys) of the importer: see
        tools/spreadsheet.read_table."""
        raise NotImplementedError()

    @api.model
    def _get_row_limit(self):
        param = self.env["ir.config_parameter"].sudo()  # sudo: settings are admin-only
        return int(param.get_param("crm_distributor.upload_row_limit", DEFAULT_ROW_LIMIT))

    @api.model
    def _get_max_bytes(self):
        param = self.env["ir.config_parameter"].sudo()  # sudo: settings are admin-only
        return int(param.get_param("crm_distributor.upload_max_mb", DEFAULT_MAX_MB)) * 2**20

    @api.model
    def _check_file(self, data, filename):
        """The cheap checks done at once, in the request: size and real type
        (from the first bytes and the archive directory); reading the rows,
        with its bounds, is left to the background job."""
        max_bytes = self._get_max_bytes()
        try:
            if max_bytes and len(data) > max_bytes:
                raise spreadsheet.FileTooLargeError(
                    "too_large", filename=filename, max_mb=max_bytes // 2**20
                )
            return spreadsheet.detect_type(data, filename)
        except spreadsheet.SpreadsheetError as error:
            raise UserError(self._spreadsheet_error_message(error)) from error

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
            "too_many_columns": lambda: self.env._(
                "The file %(filename)s uses more than %(limit)s columns (a cell at column "
                "%(column)s). Keep only the template's columns.",
                **params,
            ),
            "too_many_cells": lambda: self.env._(
                "The file %(filename)s holds more than %(limit)s cells. Split it into smaller "
                "files.",
                **params,
            ),
            "too_many_strings": lambda: self.env._(
                "The file %(filename)s holds more than %(limit)s different texts. Split it into "
                "smaller files.",
                **params,
            ),
            "too_many_blank_rows": lambda: self.env._(
                "The file %(filename)s has more than %(limit)s empty rows one after the other "
                "(from row %(row)s). Remove them and upload it again.",
                **params,
            ),
            "too_large_unpacked": lambda: self.env._(
                "The file %(filename)s unpacks to more than %(max_mb)s MB. It was refused.",
                **params,
            ),
        }
        return messages[error.key]() if error.key in messages else str(error)

    @api.model
    def _read_spreadsheet(self, data, filename):
        """Read ``data`` with tools/spreadsheet and the importer's columns;
        refusals become UserError."""
        columns, required = self._get_import_columns()
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

    @api.model
    def _get_country_index(self):
        """Country lookup by name (English and Chinese, when installed) or code."""
        index = {}
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        for lang in {"en_US", "zh_CN"} & installed:
            for country in self.env["res.country"].with_context(lang=lang).search([]):
                index.setdefault(country.name.casefold(), country)
                index.setdefault(country.code.casefold(), country)
        return index
