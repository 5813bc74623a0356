"""Fill untranslated entries of a .po from a JSON {msgid: msgstr} file.

Usage: po_fill.py zh_CN.po terms.json
"""

import json
import sys

import polib

po_path = sys.argv[1]
tr = json.load(open(sys.argv[2]))
po = polib.pofile(po_path)
for e in po:
    if not e.msgstr and e.msgid in tr:
        e.msgstr = tr[e.msgid]
po.save()
print("left:", [e.msgid for e in po if not e.msgstr])
