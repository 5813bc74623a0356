"""Summarise a locust --csv run of `make load`: each request of the suite beside the
stock-Odoo baseline of the same run; exit 1 unless every suite request has
p95 <= LOAD_P95_MS (300) and no request at all failed.

The pages are those measured once every user had logged in (the locustfile resets
the statistics then); the logins are summarised apart from <prefix>_logins.csv and
fail the run only if one failed.

Usage: python report.py <csv prefix>   (reads <prefix>_stats.csv and <prefix>_logins.csv)
"""

import csv
import os
import sys


def read_rows(prefix):
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        # a name without a request in the measured window (the logins, reset with the
        # statistics) has "N/A" percentiles: left out
        return [
            row
            for row in csv.DictReader(handle)
            if row["Name"] != "Aggregated" and int(row["Request Count"])
        ]


def read_logins(prefix):
    """``(milliseconds, error)`` of every login, or None when the file is missing."""
    try:
        with open(f"{prefix}_logins.csv", newline="", encoding="utf-8") as handle:
            return [(float(row["ms"]), row["error"]) for row in csv.DictReader(handle)]
    except FileNotFoundError:
        return None


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def summarise_logins(logins):
    """One line on the logins (before the measured window), and whether one failed."""
    if logins is None:
        return "logins: no record (<prefix>_logins.csv missing)", True
    times = [milliseconds for milliseconds, _error in logins]
    errors = [error for _milliseconds, error in logins if error]
    line = (
        f"logins before the measured window: {len(logins)}, {len(errors)} failed, "
        f"p50 {percentile(times, 0.5):.0f} ms, p95 {percentile(times, 0.95):.0f} ms"
    )
    return line, bool(errors) or not logins


def summarise(rows, limit_ms):
    lines, failed = [], []
    header = (
        f"{'request':<48} {'count':>6} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>6}"
        "  verdict"
    )
    lines.append(header)
    lines.append("-" * len(header))
    for row in sorted(rows, key=lambda row: (not row["Name"].startswith("suite:"), row["Name"])):
        count, failures = int(row["Request Count"]), int(row["Failure Count"])
        p95 = float(row["95%"] or 0)
        if row["Name"].startswith("suite:"):
            verdict = "PASS" if p95 <= limit_ms and not failures else "FAIL"
        else:
            verdict = "baseline" if row["Name"].startswith("stock:") else "-"
            if failures:
                verdict = "FAIL"
        if verdict == "FAIL":
            failed.append(row["Name"])
        lines.append(
            f"{row['Name'][:48]:<48} {count:>6} {failures:>5} {float(row['50%'] or 0):>7.0f} "
            f"{p95:>7.0f} {float(row['Requests/s'] or 0):>6.1f}  {verdict}"
        )
    lines.append(f"target: suite p95 <= {limit_ms:.0f} ms, 0 errors anywhere")
    return "\n".join(lines), failed


def main(argv):
    limit = float(os.environ.get("LOAD_P95_MS", "300"))
    text, failed = summarise(read_rows(argv[1]), limit)
    login_line, login_failed = summarise_logins(read_logins(argv[1]))
    if login_failed:
        failed.append("logins")
    sys.stdout.write(text + "\n" + login_line + "\n")
    if failed:
        sys.stdout.write(f"FAILED: {', '.join(failed)}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
