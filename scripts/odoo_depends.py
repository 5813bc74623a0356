"""Print, comma-separated, the Odoo modules the given suite addons depend on.

Suite addons (directories of the repository with a manifest) are followed through;
the result holds only modules outside the repository, so a database with them
loads the same Odoo code as one with the suite, minus the suite.
Usage: odoo_depends.py REPO ADDON [ADDON ...]
"""

import ast
import sys
from pathlib import Path


def odoo_depends(repo, addons):
    seen, todo, odoo = set(), list(addons), set()
    while todo:
        addon = todo.pop()
        if addon in seen:
            continue
        seen.add(addon)
        manifest = Path(repo) / addon / "__manifest__.py"
        if not manifest.is_file():
            odoo.add(addon)
            continue
        todo.extend(ast.literal_eval(manifest.read_text()).get("depends", []))
    return sorted(odoo)


if __name__ == "__main__":
    sys.stdout.write(",".join(odoo_depends(sys.argv[1], sys.argv[2:])) + "\n")
