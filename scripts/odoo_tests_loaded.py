"""odoo-bin, except that the at_install tests run after loading like the post_install
ones: with every installed module loaded (the suite included) instead of while their
own module is installed or updated, where the suite's code is not loaded yet.

Used by scripts/stock_tests.sh: `odoo_tests_loaded.py -d DB --test-enable --test-tags
/crm,... --stop-after-init` runs the standard tests of those modules, at_install and
post_install, against the database as it is, without -i or -u.
"""

import sys

import odoo
from odoo import tools
from odoo.tests import loader
from odoo.tests.suite import OdooSuite
from odoo.tests.tag_selector import TagsSelector


def make_suite(module_names, position="at_install"):
    if position == "at_install":
        return OdooSuite([])
    config_tags = TagsSelector(tools.config["test_tags"])
    positions = TagsSelector("at_install,post_install")
    tests = (
        test
        for module_name in module_names
        for module in loader.get_test_modules(module_name)
        for test in loader.get_module_test_cases(module)
        if positions.check(test) and config_tags.check(test)
    )
    return OdooSuite(sorted(tests, key=lambda test: test.test_sequence))


if __name__ == "__main__":
    loader.make_suite = make_suite
    sys.argv[0] = "odoo-bin"
    odoo.cli.main()
