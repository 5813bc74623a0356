"""Builders of good and bad spreadsheet files for the upload tests.

Every file is generated here, byte by byte when a library cannot write it
(encrypted container, phantom dimension, cached formula values).
"""

import codecs
import io
import struct
import zipfile
from xml.sax.saxutils import escape

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _col(idx):
    name = ""
    idx += 1
    while idx:
        idx, rem = divmod(idx - 1, 26)
        name = chr(65 + rem) + name
    return name


def _cell(ref, value):
    if value is None:
        return ""
    if isinstance(value, dict):  # {"f": "A2*2", "v": 84}: formula with its cached value
        cached = "" if value.get("v") is None else f"<v>{value['v']}</v>"
        return f'<c r="{ref}"><f>{escape(value["f"])}</f>{cached}</c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def build_xlsx(rows, dimension=None):
    """A minimal, valid .xlsx of ``rows`` (inline strings, numbers, formulas).

    ``dimension`` overrides the declared ``<dimension ref=...>`` (e.g. a
    phantom "A1:Z1000000" on a sheet that holds four rows).
    """
    width = max((len(row) for row in rows), default=1)
    dimension = dimension or f"A1:{_col(width - 1)}{max(len(rows), 1)}"
    xml_rows = []
    for rowx, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{_col(colx)}{rowx}", value) for colx, value in enumerate(row))
        xml_rows.append(f'<row r="{rowx}">{cells}</row>')
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {_NS}>'
        f'<dimension ref="{dimension}"/><sheetData>{"".join(xml_rows)}</sheetData></worksheet>'
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook {_NS} xmlns:r="{_REL_NS}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def build_xls(rows):
    """A .xls (BIFF8) written by xlwt."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    for rowx, row in enumerate(rows):
        for colx, value in enumerate(row):
            if value is not None:
                sheet.write(rowx, colx, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def build_encrypted_xls(rows):
    """An .xls whose globals carry a FILEPASS record, as Excel writes for a
    password-protected workbook (the INTERFACEHDR record is retyped)."""
    data = build_xls(rows)
    marker = b"\xe1\x00\x02\x00\xb0\x04"  # INTERFACEHDR, codepage 1200
    pos = data.index(marker)
    return data[:pos] + b"\x2f\x00" + data[pos + 2 :]


def build_encrypted_xlsx():
    """An OLE2 Compound File holding EncryptionInfo and EncryptedPackage
    streams: what Office writes for a password-protected .xlsx."""
    sector = 512
    end, free, fat_sect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"\x00" * (4096 - 8)  # agile encryption v4.4
    package = struct.pack("<Q", 1234) + bytes(range(256)) * 15 + b"\x00" * (4096 - 8 - 3840)
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 0x2C, 1)  # one FAT sector
    struct.pack_into("<I", header, 0x30, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 0x38, 4096)  # mini stream cutoff
    struct.pack_into("<III", header, 0x3C, end, 0, end)
    struct.pack_into("<I", header, 0x48, 0)
    difat = [0] + [free] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    fat = [fat_sect, end] + list(range(3, 10)) + [end] + list(range(11, 18)) + [end]
    fat += [free] * (sector // 4 - len(fat))

    def entry(name, kind, start, size, child=free, right=free):
        raw = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, free, right, child)
        struct.pack_into("<IQ", raw, 116, start, size)
        return bytes(raw)

    directory = (
        entry("Root Entry", 5, end, 0, child=1)
        + entry("EncryptionInfo", 2, 2, len(info), right=2)
        + entry("EncryptedPackage", 2, 10, len(package))
        + bytes(128)
    )
    return bytes(header) + struct.pack(f"<{sector // 4}I", *fat) + directory + info + package


def build_csv(rows, encoding="utf-8", delimiter=",", bom=False):
    lines = []
    for row in rows:
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            if any(ch in text for ch in (delimiter, '"', "\n")):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return (codecs.BOM_UTF8 + data) if bom else data


def corrupt_zip(valid_xlsx):
    """An .xlsx cut in the middle of its central directory."""
    return valid_xlsx[: len(valid_xlsx) // 2] + b"\x00" * 64 + valid_xlsx[-20:]


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
HTML_BYTES = (
    b"<!DOCTYPE html><html><body><table><tr><td>Customer name</td></tr>"
    b"<tr><td><script>alert(1)</script></td></tr></table></body></html>"
)


def build_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Hostile files of issue 9.5: small on disk, huge once read naively
# ---------------------------------------------------------------------------


def build_xls_far_cell():
    """A ~5 KB .xls holding one cell at (65535, 255): xlrd without
    ragged rows pads every row to 256 cells (16 M cells)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    sheet.write(65535, 255, "x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_with_parts(sheet_xml, shared_strings_xml=None):
    data = build_xlsx([["客户名称"], ["占位"]])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for name in source.namelist():
            text = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                text = sheet_xml
            target.writestr(name, text)
        if shared_strings_xml is not None:
            target.writestr("xl/sharedStrings.xml", shared_strings_xml)
    return buffer.getvalue()


def build_xlsx_wide_row(cells=1_000_000):
    """A ~60 KB .xlsx whose one row holds ``cells`` cells without references
    (openpyxl builds the whole row tuple: ~900 MB)."""
    row = "<c><v>1</v></c>" * cells
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>'
        f'<row r="1">{row}</row></sheetData></worksheet>'
    )
    return _xlsx_with_parts(sheet.encode())


def build_xlsx_shared_strings(count=1_000_000):
    """A ~42 KB .xlsx whose shared-string table holds ``count`` entries
    (openpyxl reads them all when the workbook opens)."""
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS} count="{count}" '
        f'uniqueCount="{count}">' + "<si><t>a</t></si>" * count + "</sst>"
    )
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    return _xlsx_with_parts(sheet.encode(), strings.encode())


def build_xlsx_blank_rows(gap=100_000):
    """A header, then one row ``gap`` rows further down."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>客户名称</t></is></c></row>'
        f'<row r="{gap}"><c r="A{gap}" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return _xlsx_with_parts(sheet.encode())
