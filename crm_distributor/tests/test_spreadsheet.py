"""Unit tests of tools/spreadsheet.py: the bad-file corpus and the happy paths.

Plain Python: no database is touched by the reader, so "nothing was written"
is asserted by the Odoo-level tests (test_registration_upload.py) that feed
the same corpus to the upload model.
"""

import datetime
import io
import tracemalloc

import openpyxl

from odoo.tests import BaseCase

from odoo.addons.crm_distributor.models.crm_registration_upload import (
    REGISTRATION_COLUMNS,
    REGISTRATION_REQUIRED,
)
from odoo.addons.crm_distributor.tools import spreadsheet as ss

from . import spreadsheet_corpus as corpus


def read_table(data, filename, **kwargs):
    """tools/spreadsheet.read_table with the upload's columns (by default)."""
    kwargs.setdefault("columns", REGISTRATION_COLUMNS)
    kwargs.setdefault("required", REGISTRATION_REQUIRED)
    return ss.read_table(data, filename, **kwargs)


HEADER_ZH = ["客户名称", "统一社会信用代码", "联系人", "手机", "邮箱", "产品编码", "数量"]
HEADER_EN = ["Customer name", "Credit code", "Contact", "Mobile", "Email", "Product code", "Qty"]
ROW_1 = [
    "上海明远电气有限公司",
    "91310000MA1FL8XQ37",
    "王伟",
    "13812345678",
    "wang@mingyuan.cn",
    "PUMP-01",
    3,
]
ROW_2 = [
    "Hangzhou Sunrise Trading Co., Ltd.",
    None,
    "Li Na",
    "13900001111",
    "li@sunrise.com",
    "PUMP-02",
    1,
]


class TestDetection(BaseCase):
    def test_disguised_exe(self):
        with self.assertRaises(ss.DisguisedFileError) as ctx:
            read_table(corpus.EXE_BYTES, "customers.xlsx")
        self.assertEqual(ctx.exception.key, "disguised_type")
        self.assertEqual(ctx.exception.params["real_type"], "executable")
        self.assertIn("executable", str(ctx.exception))

    def test_disguised_html(self):
        with self.assertRaises(ss.DisguisedFileError) as ctx:
            read_table(corpus.HTML_BYTES, "customers.xlsx")
        self.assertEqual(ctx.exception.params["real_type"], "HTML")
        # HTML renamed .csv is refused as well (it is not a CSV export)
        with self.assertRaises(ss.DisguisedFileError):
            read_table(corpus.HTML_BYTES, "customers.csv")

    def test_disguised_docx_and_text(self):
        with self.assertRaises(ss.DisguisedFileError) as ctx:
            read_table(corpus.build_docx(), "customers.xlsx")
        self.assertEqual(ctx.exception.params["real_type"], "Word")
        csv_data = corpus.build_csv([HEADER_EN, ROW_2])
        with self.assertRaises(ss.DisguisedFileError) as ctx:
            read_table(csv_data, "customers.xlsx")
        self.assertEqual(ctx.exception.params["real_type"], "text")

    def test_unsupported_extension(self):
        with self.assertRaises(ss.UnsupportedTypeError) as ctx:
            read_table(corpus.EXE_BYTES, "setup.exe")
        self.assertEqual(ctx.exception.key, "unsupported_type")

    def test_real_type_wins_over_extension(self):
        """An .xls saved with an .xlsx name is still read (as .xls)."""
        table = read_table(corpus.build_xls([HEADER_EN, ROW_2]), "customers.xlsx")
        self.assertEqual(table.file_type, "xls")
        self.assertEqual(len(table.rows), 1)

    def test_corrupt_zip(self):
        data = corpus.corrupt_zip(corpus.build_xlsx([HEADER_ZH, ROW_1]))
        with self.assertRaises(ss.CorruptFileError) as ctx:
            read_table(data, "customers.xlsx")
        self.assertEqual(ctx.exception.key, "corrupt")
        self.assertIn("damaged", str(ctx.exception))

    def test_corrupt_sheet_xml(self):
        data = corpus.build_xlsx([HEADER_ZH, ROW_1])
        buffer = io.BytesIO()
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as dst:
            for info in src.infolist():
                content = src.read(info)
                if info.filename.endswith("sheet1.xml"):
                    content = content[:-40]  # truncated XML
                dst.writestr(info, content)
        with self.assertRaises(ss.CorruptFileError):
            read_table(buffer.getvalue(), "customers.xlsx")

    def test_corrupt_xls(self):
        data = corpus.build_xls([HEADER_ZH, ROW_1])
        with self.assertRaises(ss.CorruptFileError):
            read_table(data[:600], "customers.xls")

    def test_encrypted_xlsx(self):
        with self.assertRaises(ss.EncryptedFileError) as ctx:
            read_table(corpus.build_encrypted_xlsx(), "secret.xlsx")
        self.assertEqual(ctx.exception.key, "encrypted")
        self.assertIn("password", str(ctx.exception))

    def test_encrypted_xls(self):
        with self.assertRaises(ss.EncryptedFileError):
            read_table(corpus.build_encrypted_xls([HEADER_ZH, ROW_1]), "secret.xls")

    def test_empty_file(self):
        with self.assertRaises(ss.EmptyFileError):
            read_table(b"", "customers.csv")
        with self.assertRaises(ss.EmptyFileError):
            read_table(corpus.build_xlsx([HEADER_ZH]), "customers.xlsx")

    def test_too_large(self):
        with self.assertRaises(ss.FileTooLargeError) as ctx:
            read_table(b"a" * 2048, "customers.csv", max_bytes=1024)
        self.assertEqual(ctx.exception.key, "too_large")


class TestReading(BaseCase):
    def test_xlsx_chinese_headers(self):
        table = read_table(corpus.build_xlsx([HEADER_ZH, ROW_1, ROW_2]), "客户.xlsx")
        self.assertEqual(table.file_type, "xlsx")
        self.assertEqual([number for number, _values in table.rows], [2, 3])
        values = table.rows[0][1]
        self.assertEqual(values["partner_name"], "上海明远电气有限公司")
        self.assertEqual(values["vat"], "91310000MA1FL8XQ37")
        self.assertEqual(values["mobile"], "13812345678")
        self.assertEqual(values["quantity"], 3)
        self.assertNotIn("vat", table.rows[1][1])

    def test_english_headers_with_marks_and_title_row(self):
        rows = [
            ["Registration upload"],
            ["*Customer name", "E-mail", "Unit price (CNY)"],
            ["Acme", "a@acme.com", 12.5],
        ]
        table = read_table(corpus.build_xlsx(rows), "c.xlsx")
        self.assertEqual(table.rows, [(3, {"partner_name": "Acme", "email": "a@acme.com"})])
        self.assertEqual(table.unknown_headers, ["Unit price (CNY)"])

    def test_missing_required_columns(self):
        rows = [["联系人", "手机"], ["王伟", "13812345678"]]
        with self.assertRaises(ss.MissingColumnsError) as ctx:
            read_table(corpus.build_xlsx(rows), "c.xlsx")
        self.assertEqual(ctx.exception.params["columns"], "客户名称 / Customer name")

    def test_phantom_dimension(self):
        """A sheet declaring A1:Z1000000 but holding four rows: four rows,
        quickly, without materialising phantom rows."""
        rows = [HEADER_ZH, ROW_1, ROW_2, ["第三客户"], ["第四客户"]]
        data = corpus.build_xlsx(rows, dimension="A1:XFD1048576")
        tracemalloc.start()
        stats = ss.ReadStats()
        table = read_table(data, "c.xlsx", stats=stats)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.assertEqual(len(table.rows), 4)
        self.assertEqual(stats.rows, 5)  # the rows present, not the declared million
        self.assertLess(peak, 20 * 2**20)

    def test_row_limit(self):
        rows = [HEADER_EN] + [[f"Customer {i}"] for i in range(6)]
        with self.assertRaises(ss.TooManyRowsError) as ctx:
            read_table(corpus.build_xlsx(rows), "c.xlsx", row_limit=5)
        self.assertEqual(ctx.exception.params, {"limit": 5})
        self.assertEqual(len(read_table(corpus.build_xlsx(rows), "c.xlsx", row_limit=6).rows), 6)

    def test_formulas_take_cached_value(self):
        rows = [
            ["客户名称", "数量", "预计金额"],
            ["甲公司", 4, {"f": "B2*250", "v": 1000}],
            ["乙公司", 2, {"f": 'HYPERLINK("http://evil")', "v": None}],
        ]
        table = read_table(corpus.build_xlsx(rows), "c.xlsx")
        self.assertEqual(table.rows[0][1]["expected_revenue"], 1000)
        # no cached value: empty, never evaluated nor kept as formula text
        self.assertNotIn("expected_revenue", table.rows[1][1])

    def test_html_kept_as_text(self):
        rows = [["客户名称", "备注"], ["<b>粗体</b>公司", "<script>alert('x')</script>"]]
        table = read_table(corpus.build_xlsx(rows), "c.xlsx")
        values = table.rows[0][1]
        self.assertEqual(values["partner_name"], "<b>粗体</b>公司")
        self.assertEqual(values["description"], "<script>alert('x')</script>")

    def test_xls_dates_and_numbers(self):
        import xlwt

        book = xlwt.Workbook(encoding="utf-8")
        sheet = book.add_sheet("S")
        date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
        for colx, title in enumerate(["客户名称", "数量", "销售日期"]):
            sheet.write(0, colx, title)
        sheet.write(1, 0, "甲公司")
        sheet.write(1, 1, 3.0)
        sheet.write(1, 2, datetime.date(2026, 3, 15), date_style)
        buffer = io.BytesIO()
        book.save(buffer)
        table = read_table(buffer.getvalue(), "c.xls")
        self.assertEqual(
            table.rows[0][1],
            {"partner_name": "甲公司", "quantity": 3, "sale_date": datetime.date(2026, 3, 15)},
        )

    def test_csv_encodings_and_delimiters(self):
        rows = [HEADER_ZH, ROW_1]
        for encoding, bom, delimiter in (
            ("utf-8", True, ","),
            ("utf-8", False, ";"),
            ("gb18030", False, "\t"),
            ("utf-16", False, "\t"),
        ):
            with self.subTest(encoding=encoding, bom=bom, delimiter=delimiter):
                data = corpus.build_csv(rows, encoding=encoding, delimiter=delimiter, bom=bom)
                table = read_table(data, "c.csv")
                self.assertEqual(table.rows[0][1]["partner_name"], "上海明远电气有限公司")
                self.assertEqual(table.rows[0][1]["contact_name"], "王伟")

    def test_csv_bad_encoding(self):
        data = "客户名称\n甲公司\n".encode()[:-5] + b"\xff\xfe\xfd\n"
        with self.assertRaises(ss.EncodingError):
            read_table(b"\x81\x30" + data, "c.csv")

    def test_csv_blank_lines_skipped(self):
        data = corpus.build_csv([HEADER_EN, ROW_2, [], ["", ""], ROW_2])
        self.assertEqual([n for n, _v in read_table(data, "c.csv").rows], [2, 5])


class TestExport(BaseCase):
    def test_neutralise(self):
        for value in ("=1+2", "+86 138", "-2", "@SUM(A1)", "\t=cmd"):
            self.assertEqual(ss.neutralise(value), "'" + value)
        self.assertEqual(ss.neutralise("上海"), "上海")
        self.assertEqual(ss.neutralise(-2), -2)

    def test_export_csv(self):
        data = ss.export_csv(["客户名称", "备注"], [['=HYPERLINK("x")', "@cmd"]])
        text = data.decode("utf-8-sig")
        self.assertIn('"\'=HYPERLINK(""x"")",\'@cmd', text)

    def test_export_xlsx_round_trip(self):
        data = ss.export_xlsx(["客户名称", "数量"], [["=1+1", 3], ["甲公司", -1]])
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        sheet = workbook.active
        self.assertEqual(sheet["A2"].value, "'=1+1")
        self.assertEqual(sheet["A2"].data_type, "s")
        self.assertEqual(sheet["B3"].value, -1)
        table = read_table(data, "export.xlsx")
        self.assertEqual(table.rows[1][1], {"partner_name": "甲公司", "quantity": -1})


class TestHostileBounds(BaseCase):
    """Issue 9.5: small files that are huge once read naively are refused
    while streaming, at a bound that holds on any machine (rows, cells,
    bytes), with a clear message; no wall-time assertion (see make bench)."""

    def _refused(self, data, filename, key):
        stats = ss.ReadStats()
        with self.assertRaises(ss.BoundsError) as ctx:
            read_table(data, filename, stats=stats)
        self.assertEqual(ctx.exception.key, key)
        self.assertIn(filename, str(ctx.exception))
        return stats

    def test_xls_one_cell_far_away(self):
        data = corpus.build_xls_far_cell()
        self.assertLess(len(data), 8 * 1024)
        stats = self._refused(data, "far.xls", "too_many_columns")
        self.assertEqual(stats.cells, 0)  # refused from the sheet's width, before any row

    def test_xlsx_one_very_wide_row(self):
        data = corpus.build_xlsx_wide_row()
        self.assertLess(len(data), 64 * 1024)
        stats = self._refused(data, "wide.xlsx", "too_many_columns")
        self.assertEqual(stats.cells, ss.MAX_COLUMNS + 1)
        self.assertLessEqual(stats.inflated_bytes, 1 << 17)

    def test_xlsx_shared_strings(self):
        data = corpus.build_xlsx_shared_strings()
        self.assertLess(len(data), 200 * 1024)
        stats = self._refused(data, "strings.xlsx", "too_many_strings")
        self.assertLess(stats.shared_strings, ss.MAX_SHARED_STRINGS + 2000)
        self.assertLess(stats.inflated_bytes, 8 * 2**20)  # stopped well before its 51 MB

    def test_blank_rows(self):
        stats = self._refused(corpus.build_xlsx_blank_rows(), "gap.xlsx", "too_many_blank_rows")
        self.assertEqual(stats.rows, 2)
        rows = [["客户名称"], ["甲"]] + [[None]] * (ss.MAX_BLANK_ROWS + 1) + [["乙"]]
        self._refused(corpus.build_csv(rows), "gap.csv", "too_many_blank_rows")

    def test_csv_wide_row(self):
        data = corpus.build_csv([["客户名称"] + ["x"] * (ss.MAX_COLUMNS + 1)])
        self._refused(data, "wide.csv", "too_many_columns")

    def test_unpacked_size(self):
        sheet = (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet '
            'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + " " * (ss.MAX_UNCOMPRESSED_BYTES + 1)
            + "</sheetData></worksheet>"
        )
        data = corpus._xlsx_with_parts(sheet.encode())
        stats = self._refused(data, "bomb.xlsx", "too_large_unpacked")
        self.assertEqual(stats.inflated_bytes, 0)  # refused from the declared sizes

    def test_template_sized_file_passes(self):
        """The bounds leave room for a full file: 10,000 rows of 17 columns."""
        rows = [HEADER_ZH + [f"c{i}" for i in range(10)]] + [
            ROW_1 + [str(i)] * 10 for i in range(2000)
        ]
        stats = ss.ReadStats()
        table = read_table(corpus.build_xlsx(rows), "ok.xlsx", stats=stats)
        self.assertEqual(len(table.rows), 2000)
        self.assertEqual(stats.cells, 2001 * 17)
