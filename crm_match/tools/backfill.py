"""Matching keys of many rows as PostgreSQL COPY text (no Odoo import), in
this process or in worker processes.

The key computation is plain Python and takes most of a backfill's time
(see crm.match.mixin._match_backfill_keys): on a large table it runs in
worker processes, one per core, while the database reads the next batch and
stores the previous one.
"""

import multiprocessing

from .normalize import KEY_FIELDS, match_keys
from .sql_like import copy_value


def copy_lines(rows):
    """COPY text (id then the keys, tab separated) of [(id, values)]."""
    lines = []
    for record_id, values in rows:
        keys = match_keys(values, region=values.get("country_code") or "CN")
        lines.append(
            "\t".join([str(record_id)] + [copy_value(keys[fname]) for fname in KEY_FIELDS])
        )
    lines.append("")
    return "\n".join(lines)


class KeyWorkers:
    """Computes `copy_lines` of batches in `processes` forked workers (or
    here when processes <= 1), keeping at most `processes` + 1 batches in
    flight: `submit(rows)` returns the COPY text of earlier batches that are
    done, in order; `finish()` the rest. The workers never touch the
    database: the caller reads and writes, in its own thread."""

    def __init__(self, processes):
        self.pool = None
        if processes > 1:
            self.pool = multiprocessing.get_context("fork").Pool(processes)
        self.depth = max(processes, 1) + 1
        self.pending = []

    def submit(self, rows):
        if self.pool is None:
            return [copy_lines(rows)]
        self.pending.append(self.pool.apply_async(copy_lines, (rows,)))
        done = []
        while len(self.pending) >= self.depth or (self.pending and self.pending[0].ready()):
            done.append(self.pending.pop(0).get())
        return done

    def finish(self):
        done = [result.get() for result in self.pending]
        self.pending = []
        return done

    def close(self):
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None
