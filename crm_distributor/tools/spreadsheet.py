"""Safe reading of uploaded spreadsheets (.xls, .xlsx, .csv) and safe export.

Plain Python, no Odoo import: the Odoo layer (crm.registration.upload, the
trade-fair wizard) calls :func:`read_table` and translates the
:class:`SpreadsheetError` it may raise from its ``key`` and ``params``.

What it guards against:

* the real type is read from the first bytes, never from the extension: an
  executable, a PDF, an HTML page or a Word document renamed ``.xlsx`` is
  refused as a disguised file;
* corrupt archives and workbooks, encrypted workbooks (an xlsx protected by a
  password is an OLE2 container holding ``EncryptionInfo`` and
  ``EncryptedPackage`` streams; xlrd reports an encrypted .xls);
* a sheet that declares a huge dimension but holds a few rows: the declared
  dimension is ignored, only the rows really present are read, and reading
  stops as soon as the row limit is exceeded;
* formulas: the value cached by the spreadsheet program is taken, nothing is
  ever evaluated;
* text is kept as text (HTML or script included); the caller escapes it when
  it shows it, and :func:`neutralise` defuses formula injection on export.
"""

import codecs
import csv
import datetime
import io
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass, field

DEFAULT_ROW_LIMIT = 10000
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Bounds on what a file may hold, checked while streaming it, before any
# library builds rows in memory (issue 9.5: a 5 KB .xls with one cell at
# (65535, 255), a 60 KB .xlsx with one very wide row, 42 KB of shared strings).
# An xlsx is a zip: its parts together may not inflate beyond this (zip bomb).
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
# The templates have 17 columns; a sheet wider than this is not a list of rows.
MAX_COLUMNS = 64
# Cells of one sheet (10,000 rows of the full template are 170,000).
MAX_CELLS = 700_000
# Entries of an xlsx's shared-string table.
MAX_SHARED_STRINGS = 300_000
# Blank rows one after the other (within the data or before the header).
MAX_BLANK_ROWS = 1000
MAX_CELL_CHARS = 2000
HEADER_SCAN_ROWS = 10

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Known binary signatures, to name what a disguised file really is.
SIGNATURES = (
    (b"MZ", "executable"),
    (b"\x7fELF", "executable"),
    (b"%PDF", "PDF"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"\x1f\x8b", "archive"),
)
HTML_PREFIXES = ("<!doctype", "<html", "<?xml", "<script", "<head", "<body", "<svg", "<table")
SPREADSHEET_EXTENSIONS = ("xls", "xlsx", "csv", "txt")

# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class SpreadsheetError(Exception):
    """A file the reader refuses. ``key`` names the reason, ``params`` fill
    the translated message of the Odoo layer (see :data:`MESSAGES`)."""

    def __init__(self, key, **params):
        self.key = key
        self.params = params
        super().__init__(MESSAGES.get(key, key) % params if params else MESSAGES.get(key, key))


class UnsupportedTypeError(SpreadsheetError):
    pass


class DisguisedFileError(SpreadsheetError):
    pass


class CorruptFileError(SpreadsheetError):
    pass


class EncryptedFileError(SpreadsheetError):
    pass


class EmptyFileError(SpreadsheetError):
    pass


class FileTooLargeError(SpreadsheetError):
    pass


class MissingColumnsError(SpreadsheetError):
    pass


class TooManyRowsError(SpreadsheetError):
    pass


class EncodingError(SpreadsheetError):
    pass


class BoundsError(SpreadsheetError):
    """The file exceeds a bound on columns, cells, shared strings, blank rows
    or uncompressed size."""


# English source messages, with named placeholders; the Odoo layer
# translates its own copy of each one through env._().
MESSAGES = {
    "unsupported_type": "This file type is not supported. Upload an .xlsx, .xls or .csv file.",
    "disguised_type": "The file %(filename)s is named like a spreadsheet but is really "
    "a %(real_type)s file. It was refused.",
    "corrupt": "The file %(filename)s is damaged and cannot be read.",
    "encrypted": "The workbook %(filename)s is protected by a password. "
    "Remove the password and upload it again.",
    "empty": "The file %(filename)s holds no data rows.",
    "too_large": "The file %(filename)s is larger than the %(max_mb)s MB allowed.",
    "missing_columns": "Required columns are missing: %(columns)s. "
    "Download the template to see the expected columns.",
    "too_many_rows": "The file holds more than %(limit)s data rows. Split it into smaller files.",
    "encoding": "The text file %(filename)s is neither UTF-8 nor GB18030 encoded.",
    "too_many_columns": "The file %(filename)s uses more than %(limit)s columns "
    "(a cell at column %(column)s). Keep only the template's columns.",
    "too_many_cells": "The file %(filename)s holds more than %(limit)s cells. "
    "Split it into smaller files.",
    "too_many_strings": "The file %(filename)s holds more than %(limit)s different texts. "
    "Split it into smaller files.",
    "too_many_blank_rows": "The file %(filename)s has more than %(limit)s empty rows "
    "one after the other (from row %(row)s). Remove them and upload it again.",
    "too_large_unpacked": "The file %(filename)s unpacks to more than %(max_mb)s MB. "
    "It was refused.",
}


@dataclass
class ReadStats:
    """What reading a file cost, for the bounds and their tests: rows and
    cells seen, bytes of XML inflated, shared strings counted."""

    rows: int = 0
    cells: int = 0
    inflated_bytes: int = 0
    shared_strings: int = 0


# ---------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------

# The column maps (column key -> recognised headers, Chinese and English) sit
# beside their importers: crm.registration.upload (REGISTRATION_COLUMNS) and
# crm.trade.fair.import (TRADE_FAIR_COLUMNS); this reader takes one as input.

_HEADER_NOISE = re.compile(r"[\s\*:：()（）\[\]【】_/\\.,，、-]+")


def normalise_header(text):
    """Fold a header cell for lookup: NFKC, case, spaces, marks like ``*``."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return _HEADER_NOISE.sub("", text)


def column_label(columns, key):
    """Bilingual label of a column: its first (Chinese) and first English header."""
    aliases = columns[key]
    english = next((alias for alias in aliases if alias.isascii()), key)
    return f"{aliases[0]} / {english[:1].upper()}{english[1:]}"


def _alias_index(columns):
    index = {}
    for key, aliases in columns.items():
        index[normalise_header(key)] = key
        for alias in aliases:
            index.setdefault(normalise_header(alias), key)
    return index


# ---------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------


def _extension(filename):
    name = (filename or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _ole_stream_names(data):
    """Names of the entries of an OLE2 (Compound File Binary) directory.

    Reads the header, the FAT sectors named in the header's DIFAT and the
    directory chain; enough to tell an .xls from an encrypted .xlsx or a .doc.
    """
    if len(data) < 512:
        raise ValueError("short OLE header")
    sector_shift = struct.unpack_from("<H", data, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise ValueError("bad sector size")
    sector_size = 1 << sector_shift
    num_fat = struct.unpack_from("<I", data, 0x2C)[0]
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    difat = struct.unpack_from("<109I", data, 0x4C)[: min(num_fat, 109)]

    def sector(idx):
        start = (idx + 1) * sector_size
        if start + sector_size > len(data):
            raise ValueError("sector out of file")
        return data[start : start + sector_size]

    fat = []
    for fat_sector in difat:
        fat.extend(struct.unpack(f"<{sector_size // 4}I", sector(fat_sector)))
    names = []
    current, seen = first_dir, set()
    while current < 0xFFFFFFFA:
        if current in seen or current >= len(fat):
            raise ValueError("bad directory chain")
        seen.add(current)
        block = sector(current)
        for offset in range(0, sector_size, 128):
            entry = block[offset : offset + 128]
            name_len = struct.unpack_from("<H", entry, 64)[0]
            if entry[66] and 2 <= name_len <= 64:
                names.append(entry[: name_len - 2].decode("utf-16-le", "replace"))
        current = fat[current]
    return names


def _sniff_binary(head):
    for magic, label in SIGNATURES:
        if head.startswith(magic):
            return label
    return None


def _detect_zip(data, filename):
    """ "xlsx", or the label of what else the zip holds (None when corrupt)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptFileError("corrupt", filename=filename) from exc
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise UnsupportedTypeError("unsupported_type")  # .xlsb
    return "Word" if "word/document.xml" in names else "zip"


def _detect_ole(data, filename):
    """ "xls", or the label of what else the OLE2 container holds."""
    try:
        names = {name.casefold() for name in _ole_stream_names(data)}
    except (ValueError, struct.error, IndexError) as exc:
        raise CorruptFileError("corrupt", filename=filename) from exc
    if {"encryptioninfo", "encryptedpackage"} & names:
        raise EncryptedFileError("encrypted", filename=filename)
    if {"workbook", "book"} & names:
        return "xls"
    return "Word" if "worddocument" in names else "OLE"


def _detect_text(data):
    """None for plain text, else the label of what the bytes really are."""
    binary = _sniff_binary(data[:16])
    if binary:
        return binary
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "binary"
    head = data[:512].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith(tuple(p.encode() for p in HTML_PREFIXES)):
        return "HTML"
    return None


def detect_type(data, filename=""):
    """Return "xlsx", "xls" or "csv" from the content, or raise."""
    if not data:
        raise EmptyFileError("empty", filename=filename)
    ext = _extension(filename)
    if data.startswith((ZIP_MAGIC, b"PK\x05\x06")):
        real_type = _detect_zip(data, filename)
    elif data.startswith(OLE2_MAGIC):
        real_type = _detect_ole(data, filename)
    else:
        # Text content named .xls/.xlsx (or anything else) is refused.
        real_type = _detect_text(data) or ("csv" if ext in ("csv", "txt") else "text")
    if real_type in READERS:
        return real_type
    if ext in SPREADSHEET_EXTENSIONS:
        raise DisguisedFileError("disguised_type", filename=filename, real_type=real_type)
    raise UnsupportedTypeError("unsupported_type")


# ---------------------------------------------------------------------------
# Cell values
# ---------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_value(value):
    """Plain Python value of a cell: text stripped of control characters
    (kept as text, markup included), integral floats as int, dates as date."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if isinstance(value, int | datetime.date | datetime.time):
        if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
            return value.date()
        return value
    text = _CONTROL.sub("", str(value)).strip()
    return text[:MAX_CELL_CHARS] or None


@dataclass
class Table:
    """The header and data rows of the first sheet, keyed by column key."""

    file_type: str
    header: list
    columns: dict  # column key -> index in the raw row
    rows: list = field(default_factory=list)  # list of (row_number, {key: value})
    unknown_headers: list = field(default_factory=list)


# ---------------------------------------------------------------------------
# Raw row iterators (never trust declared dimensions)
# ---------------------------------------------------------------------------


_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]*)$")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _column_index(ref):
    """0-based column of a cell reference such as "XFD12" (None if no ref)."""
    match = _CELL_REF.match(ref or "")
    if not match:
        return None
    index = 0
    for char in match.group(1):
        index = index * 26 + ord(char) - 64
    return index - 1


class _CountingReader(io.RawIOBase):
    """A zip member read through a byte budget shared by the whole file."""

    def __init__(self, member, stats, budget, filename):
        self.member = member
        self.stats = stats
        self.budget = budget
        self.filename = filename

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = self.member.read(min(len(buffer), 1 << 16))
        self.stats.inflated_bytes += len(chunk)
        if self.stats.inflated_bytes > self.budget:
            raise BoundsError(
                "too_large_unpacked", filename=self.filename, max_mb=self.budget // 2**20
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _iterparse(archive, name, stats, filename):
    """Stream the XML of one part (defusedxml: no entities, no DTD)."""
    from defusedxml.ElementTree import iterparse

    member = archive.open(name)
    reader = io.BufferedReader(
        _CountingReader(member, stats, MAX_UNCOMPRESSED_BYTES, filename), 1 << 16
    )
    return iterparse(reader, events=("end",))


# An <si> start tag, with or without a namespace prefix; matched on the raw
# bytes (text cannot hold a "<", so only tags match; a CDATA section could
# only make the count larger, never smaller).
_SHARED_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")


def _count_shared_strings(archive, filename, stats):
    """Count the shared strings at C speed (a regular expression on the
    inflated bytes, not an XML event per entry): 300,000 entries cost a
    few hundred milliseconds, and counting stops at the bound."""
    reader = _CountingReader(
        archive.open("xl/sharedStrings.xml"), stats, MAX_UNCOMPRESSED_BYTES, filename
    )
    tail = b""
    buffer = bytearray(1 << 16)
    while True:
        size = reader.readinto(buffer)
        if not size:
            break
        chunk = tail + bytes(buffer[:size])
        # Keep the last bytes for the next chunk: a tag may straddle the cut.
        cut = max(len(chunk) - 64, 0)
        stats.shared_strings += len(_SHARED_STRING_TAG.findall(chunk, 0, cut))
        tail = chunk[cut:]
        if stats.shared_strings > MAX_SHARED_STRINGS:
            raise BoundsError("too_many_strings", filename=filename, limit=MAX_SHARED_STRINGS)
    stats.shared_strings += len(_SHARED_STRING_TAG.findall(tail))
    if stats.shared_strings > MAX_SHARED_STRINGS:
        raise BoundsError("too_many_strings", filename=filename, limit=MAX_SHARED_STRINGS)


def _scan_xlsx(archive, filename, stats):
    """Check the bounds of an xlsx by streaming its sheets and shared strings,
    before openpyxl builds anything: the declared sizes, the shared strings,
    and per sheet the columns, the cells and the blank rows. Stops at the
    first bound exceeded, so a hostile file costs at most that much."""
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_UNCOMPRESSED_BYTES:
        raise BoundsError(
            "too_large_unpacked", filename=filename, max_mb=MAX_UNCOMPRESSED_BYTES // 2**20
        )
    names = archive.namelist()
    if "xl/sharedStrings.xml" in names:
        _count_shared_strings(archive, filename, stats)
    sheets = [name for name in names if name.startswith("xl/worksheets/") and name.endswith(".xml")]
    for name in sheets:
        cells, row_cells, last_row = 0, 0, 0
        for _event, element in _iterparse(archive, name, stats, filename):
            if element.tag == f"{_MAIN_NS}c":
                cells += 1
                row_cells += 1
                stats.cells += 1
                column = _column_index(element.get("r"))
                if column is None:
                    column = row_cells - 1
                if column >= MAX_COLUMNS:
                    raise BoundsError(
                        "too_many_columns",
                        filename=filename,
                        limit=MAX_COLUMNS,
                        column=column + 1,
                    )
                if cells > MAX_CELLS:
                    raise BoundsError("too_many_cells", filename=filename, limit=MAX_CELLS)
            elif element.tag == f"{_MAIN_NS}row":
                stats.rows += 1
                row_cells = 0
                number = element.get("r")
                number = int(number) if number and number.isdigit() else last_row + 1
                if number - last_row > MAX_BLANK_ROWS:
                    raise BoundsError(
                        "too_many_blank_rows",
                        filename=filename,
                        limit=MAX_BLANK_ROWS,
                        row=last_row + 1,
                    )
                last_row = number
                element.clear()


def _iter_xlsx(data, filename, stats):
    # Lazy import keeps the module importable for .csv only environments.
    import openpyxl

    try:
        # No testzip(): it would inflate every part before any bound is
        # checked; a damaged part fails its CRC when it is read.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _scan_xlsx(archive, filename, stats)
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except SpreadsheetError:
        raise
    except Exception as exc:  # openpyxl and the XML parser raise many types
        raise CorruptFileError("corrupt", filename=filename) from exc
    try:
        sheet = workbook.worksheets[0]
        # The <dimension> element is whatever the writer claimed: ignore it so
        # that only real rows are produced, without padding to phantom ones.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise CorruptFileError("corrupt", filename=filename) from exc
    finally:
        workbook.close()


def _iter_xls(data, filename, stats):
    import xlrd

    try:
        # ragged_rows: a row is as long as its last cell; without it xlrd pads
        # every row to the widest one (one cell at (65535, 255) makes 16 M).
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=False, on_demand=True, ragged_rows=True
        )
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise EncryptedFileError("encrypted", filename=filename) from exc
        raise CorruptFileError("corrupt", filename=filename) from exc
    except Exception as exc:
        raise CorruptFileError("corrupt", filename=filename) from exc
    try:
        sheet = book.sheet_by_index(0)
        if sheet.ncols > MAX_COLUMNS:
            raise BoundsError(
                "too_many_columns", filename=filename, limit=MAX_COLUMNS, column=sheet.ncols
            )
        for rowx in range(sheet.nrows):
            values = []
            stats.rows += 1
            stats.cells += sheet.row_len(rowx)
            if stats.cells > MAX_CELLS:
                raise BoundsError("too_many_cells", filename=filename, limit=MAX_CELLS)
            for cell in sheet.row(rowx):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        values.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                        values.append(None)
                elif cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    values.append(None)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    values.append(bool(cell.value))
                else:
                    values.append(cell.value)
            yield values
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise CorruptFileError("corrupt", filename=filename) from exc
    finally:
        book.release_resources()


def decode_text(data, filename=""):
    """Decode CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EncodingError("encoding", filename=filename) from exc
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise EncodingError("encoding", filename=filename)


def _iter_csv(data, filename, stats):
    text = decode_text(data, filename)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            stats.rows += 1
            stats.cells += len(row)
            if len(row) > MAX_COLUMNS:
                raise BoundsError(
                    "too_many_columns", filename=filename, limit=MAX_COLUMNS, column=len(row)
                )
            if stats.cells > MAX_CELLS:
                raise BoundsError("too_many_cells", filename=filename, limit=MAX_CELLS)
            yield row
    except csv.Error as exc:
        raise CorruptFileError("corrupt", filename=filename) from exc


READERS = {"xlsx": _iter_xlsx, "xls": _iter_xls, "csv": _iter_csv}


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def _match_header(raw_row, alias_index):
    columns, unknown = {}, []
    for idx, cell in enumerate(raw_row):
        if cell is None or str(cell).strip() == "":
            continue
        key = alias_index.get(normalise_header(cell))
        if key and key not in columns:
            columns[key] = idx
        elif not key:
            unknown.append(str(cell).strip())
    return columns, unknown


def _check_row_bounds(raw, row_number, blank_since, filename):
    """Refuse a row wider than MAX_COLUMNS or the MAX_BLANK_ROWS-th blank row
    in a row; return the first row of the current run of blank rows."""
    if len(raw) > MAX_COLUMNS:
        raise BoundsError("too_many_columns", filename=filename, limit=MAX_COLUMNS, column=len(raw))
    if any(cell is not None and str(cell).strip() != "" for cell in raw):
        return None
    if blank_since is None:
        return row_number
    if row_number - blank_since >= MAX_BLANK_ROWS:
        raise BoundsError(
            "too_many_blank_rows", filename=filename, limit=MAX_BLANK_ROWS, row=blank_since
        )
    return blank_since


def read_table(
    data,
    filename,
    columns,
    required,
    row_limit=DEFAULT_ROW_LIMIT,
    max_bytes=DEFAULT_MAX_BYTES,
    stats=None,
):
    """Read the first sheet of ``data`` into a :class:`Table`.

    ``columns`` maps column keys to recognised headers (the importer's column
    map); ``required`` lists the keys that must be present.
    The header row is the first of the first rows that names a required
    column. Raises a :class:`SpreadsheetError` subclass on refusal; the
    bounds (columns, cells, shared strings, blank rows, unpacked size) are
    checked while streaming, ``stats`` (a :class:`ReadStats`) counts them.
    """
    stats = stats if stats is not None else ReadStats()
    if max_bytes and len(data) > max_bytes:
        raise FileTooLargeError("too_large", filename=filename, max_mb=max_bytes // 2**20)
    file_type = detect_type(data, filename)
    alias_index = _alias_index(columns)
    table = None
    raw_rows = READERS[file_type](data, filename, stats)
    scanned, best, blank_since = 0, {}, None
    for row_number, raw in enumerate(raw_rows, start=1):
        try:
            blank_since = _check_row_bounds(raw, row_number, blank_since, filename)
        except BoundsError:
            raw_rows.close()
            raise
        if table is None:
            scanned += 1
            found, unknown = _match_header(raw, alias_index)
            if len(found) > len(best):
                best = found
            if found and all(key in found for key in required):
                table = Table(
                    file_type=file_type,
                    header=[clean_value(cell) for cell in raw],
                    columns=found,
                    unknown_headers=unknown,
                )
            elif scanned >= HEADER_SCAN_ROWS:
                break
            continue
        values = {}
        for key, idx in table.columns.items():
            value = clean_value(raw[idx]) if idx < len(raw) else None
            if value is not None:
                values[key] = value
        if not values:
            continue  # blank line
        if len(table.rows) >= row_limit:
            raw_rows.close()
            raise TooManyRowsError("too_many_rows", limit=row_limit)
        table.rows.append((row_number, values))
    if table is None:
        if not scanned:
            raise EmptyFileError("empty", filename=filename)
        missing = [column_label(columns, key) for key in required if key not in best]
        raise MissingColumnsError("missing_columns", columns=", ".join(missing))
    if not table.rows:
        raise EmptyFileError("empty", filename=filename)
    return table


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Defuse a text cell a spreadsheet program would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_csv(header, rows):
    """CSV bytes (UTF-8 with BOM, so Excel opens Chinese text right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def export_xlsx(header, rows, sheet_title="Sheet1"):
    """xlsx bytes written in write-only mode; text cells neutralised."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([neutralise(cell) for cell in header])
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
