"""Measuring helpers shared by every benchmark module of ``tests/bench/``.

A benchmark module ``bench_<topic>.py`` exposes ``collect(env) -> list[Row]``.
It measures our figure *and* the stock-Odoo baseline itself, in the same run,
on the same data, with :func:`measure` and :func:`count_queries`, and returns
one :class:`Row` per figure. ``runner.py`` prints them with :func:`print_table`.

Plain Python on purpose: no Odoo import here, so the helpers can be unit
tested without a database (``tests/test_bench_harness.py``).
"""

import math
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

__all__ = [
    "Row",
    "Timing",
    "count_queries",
    "format_table",
    "measure",
    "percentile",
    "print_table",
]


@dataclass(frozen=True)
class Timing:
    """Wall-clock timings of repeated runs, in milliseconds."""

    p50: float
    p95: float
    mean: float
    runs: int = 0


@dataclass
class Row:
    """One line of the benchmark table.

    - ``ours``: our figure; ``baseline``: the stock-Odoo figure measured in the
      same run on the same data (``None`` when stock Odoo has no equivalent,
      say why in ``note``).
    - ``unit``: ``"ms"``, ``"queries"``, ``"rows/s"``, ...
    - ``target``: what "good" means, one of
        * ``None``: informative row, no verdict;
        * a number: a bound on ``ours`` in ``unit`` (an upper bound, or a lower
          bound when ``higher_is_better``);
        * a string ``"x1.5"``: a bound on the ratio ``ours / baseline``
          (at most 1.5, or at least 1.5 when ``higher_is_better``).
    - ``higher_is_better``: ``True`` for throughputs and hit rates.
    """

    name: str
    ours: float | None
    baseline: float | None
    unit: str
    target: float | str | None
    note: str = ""
    higher_is_better: bool = False

    @property
    def ratio(self):
        """``ours / baseline``, or ``None`` when it has no meaning."""
        if self.ours is None or self.baseline in (None, 0):
            return None
        return self.ours / self.baseline

    @property
    def verdict(self):
        """``"PASS"``, ``"FAIL"`` or ``"-"`` (no target or nothing to judge)."""
        if self.target is None or self.ours is None:
            return "-"
        if isinstance(self.target, str):
            if not self.target.startswith("x"):
                raise ValueError(f"ratio target must look like 'x1.5', got {self.target!r}")
            bound = float(self.target[1:])
            value = self.ratio
            if value is None:
                return "-"
        else:
            bound = float(self.target)
            value = self.ours
        ok = value >= bound if self.higher_is_better else value <= bound
        return "PASS" if ok else "FAIL"

    def as_dict(self):
        data = asdict(self)
        data.update(ratio=self.ratio, verdict=self.verdict)
        return data


def percentile(values, fraction):
    """Percentile with linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of an empty list")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(fn: Callable[[], object], repeat=7, warmup=1, setup: Callable | None = None):
    """Run ``fn`` ``warmup`` times unmeasured, then ``repeat`` times measured.

    ``setup`` (for example ``env.invalidate_all``) runs before every call and
    is not measured: use it to start each run from a cold ORM cache.
    Returns a :class:`Timing` in milliseconds.
    """
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    for _i in range(warmup):
        if setup:
            setup()
        fn()
    durations = []
    for _i in range(repeat):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        durations.append((time.perf_counter() - start) * 1000.0)
    return Timing(
        p50=percentile(durations, 0.50),
        p95=percentile(durations, 0.95),
        mean=statistics.fmean(durations),
        runs=repeat,
    )


def count_queries(env, fn: Callable[[], object], invalidate=True):
    """Number of SQL queries ``fn`` sends, pending ORM writes flushed included.

    With ``invalidate`` the ORM cache is emptied first, so the count is the one
    of a fresh request, not of a warm cache.
    """
    env.flush_all()
    if invalidate:
        env.invalidate_all()
    start = env.cr.sql_log_count
    fn()
    env.flush_all()
    return env.cr.sql_log_count - start


def _fmt(value, unit=""):
    if value is None:
        return "n/a"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    else:
        text = f"{int(value):,}"
    return f"{text} {unit}".strip()


def _fmt_target(row):
    if row.target is None:
        return "-"
    sign = ">=" if row.higher_is_better else "<="
    if isinstance(row.target, str):
        return f"ratio {sign} {row.target[1:]}"
    return f"{sign} {_fmt(float(row.target), row.unit)}"


HEADERS = ("benchmark", "ours", "stock Odoo baseline", "ratio", "target", "verdict")


def format_table(rows: Iterable[Row]):
    """The table as text: one line per row, then the notes."""
    rows = list(rows)
    cells = [HEADERS]
    for row in rows:
        ratio = row.ratio
        cells.append(
            (
                row.name,
                _fmt(row.ours, row.unit),
                _fmt(row.baseline, row.unit),
                "n/a" if ratio is None else f"x{ratio:.2f}",
                _fmt_target(row),
                row.verdict,
            )
        )
    widths = [max(len(str(line[i])) for line in cells) for i in range(len(HEADERS))]
    lines = []
    for index, line in enumerate(cells):
        lines.append(
            " | ".join(
                str(cell).ljust(width) if col == 0 else str(cell).rjust(width)
                for col, (cell, width) in enumerate(zip(line, widths, strict=True))
            )
        )
        if index == 0:
            lines.append("-+-".join("-" * width for width in widths))
    notes = [f"  [{row.name}] {row.note}" for row in rows if row.note]
    if notes:
        lines.append("")
        lines.append("notes:")
        lines.extend(notes)
    return "\n".join(lines) + "\n"


def print_table(rows: Iterable[Row], stream=None):
    """Write :func:`format_table` to ``stream`` (standard output by default)."""
    (stream or sys.stdout).write(format_table(rows))
