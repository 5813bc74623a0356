"""Run the benchmark modules of ``tests/bench/`` against the bench database.

    python tests/bench/runner.py -c odoo.conf -d crm_suite_bench [bench_topic ...]

Opens the database with Odoo's registry, imports every ``bench_*.py`` module
of this folder (or only those named), calls its ``collect(env)`` inside a
transaction that is rolled back afterwards, and prints one table:
benchmark | ours | stock Odoo baseline | ratio | target | verdict.
The rows are also written as JSON to ``tests/bench/results/`` (git-ignored).

Exit status: 0 when every row with a target passes, 1 when one fails, 2 when
a module raised (its error is printed and the other modules still run).
"""

import argparse
import importlib
import json
import logging
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.bench.harness import Row, print_table  # noqa: E402

_logger = logging.getLogger("crm_bench.runner")


def discover(names=None):
    """Module names ``tests.bench.bench_*`` to run, sorted; ``names`` filters them."""
    available = sorted(path.stem for path in BENCH_DIR.glob("bench_*.py"))
    if not names:
        return available
    wanted = [name if name.startswith("bench_") else f"bench_{name}" for name in names]
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise SystemExit(
            f"unknown benchmark module(s): {', '.join(unknown)}; "
            f"available: {', '.join(available) or 'none'}"
        )
    return wanted


def open_registry(config_file, database):
    """Odoo's registry of ``database``, configured from ``config_file``."""
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    args = ["-d", database, "--log-level=warn"]
    if config_file:
        args = ["-c", str(config_file), *args]
    config.parse_config(args, setup_logging=True)
    odoo.service.server.load_server_wide_modules()
    return Registry(database)


def run_module(registry, module_name):
    """``collect(env)`` of one module in a rolled-back transaction; its rows and duration."""
    from odoo import SUPERUSER_ID, api

    module = importlib.import_module(f"tests.bench.{module_name}")
    collect = getattr(module, "collect", None)
    if collect is None:
        raise TypeError(f"{module_name} has no collect(env) function")
    start = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US", "tz": "UTC"})
        try:
            rows = list(collect(env))
        finally:
            # Benchmarks never leave data behind: undo whatever they wrote.
            env.invalidate_all()
            cr.rollback()
    # what a rolled-back rewrite leaves (dead row versions: autovacuum may be
    # off) is cleared before the next module measures anything
    after_rollback = getattr(module, "after_rollback", None)
    if after_rollback is not None:
        after_rollback(registry)
    for row in rows:
        if not isinstance(row, Row):
            raise TypeError(f"{module_name}.collect() returned {row!r}, not a Row")
    return rows, time.perf_counter() - start


def write_results(rows, database, results_dir):
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = results_dir / f"bench-{stamp}.json"
    payload = {"database": database, "at": stamp, "rows": [row.as_dict() for row in rows]}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False))
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", help="Odoo configuration file")
    parser.add_argument("-d", "--database", default="crm_suite_bench")
    parser.add_argument("--results", default=str(BENCH_DIR / "results"))
    parser.add_argument("modules", nargs="*", help="bench_<topic> modules (default: all)")
    args = parser.parse_args(argv)

    names = discover(args.modules)
    if not names:
        sys.stderr.write("no tests/bench/bench_*.py module found\n")
        return 2
    registry = open_registry(args.config, args.database)
    all_rows, status = [], 0
    for name in names:
        sys.stderr.write(f"[bench] {name} ...\n")
        try:
            rows, seconds = run_module(registry, name)
        except Exception:  # one broken module must not hide the others' figures
            sys.stderr.write(traceback.format_exc())
            all_rows.append(Row(f"{name}: ERROR", None, None, "", None, note="see the traceback"))
            status = 2
            continue
        sys.stderr.write(f"[bench] {name}: {len(rows)} row(s) in {seconds:.1f} s\n")
        all_rows.extend(rows)

    sys.stdout.write(f"\nBenchmarks on database {args.database}\n\n")
    print_table(all_rows)
    path = write_results(all_rows, args.database, Path(args.results))
    sys.stdout.write(f"\n(results saved to {path.relative_to(REPO_ROOT)})\n")
    if status == 0 and any(row.verdict == "FAIL" for row in all_rows):
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
