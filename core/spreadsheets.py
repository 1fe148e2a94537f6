"""A minimal XLSX writer: one sheet of text and numbers, no dependency.

Enough for exports people open in a spreadsheet program or upload to another system: a header
row and data rows. Strings are inline (no shared-strings table), numbers are written as numbers,
dates as ISO text (what upload templates usually ask for), and every cell's text is XML-escaped.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
# Characters XML 1.0 cannot carry at all; dropped rather than making an unreadable file.
_ILLEGAL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])


def _workbook(sheet_name: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{escape(sheet_name[:31], {chr(34): "&quot;"})}" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>')


def column_name(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def _cell(ref: str, value) -> str:
    if isinstance(value, bool) or value is None:
        value = "" if value is None else ("Yes" if value else "No")
    if isinstance(value, int | Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, datetime.date):
        value = value.isoformat()
    text = escape(str(value).translate(_ILLEGAL))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet(rows: Iterable[Sequence]) -> str:
    lines = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{column_name(i)}{number}", v) for i, v in enumerate(row))
        lines.append(f'<row r="{number}">{cells}</row>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{"".join(lines)}</sheetData></worksheet>')


def xlsx_bytes(rows: Iterable[Sequence], *, sheet_name: str = "Sheet1") -> bytes:
    """The rows (the first is the header) as an XLSX workbook with one sheet."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook(sheet_name))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", _sheet(rows))
    return buffer.getvalue()
