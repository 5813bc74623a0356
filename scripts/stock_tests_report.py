"""Compare the failures of an Odoo test log with the declared known failures.

Usage: stock_tests_report.py LOG KNOWN_FILE [--baseline] --modules M [M ...]

KNOWN_FILE lists one test a line, `<module>.tests.<file>.<Class>.<method>  # reason`;
the reason is mandatory (a failure is never silently skipped). Exit 1 when a test
fails that is not listed, when a listed test of the modules run passes again (the
list must not go stale), or when Odoo reports failures this script cannot name.
With --baseline (stock Odoo, no suite) it only prints what failed.
"""

import argparse
import re
import sys
from pathlib import Path

FAIL_LINE = re.compile(
    r" ERROR \S+ (?P<logger>odoo\.[\w.]+): (?P<flavour>FAIL|ERROR): (?P<what>.+)$"
)
SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
STATS = re.compile(r" odoo\.tests\.stats: (?P<module>\w+): (?P<count>\d+) tests (?P<time>[\d.]+)s")
SUBTEST = re.compile(r"^Subtest (?P<name>\S+?)(?: \(.*)?$")
CLASS_LEVEL = re.compile(r"^(?P<hook>setUpClass|tearDownClass) \(odoo\.addons\.(?P<path>[\w.]+)\)")


def test_id(logger, what):
    """`sale_crm.tests.test_sale_crm.TestSaleCrm.test_x` from a FAIL/ERROR log line."""
    what = what.strip()
    match = CLASS_LEVEL.match(what)
    if match:
        return f"{match['path']}.{match['hook']}"
    match = SUBTEST.match(what)
    if match:
        what = match["name"]
    return f"{logger.removeprefix('odoo.addons.')}.{what}"


def parse_log(text):
    failures, stats, summary = {}, {}, None
    for line in text.splitlines():
        match = FAIL_LINE.search(line)
        if match and (".tests" in match["logger"] or CLASS_LEVEL.match(match["what"])):
            failures.setdefault(test_id(match["logger"], match["what"]), match["flavour"])
            continue
        match = STATS.search(line)
        if match:
            # Odoo prints the module's totals; the last line counts
            stats[match["module"]] = (int(match["count"]), float(match["time"]))
            continue
        match = SUMMARY.search(line)
        if match:
            summary = tuple(int(group) for group in match.groups())
    return failures, stats, summary


def parse_known(text):
    known = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, _sep, reason = line.partition("#")
        if not reason.strip():
            raise ValueError(f"line {number}: {name.strip()} has no reason (`test.id  # reason`)")
        known[name.strip()] = reason.strip()
    return known


def compare(failures, known, modules, summary):
    """Return the list of problems (empty: the run is green)."""
    problems = []
    for name in sorted(set(failures) - set(known)):
        problems.append(f"NEW FAILURE (not on the known list): {name}")
    for name in sorted(set(known) - set(failures)):
        if name.split(".", 1)[0] in modules:
            problems.append(f"PASSES NOW, remove it from the known list: {name}")
    if summary is None:
        problems.append("Odoo printed no test summary: the run did not finish (see the log)")
    elif (summary[0] or summary[1]) and not failures:
        problems.append(f"Odoo reports {summary[0]} failed, {summary[1]} errors but none was named")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("known")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--modules", nargs="+", required=True)
    args = parser.parse_args(argv)
    failures, stats, summary = parse_log(Path(args.log).read_text(errors="replace"))
    for module, (count, time) in sorted(stats.items()):
        if module in args.modules:
            print(f"  {module:<12} {count:>5} tests {time:>8.1f} s")
    if summary:
        print(f"  Odoo: {summary[0]} failed, {summary[1]} error(s) of {summary[2]} tests")
    for name, flavour in sorted(failures.items()):
        print(f"  {flavour}: {name}")
    if args.baseline:
        return 0
    known_path = Path(args.known)
    known = parse_known(known_path.read_text()) if known_path.is_file() else {}
    problems = compare(failures, known, set(args.modules), summary)
    for name in sorted(set(failures) & set(known)):
        print(f"  known failure: {name}  ({known[name]})")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
