"""The suite's own layout rules, checked on the files of the repository."""

import ast
import re
from pathlib import Path

import polib
import pytest

REPO = Path(__file__).resolve().parent.parent
# every addon of the repository, so a new addon follows the same rules
ADDONS = tuple(sorted(manifest.parent.name for manifest in REPO.glob("*/__manifest__.py")))


def _manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text())


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_conventions(addon):
    manifest = _manifest(addon)
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest["version"])
    assert manifest["license"] == "LGPL-3"
    assert manifest["installable"]
    assert "description" not in manifest, "use readme/DESCRIPTION.md"
    data = manifest["data"]
    assert data[0].startswith("security/"), "security files load first"
    for path in data + manifest.get("demo", []):
        assert (REPO / addon / path).is_file(), f"{addon}: {path} is listed but missing"
    assert (REPO / addon / "readme" / "DESCRIPTION.md").is_file()


@pytest.mark.parametrize("addon", ADDONS)
def test_translations_cover_template(addon):
    pot = polib.pofile(str(REPO / addon / "i18n" / f"{addon}.pot"))
    po = polib.pofile(str(REPO / addon / "i18n" / "zh_CN.po"))
    translated = {entry.msgid for entry in po if entry.msgstr and not entry.obsolete}
    missing = [entry.msgid for entry in pot if entry.msgid and entry.msgid not in translated]
    assert not missing, f"{addon}: {len(missing)} terms without a zh_CN translation: {missing[:10]}"


@pytest.mark.parametrize("addon", ADDONS)
def test_no_odoo_code_in_repo(addon):
    assert not (REPO / "odoo-bin").exists()
    assert not (REPO / "odoo" / "release.py").exists()
