"""Merge a freshly exported .pot into a .po, keeping existing translations.

Usage: po_merge.py ADDON.pot zh_CN.po [OTHER.po ...]
A term not yet translated takes, in this order, the translation it has in the
OTHER .po files given (e.g. the two sides of a merge), then the one Odoo's own
addons ship for the very same text (field labels inherited from mail.thread and
the like). Prints the terms still untranslated so that nobody forgets them.
"""

import os
import sys
from pathlib import Path

import polib

ODOO_I18N_ADDONS = (
    "base",
    "mail",
    "portal",
    "product",
    "crm",
    "sales_team",
    "utm",
    "sale",
    "sale_crm",
    "sale_stock",
    "sale_margin",
    "stock",
    "account",
    "analytic",
    "uom",
)


def _odoo_translations(lang="zh_CN"):
    odoo = Path(os.environ.get("ODOO_PATH", "/opt/odoo"))
    found = {}
    for addon in ODOO_I18N_ADDONS:
        for root in (odoo / "addons", odoo / "odoo" / "addons"):
            po_path = root / addon / "i18n" / f"{lang}.po"
            if po_path.exists():
                for entry in polib.pofile(str(po_path)):
                    if entry.msgstr and "fuzzy" not in entry.flags:
                        found.setdefault(entry.msgid, entry.msgstr)
    return found


def merge(pot_path, po_path, *others):
    pot = polib.pofile(pot_path)
    old = polib.pofile(po_path) if Path(po_path).exists() else polib.POFile()
    translations = {(e.msgctxt, e.msgid): e.msgstr for e in old if e.msgstr}
    plain = {e.msgid: e.msgstr for e in old if e.msgstr}
    for other in others:
        for entry in polib.pofile(other):
            if entry.msgstr:
                translations.setdefault((entry.msgctxt, entry.msgid), entry.msgstr)
                plain.setdefault(entry.msgid, entry.msgstr)
    for msgid, msgstr in _odoo_translations().items():
        plain.setdefault(msgid, msgstr)
    po = polib.POFile(wrapwidth=78)
    po.header = pot.header
    po.metadata = dict(pot.metadata)
    po.metadata.update(
        {
            "Language": "zh_CN",
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
    missing = []
    for entry in pot:
        new = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgstr=translations.get((entry.msgctxt, entry.msgid)) or plain.get(entry.msgid, ""),
            occurrences=entry.occurrences,
            comment=entry.comment,
            tcomment=entry.tcomment,
            flags=entry.flags,
        )
        if not new.msgstr:
            missing.append(entry.msgid)
        po.append(new)
    po.save(po_path)
    return missing


if __name__ == "__main__":
    missing = merge(sys.argv[1], sys.argv[2], *sys.argv[3:])
    name = Path(sys.argv[2]).parent.parent.name
    if missing:
        sys.stdout.write(f"{name}: {len(missing)} terms to translate in zh_CN.po\n")
        for msgid in missing:
            sys.stdout.write(f"  {msgid!r}\n")
