"""Summarise a locust --csv run of `make load`: each request of the suite beside the
stock-Odoo baseline of the same run; exit 1 unless every suite request has
p95 <= LOAD_P95_MS (300) and no request at all failed.

Usage: python report.py <csv prefix>   (reads <prefix>_stats.csv)
"""

import csv
import os
import sys


def read_rows(prefix):
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"]


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
    sys.stdout.write(text + "\n")
    if failed:
        sys.stdout.write(f"FAILED: {', '.join(failed)}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
