import io
import logging
import time

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index, index_exists

from ..tools.backfill import KeyWorkers
from ..tools.normalize import (
    KEY_FIELDS,
    classify_search_term,
    initials_query_gram,
    match_keys,
    query_grams,
)
from ..tools.sql_like import like_escape, like_infix, like_prefix

_logger = logging.getLogger(__name__)

# Key columns searched with LIKE 'prefix%': their btree uses text_pattern_ops so
# that the prefix search uses it whatever the database's collation.
PATTERN_KEYS = (
    "match_search_key",
    "match_name_pinyin",
    "match_pinyin_key",
    "match_initials_key",
    "match_vat_key",
    "match_phone_key",
    "match_mobile_key",
)
# Key columns searched with LIKE '%infix%' (ASCII): pg_trgm GIN index.
TRIGRAM_KEYS = ("match_pinyin_key", "match_email_key")
# Above this many rows, the backfill drops the key indexes and builds them again,
# and computes the keys in worker processes (when it is given some).
BACKFILL_REINDEX_THRESHOLD = 50000
BACKFILL_PARALLEL_THRESHOLD = 50000
# Records a search on display_name may return (list views, filters): the best
# ranked ones; each index lookup reads at most this many rows.
SEARCH_DOMAIN_LIMIT = 1000
# Candidates per index lookup when ranking a name_search (limit 8 or so).
SEARCH_RANK_CANDIDATES = 200
# A Latin term this long that matched names by prefix is not also looked up as
# a part of names.
LONG_LATIN_TERM = 10
# Characters of a long term looked up in a trigram index (see _trigram_contains).
TRIGRAM_PROBE = 8
# Longest Chinese term also looked up as an abbreviation (东电: 东方电气), and
# longest Latin term also looked up as pinyin initials anywhere in a name.
ABBREVIATION_MAX = 4
INITIALS_MAX = 8
# Ranks of a search hit, best first.
RANK_EXACT = 0
RANK_PREFIX = 1
RANK_INITIALS = 2
RANK_CONTAINS = 3
RANK_OTHER = 4


class CrmMatchMixin(models.AbstractModel):
    """Stored, indexed matching keys of a customer record.

    A model inheriting this mixin describes itself with res.partner-style
    values (`_prepare_match_values()`: name, contact_name, vat, email, phone,
    mobile, website, search_name, country_code); the keys computed from them by
    `tools.normalize.match_keys` are stored in indexed columns so that
    `crm.match.engine` and the name search find candidates through indexes.
    Models whose values come from their own columns also describe them for SQL
    (`_match_source_fields` / `_match_values_from_data`) so that a million rows
    are backfilled in batches without the ORM.
    """

    _name = "crm.match.mixin"
    _description = "Customer Matching Keys"

    match_name_key = fields.Char(
        string="Normalised Name",
        compute="_compute_match_keys",
        store=True,
        copy=False,
        prefetch="match_keys",
        help="Company name without legal form, leading place, spaces or punctuation, "
        "in simplified Chinese.",
    )
    match_name_pinyin = fields.Char(
        string="Name Pinyin",
        compute="_compute_match_keys",
        store=True,
        copy=False,
        prefetch="match_keys",
    )
    match_search_key = fields.Char(
        string="Searched Name",
        compute="_compute_match_keys",
        store=True,
        copy=False,
        prefetch="match_keys",
    )
    match_grams = fields.Char(
        string="Name Characters",
        compute="_compute_match_keys",
        store=True,
        copy=False,
        prefetch="match_keys",
    )
    match_pinyin_key = fields.Char(
        string="Pinyin",
        compute="_compute_match_keys",
        store=True,
        copy=False,
        prefetch="match_keys",
    )
    match_initials_key = fields.Char(
        string="Pinyin Initials",
        compute="_compute_match_keys",
        store=True,
        copy=False,
        prefetch="match_keys",
    )
    match_vat_key = fields.Char(
        string="Normalised Credit Code",
        compute="_compute_match_keys",
        store=True,
        copy=False,
        prefetch="match_keys",
    )
    match_email_key = fields.Char(
        string="Normalised Email",
        compute="_compute_match_keys",
        store=True,
        copy=False,
        prefetch="match_keys",
    )
    match_domain_key = fields.Char(
        string="Web Domain",
        compute="_compute_match_keys",
        store=True,
        copy=False,
        prefetch="match_keys",
    )
    match_phone_key = fields.Char(
        string="Phone (E.164)",
        compute="_compute_match_keys",
        store=True,
        copy=False,
        prefetch="match_keys",
    )
    match_mobile_key = fields.Char(
        string="Mobile (E.164)",
        compute="_compute_match_keys",
        store=True,
        copy=False,
        prefetch="match_keys",
    )
    match_contact_key = fields.Char(
        string="Normalised Contact Name",
        compute="_compute_match_keys",
        store=True,
        copy=False,
        prefetch="match_keys",
    )
    match_contact_pinyin = fields.Char(
        string="Contact Pinyin",
        compute="_compute_match_keys",
        store=True,
        copy=False,
        prefetch="match_keys",
    )

    # ------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------
    @api.model
    def _match_source_fields(self):
        """Stored fields the keys are computed from (the compute's
        dependencies and the columns the SQL backfill reads). Empty: the
        backfill goes through `_prepare_match_values()` in batches."""
        return []

    @api.model
    def _match_values_from_data(self, data):
        """res.partner-style values from {field name: value} of the source
        fields (record values or a SQL row: many2one as record or id)."""
        return {}

    def _prepare_match_values(self):
        """res.partner-style values of this record: name, contact_name, vat,
        email, phone, mobile, website, search_name, country_code."""
        self.ensure_one()
        return self._match_values_from_data(
            {fname: self[fname] for fname in self._match_source_fields()}
        )

    @api.model
    def _get_match_domain(self):
        """Records of this model that matching and search may return."""
        return []

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------
    @api.depends(lambda self: self._match_source_fields())
    def _compute_match_keys(self):
        for record in self:
            values = record._prepare_match_values()
            record.update(match_keys(values, region=values.get("country_code") or "CN"))

    # ------------------------------------------------------------
    # SCHEMA
    # ------------------------------------------------------------
    def init(self):
        super().init()
        if self._abstract or not self._auto:
            return
        self._match_create_indexes()

    @api.model
    def _match_grams_index_name(self):
        return f"{self._table}__match_grams_gin_index"

    @api.model
    def _match_index_definitions(self):
        """(index name, method, expression, where) of the key indexes."""
        table = self._table
        definitions = []
        for fname in KEY_FIELDS:
            if fname == "match_grams":
                continue
            if fname in PATTERN_KEYS:
                # equality and LIKE 'prefix%' whatever the database's collation
                name = f"{table}__{fname}_pattern_index"
                expression = f'"{fname}" text_pattern_ops'
            else:
                name = f"{table}__{fname}_index"
                expression = f'"{fname}"'
            definitions.append((name, "btree", expression, f'"{fname}" IS NOT NULL'))
        # Chinese characters and pairs: a GIN index on an array that does not
        # depend on LC_CTYPE (pg_trgm finds no trigram in CJK under ctype C).
        definitions.append(
            (
                self._match_grams_index_name(),
                "gin",
                "string_to_array(\"match_grams\", ' ')",
                "",
            )
        )
        if self.env.registry.has_trigram:
            for fname in TRIGRAM_KEYS:
                definitions.append(
                    (f"{table}__{fname}_trgm_index", "gin", f'"{fname}" gin_trgm_ops', "")
                )
        return definitions

    @api.model
    def _match_create_indexes(self):
        if not self.env.registry.has_trigram:
            _logger.warning(
                "pg_trgm is not installed in this database (CREATE EXTENSION pg_trgm needs "
                "the right to create extensions): %s pinyin, Latin and e-mail infix search "
                "falls back to prefix search.",
                self._name,
            )
        for indexname, method, expression, where in self._match_index_definitions():
            create_index(self.env.cr, indexname, self._table, [expression], method, where)
            if method == "gin":
                # No pending list: rows go straight into the index, so searches do not
                # slow down (and plans do not flip to a scan) between two VACUUMs.
                self.env.cr.execute(
                    SQL("ALTER INDEX %s SET (fastupdate = off)", SQL.identifier(indexname))
                )

    @api.model
    def _match_drop_table_indexes(self):
        """Drop the table's secondary indexes that are neither unique nor
        behind a constraint (the matching keys' are dropped apart); their
        definitions, to build them again (see _match_backfill_keys)."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT index_class.relname, pg_get_indexdef(pg_index.indexrelid)
                     FROM pg_index
                     JOIN pg_class index_class ON index_class.oid = pg_index.indexrelid
                    WHERE pg_index.indrelid = %s::regclass
                      AND NOT pg_index.indisprimary
                      AND NOT pg_index.indisunique
                      AND NOT EXISTS (
                          SELECT 1 FROM pg_constraint
                           WHERE pg_constraint.conindid = pg_index.indexrelid
                      )
                 ORDER BY index_class.relname""",
                self._table,
            )
        )
        rows = cr.fetchall()
        for name, _definition in rows:
            cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
        return [definition for _name, definition in rows]

    @api.model
    def _match_drop_indexes(self):
        for indexname, *_rest in self._match_index_definitions():
            self.env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(indexname)))

    # ------------------------------------------------------------
    # SEARCH
    # ------------------------------------------------------------
    @api.model
    def _match_search_applies(self, operator, value):
        """Whether a display-name search goes through the key indexes."""
        return operator == "ilike" and isinstance(value, str) and bool(value.strip())

    @api.model
    def _match_search_lookups(self, term, cap, contains=True, abbreviations=True):
        """SQL selects of (id, rank, length) for a customer search term, each
        served by one index of the mixin and limited to `cap` rows: characters
        (Chinese terms of any length, through the prefix btree and the grams
        GIN index), full pinyin and Latin (prefix btrees on the name's pinyin
        with and without its leading place, trigram infix), pinyin initials
        (prefix), credit code, phone (E.164 prefix) and e-mail (trigram).
        Without `contains`, only the exact and prefix lookups (the cheap ones);
        without `abbreviations`, no Chinese abbreviation lookup (the characters
        in order, anywhere: ranked after every other kind)."""
        found = classify_search_term(term)
        table = SQL.identifier(self._table)
        length = SQL("length(match_search_key)")
        lookups = []

        def lookup(rank, condition):
            lookups.append(
                SQL(
                    "(SELECT id, %s AS rank, %s AS len FROM %s WHERE %s LIMIT %s)",
                    rank,
                    length,
                    table,
                    condition,
                    cap,
                )
            )

        if found.get("vat"):
            lookup(RANK_EXACT, SQL("match_vat_key LIKE %s", like_prefix(found["vat"])))
        if found.get("phone_prefix"):
            prefix = like_prefix(found["phone_prefix"])
            lookup(
                RANK_EXACT,
                SQL("(match_phone_key LIKE %s OR match_mobile_key LIKE %s)", prefix, prefix),
            )
        if found.get("cjk"):
            text = found["cjk"]
            rank = SQL(
                "CASE WHEN match_search_key = %s THEN %s WHEN match_search_key LIKE %s "
                "THEN %s ELSE %s END",
                text,
                RANK_EXACT,
                like_prefix(text),
                RANK_PREFIX,
                RANK_CONTAINS,
            )
            lookup(rank, SQL("match_search_key LIKE %s", like_prefix(text)))
            grams = query_grams(text)
            if grams and contains:
                lookup(
                    rank,
                    SQL(
                        "string_to_array(match_grams, ' ') @> %s::text[] "
                        "AND strpos(match_search_key, %s) > 0",
                        grams,
                        text,
                    ),
                )
            if contains and abbreviations and self._match_search_abbreviates(text):
                # an abbreviation: the characters in this order, anywhere
                # (东电 -> 东方电气), through the characters' GIN index
                lookup(
                    RANK_OTHER,
                    SQL(
                        "string_to_array(match_grams, ' ') @> %s::text[] "
                        "AND match_search_key LIKE %s",
                        list(dict.fromkeys(text)),
                        "%" + "%".join(like_escape(char) for char in text) + "%",
                    ),
                )
        if found.get("text"):
            text = found["text"]
            prefix = like_prefix(text)
            rank = SQL(
                "CASE WHEN match_pinyin_key = %s OR match_name_pinyin = %s THEN %s "
                "WHEN match_pinyin_key LIKE %s OR match_name_pinyin LIKE %s THEN %s "
                "WHEN match_initials_key LIKE %s THEN %s ELSE %s END",
                text,
                text,
                RANK_EXACT,
                prefix,
                prefix,
                RANK_PREFIX,
                prefix,
                RANK_INITIALS,
                RANK_CONTAINS,
            )
            lookup(rank, SQL("match_pinyin_key LIKE %s", prefix))
            lookup(rank, SQL("match_name_pinyin LIKE %s", prefix))
            if len(text) >= 2:
                lookup(rank, SQL("match_initials_key LIKE %s", prefix))
            if contains and 2 <= len(text) <= INITIALS_MAX and text.isalpha():
                # pinyin initials anywhere in the name (hw -> 深圳华为技术),
                # through the marked initials grams of the GIN index
                lookup(
                    rank,
                    SQL(
                        "string_to_array(match_grams, ' ') @> ARRAY[%s]::text[] "
                        "AND strpos(match_initials_key, %s) > 0",
                        initials_query_gram(text),
                        text,
                    ),
                )
            if contains and len(text) >= 3 and self.env.registry.has_trigram:
                lookup(rank, _trigram_contains("match_pinyin_key", text))
        email = found.get("email")
        if email and "text" in found and len(email) > LONG_LATIN_TERM:
            # a long term without "@" is a name, not a part of an address
            email = None
        if email:
            rank = SQL("CASE WHEN match_email_key = %s THEN %s ELSE %s END", email, 0, RANK_OTHER)
            if contains and len(email) >= 3 and self.env.registry.has_trigram:
                lookup(rank, _trigram_contains("match_email_key", email))
            else:
                lookup(rank, SQL("match_email_key LIKE %s", like_prefix(email)))
        return lookups

    @api.model
    def _match_search_ranked_sql(self, term, cap, contains=True, abbreviations=True):
        """SQL of (id, rank, len) rows matching `term`, one row per record, or
        None when the term gives no indexed lookup."""
        lookups = self._match_search_lookups(
            term, cap, contains=contains, abbreviations=abbreviations
        )
        if not lookups:
            return None
        # the keys are read in SQL: those of records changed in this
        # transaction must be written first
        self.flush_model(KEY_FIELDS)
        return SQL(
            "SELECT hit.id, min(hit.rank) AS rank, min(hit.len) AS len FROM (%s) AS hit "
            "GROUP BY hit.id",
            SQL(" UNION ALL ").join(lookups),
        )

    @api.model
    def _match_display_name_domain(self, operator, value):
        """The `_search_display_name` domain through the key indexes, or None
        when the standard search applies (shared by res.partner and crm.lead)."""
        if self._match_search_applies(operator, value):
            return self._match_search_domain(value)
        return None

    @api.model
    def _match_name_search_results(self, name, domain, operator, limit):
        """The ranked `name_search` result through the key indexes, or None when
        the standard name_search applies (shared by res.partner and crm.lead)."""
        if not self._match_search_applies(operator, name):
            return None
        ids = self._match_name_search(name, domain=domain, limit=limit)
        if ids is None:
            return None
        # sudo: display names of what the search (access rules applied) returned,
        # as the standard name_search does
        return [(record.id, record.display_name) for record in self.browse(ids).sudo()]

    @api.model
    def _match_search_domain(self, term):
        """Domain of the records a search term finds through the key indexes
        (the best SEARCH_DOMAIN_LIMIT), or None (no indexed lookup: the caller
        falls back on the standard search)."""
        ranked = self._match_search_ranked_sql(term, SEARCH_DOMAIN_LIMIT)
        if ranked is None:
            return None
        return [
            (
                "id",
                "in",
                SQL(
                    "(SELECT ranked.id FROM (%s) AS ranked ORDER BY ranked.rank, ranked.len, "
                    "ranked.id LIMIT %s)",
                    ranked,
                    SEARCH_DOMAIN_LIMIT,
                ),
            )
        ]

    @api.model
    def _match_name_search_query(
        self, name, domain=None, limit=100, contains=True, abbreviations=True
    ):
        """SQL of the ranked ids for name_search: exact, then prefix, initials
        and contained matches, shorter names first; `domain` and the access
        rules apply before the limit. None when the term gives no indexed
        lookup, False when the domain cannot match."""
        cap = max(SEARCH_RANK_CANDIDATES, (limit or 0) * 4)
        ranked = self._match_search_ranked_sql(
            name, cap, contains=contains, abbreviations=abbreviations
        )
        if ranked is None:
            return None
        query = self._search(domain or [])
        if query.is_empty():
            return False
        alias = query.make_alias(self._table, "match_rank")
        query.add_join(
            "JOIN",
            alias,
            SQL("(%s)", ranked),
            SQL("%s = %s", SQL.identifier(alias, "id"), SQL.identifier(self._table, "id")),
        )
        query.order = SQL(
            "%s, %s, %s",
            SQL.identifier(alias, "rank"),
            SQL.identifier(alias, "len"),
            SQL.identifier(self._table, "id"),
        )
        query.limit = limit
        return query.select()

    @api.model
    def _match_name_search(self, name, domain=None, limit=100):
        """Ranked ids of `_match_name_search_query`, or None. The cheap exact
        and prefix lookups run first; the "contains" ones (GIN grams and
        trigrams, heavier for common terms) only when those did not fill the
        limit, and not for a long Latin term (a whole pinyin name) that the
        prefix lookups found. Chinese abbreviations (ranked after every other
        kind, and each a second scan of the characters' index) last, only when
        the rest did not fill the limit: the result is the same."""
        query = self._match_name_search_query(name, domain=domain, limit=limit, contains=False)
        if not query:
            return None if query is None else []
        ids = [row[0] for row in self.env.execute_query(query)]
        if limit and len(ids) >= limit:
            return ids
        if ids and len(name) >= LONG_LATIN_TERM and name.isascii():
            return ids
        cjk = classify_search_term(name).get("cjk")
        if limit and cjk and self._match_search_abbreviates(cjk):
            query = self._match_name_search_query(
                name, domain=domain, limit=limit, abbreviations=False
            )
            ids = [row[0] for row in self.env.execute_query(query)]
            if len(ids) >= limit:
                return ids
        query = self._match_name_search_query(name, domain=domain, limit=limit)
        return [row[0] for row in self.env.execute_query(query)]

    @api.model
    def _match_search_abbreviates(self, text):
        """Whether a Chinese term is also looked up as an abbreviation."""
        return 2 <= len(text) <= ABBREVIATION_MAX

    # ------------------------------------------------------------
    # BACKFILL
    # ------------------------------------------------------------
    @api.model
    def _match_backfill_select(self, last_id, batch_size, missing_only=False):
        """One batch of source rows, as SQL: id then the source fields."""
        columns = [SQL.identifier(self._table, "id")] + [
            SQL("%s AS %s", self._field_to_sql(self._table, fname), SQL.identifier(fname))
            for fname in self._match_source_fields()
        ]
        return SQL(
            "SELECT %s FROM %s WHERE %s > %s AND %s ORDER BY %s LIMIT %s",
            SQL(", ").join(columns),
            SQL.identifier(self._table),
            SQL.identifier(self._table, "id"),
            last_id,
            self._match_missing_condition() if missing_only else SQL("TRUE"),
            SQL.identifier(self._table, "id"),
            batch_size,
        )

    @api.model
    def _match_missing_condition(self):
        """SQL condition of the rows whose keys were never computed (every key
        column empty): the rows a backfill fills when the keys of the others
        are kept (an upgrade that moved the keys from another addon)."""
        return SQL(" AND ").join(
            SQL("%s IS NULL", SQL.identifier(self._table, fname)) for fname in KEY_FIELDS
        )

    @api.model
    def _match_backfill_keys(
        self,
        batch_size=10000,
        reindex=None,
        missing_only=False,
        processes=1,
        drop_table_indexes=False,
    ):
        """Compute the stored keys of every row in batches: SQL reads,
        plain-Python keys, COPY into a temporary table, one UPDATE.

        Used by the post-init hook (a million partners are not computed one
        by one through the ORM) and by the benchmark generator after its COPY.
        `reindex`: drop the key indexes and build them again afterwards
        (default: when the table has more than BACKFILL_REINDEX_THRESHOLD rows).
        `missing_only`: only the rows without any key (see
        `_match_missing_condition`); the others keep theirs.
        `processes`: worker processes computing the keys (plain Python, most
        of the time) while this one reads and stores batches; used above
        BACKFILL_PARALLEL_THRESHOLD rows (the install hook passes one per
        core; a running server's jobs keep 1).
        `drop_table_indexes`: with `reindex`, also drop the table's other
        secondary indexes (neither unique nor behind a constraint) during the
        UPDATE and build them again after, from their own definitions: every
        row gets a new version, and maintaining some forty indexes (trigram
        ones among them) row by row costs far more than building them once.
        For the install only: the table is locked by it anyway, and a
        rollback restores the indexes with the rest (PostgreSQL DDL is
        transactional).
        Returns the number of rows processed.
        """
        cr = self.env.cr
        self.env.flush_all()
        timer = _PhaseTimer()
        if missing_only:
            # Key columns just added (install) have no statistics: the planner
            # would take "every key IS NULL" for rare and, for each batch, scan
            # and sort the whole table instead of walking the primary key
            # (100 s of a million-partner install).
            timer.start("analyze")
            cr.execute(
                SQL(
                    "ANALYZE %s (%s)",
                    SQL.identifier(self._table),
                    SQL(", ").join(SQL.identifier(fname) for fname in KEY_FIELDS),
                )
            )
            timer.stop()
        cr.execute(
            SQL(
                "SELECT count(*) FROM %s WHERE %s",
                SQL.identifier(self._table),
                self._match_missing_condition() if missing_only else SQL("TRUE"),
            )
        )
        total = cr.fetchone()[0]
        if reindex is None:
            reindex = total > BACKFILL_REINDEX_THRESHOLD
        temp = SQL.identifier(f"{self._table}_match_keys_tmp")
        cr.execute(SQL("DROP TABLE IF EXISTS %s", temp))
        cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE %s (id integer PRIMARY KEY, %s)",
                temp,
                SQL(", ").join(SQL("%s varchar", SQL.identifier(fname)) for fname in KEY_FIELDS),
            )
        )
        use_sql = bool(self._match_source_fields())
        count = 0
        last_id = 0
        workers = KeyWorkers(processes if total > BACKFILL_PARALLEL_THRESHOLD else 1)

        def store(texts):
            timer.start("copy")
            for text in texts:
                cr.copy_from(
                    io.StringIO(text), f"{self._table}_match_keys_tmp", columns=("id", *KEY_FIELDS)
                )

        try:
            while True:
                timer.start("read")
                if use_sql:
                    cr.execute(self._match_backfill_select(last_id, batch_size, missing_only))
                    rows = cr.dictfetchall()
                    values_list = [(row["id"], self._match_values_from_data(row)) for row in rows]
                else:
                    domain = [("id", ">", last_id)]
                    if missing_only:
                        domain += [(fname, "=", False) for fname in KEY_FIELDS]
                    records = self.with_context(active_test=False).search(
                        domain, order="id", limit=batch_size
                    )
                    values_list = [
                        (record.id, record._prepare_match_values()) for record in records
                    ]
                    self.env.invalidate_all()
                if not values_list:
                    break
                count += len(values_list)
                last_id = values_list[-1][0]
                timer.start("keys")
                store(workers.submit(values_list))
                timer.stop()
                _logger.info(
                    "%s: matching keys computed for %s of %s rows (%.0f rows/s)",
                    self._name,
                    count,
                    total,
                    count / max(timer.elapsed(), 0.001),
                )
            timer.start("keys")
            store(workers.finish())
        finally:
            workers.close()
        timer.start("drop indexes")
        table_indexes = []
        if reindex:
            self._match_drop_indexes()
            if drop_table_indexes:
                table_indexes = self._match_drop_table_indexes()
        timer.start("update")
        cr.execute(
            SQL(
                "UPDATE %s AS t SET %s FROM %s AS k WHERE t.id = k.id",
                SQL.identifier(self._table),
                SQL(", ").join(
                    SQL("%s = k.%s", SQL.identifier(fname), SQL.identifier(fname))
                    for fname in KEY_FIELDS
                ),
                temp,
            )
        )
        cr.execute(SQL("DROP TABLE %s", temp))
        timer.start("indexes")
        # a larger sort memory builds the GIN and trigram indexes much faster
        if table_indexes:
            cr.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for definition in table_indexes:
                # a definition read from pg_get_indexdef() above, not built from input
                cr.execute(SQL(definition.replace("%", "%%")))
        if reindex or not all(
            index_exists(cr, name) for name, *_rest in self._match_index_definitions()
        ):
            cr.execute("SET LOCAL maintenance_work_mem = '256MB'")
            self._match_create_indexes()
        timer.start("analyze")
        cr.execute(SQL("ANALYZE %s", SQL.identifier(self._table)))
        timer.stop()
        self.invalidate_model(list(KEY_FIELDS))
        _logger.info(
            "%s: matching keys of %s rows stored in %.1f s (%s)",
            self._name,
            count,
            timer.elapsed(),
            timer.summary(),
        )
        return count


def _trigram_contains(fname, text):
    """`fname` contains `text`, through its pg_trgm index. A long term (a whole
    pinyin name) would make the index merge the posting lists of all its
    trigrams, common ones included: the index looks for its first
    TRIGRAM_PROBE characters only and the full term is checked on the rows."""
    column = SQL.identifier(fname)
    if len(text) <= TRIGRAM_PROBE:
        return SQL("%s LIKE %s", column, like_infix(text))
    return SQL(
        "%s LIKE %s AND strpos(%s, %s) > 0",
        column,
        like_infix(text[:TRIGRAM_PROBE]),
        column,
        text,
    )


class _PhaseTimer:
    """Seconds spent in each phase of a backfill, for its log."""

    def __init__(self):
        self.phases = {}
        self.current = None
        self.since = None

    def start(self, phase):
        self.stop()
        self.current, self.since = phase, time.perf_counter()

    def stop(self):
        if self.current:
            self.phases[self.current] = (
                self.phases.get(self.current, 0.0) + time.perf_counter() - self.since
            )
        self.current = None

    def elapsed(self):
        return sum(self.phases.values())

    def summary(self):
        return ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in self.phases.items())
