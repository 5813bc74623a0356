from contextlib import contextmanager

from odoo import api, models, tools
from odoo.exceptions import AccessError
from odoo.tools import SQL, frozendict

from ..tools.normalize import (
    KEY_FIELDS,
    KEYS_VERSION,
    MAX_TEXT_LENGTH,
    has_cjk,
    index_grams,
    match_keys,
    query_grams,
)
from ..tools.scoring import (
    REASON_CONTACT,
    REASON_CONTACT_HOMOPHONE,
    REASON_DOMAIN,
    REASON_EMAIL,
    REASON_HOMOPHONE,
    REASON_NAME,
    REASON_PHONE,
    REASON_SIMILAR_NAME,
    REASON_VAT,
    REASON_VAT_CONFLICT,
    score_keys,
)

# Candidates read per model and per kind of lookup: an index scan with a LIMIT
# (exact keys), a smaller one for the similar-name lookups.
CANDIDATE_LIMIT = 50
SIMILAR_CANDIDATE_LIMIT = 20
# Version of the normalisation the stored keys were computed with.
KEYS_VERSION_PARAM = "crm_match.keys_version"


class CrmMatchEngine(models.AbstractModel):
    """One matching engine for every entry point (lead creation, portal
    registration, bulk upload, trade-fair import).

    `find_matches(values)` takes res.partner-style values (name, vat, email,
    phone, mobile, website, contact_name, country_id ...), retrieves candidate
    partners, leads and deal registrations through the key indexes of
    `crm.match.mixin` (exact keys, then Chinese character pairs and pinyin
    prefixes, each with a LIMIT), scores them with `tools.scoring` and returns
    the best ones.
    """

    _name = "crm.match.engine"
    _description = "Customer Matching Engine"

    # ------------------------------------------------------------
    # PUBLIC
    # ------------------------------------------------------------
    @api.model
    def find_matches(self, values, limit=10):
        """Existing customers that may be the one described by `values`.

        :param dict values: res.partner-style values (name, vat, email, phone,
            mobile, website, contact_name, country_id)
        :param int limit: maximum number of matches returned
        :return: list of dicts {model, res_id, display_name, score, kind,
            reasons}, best first; kind is "same", "probable" or "homophone";
            reasons are translated short strings.
        """
        self._check_match_access()
        return self._find_matches_batch({0: values}, limit=limit)[0]

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    @api.model
    def _check_match_access(self):
        """Only internal users (and the server itself, in sudo) compare
        customers: portal users must not learn, over RPC, which customers
        exist and who holds them."""
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(self.env._("Only internal users may look up existing customers."))

    @api.model
    def _get_match_models(self):
        """Models compared, in the order their matches are preferred; each
        inherits crm.match.mixin. Other addons append their own (crm_distributor
        its deal registrations)."""
        return ["res.partner", "crm.lead"]

    @api.model
    def _prepare_keys(self, values):
        """Keys of res.partner-style values; every text is cut at
        MAX_TEXT_LENGTH characters (no name, e-mail or phone is longer)."""
        values = {
            key: value[:MAX_TEXT_LENGTH] if isinstance(value, str) else value
            for key, value in (values or {}).items()
        }
        if not values.get("country_code") and values.get("country_id"):
            country_id = values["country_id"]
            if isinstance(country_id, list | tuple):
                country_id = country_id[0]
            values["country_code"] = self.env["res.country"].browse(country_id).code
        return match_keys(values, region=values.get("country_code") or "CN")

    @api.model
    def _find_matches(self, values, limit=10, exclude=None):
        """`find_matches` without the access check (callers in sudo), with
        `exclude`: {model name: ids} of records not to return (the record
        being checked, its partner)."""
        return self._find_matches_batch({0: values}, limit=limit, exclude={0: exclude or {}})[0]

    @api.model
    def _find_matches_batch(self, values_by_id, limit=10, exclude=None):
        """Matches of many values at once ({id: values} -> {id: [matches]}):
        the one lookup path (`find_matches` is a batch of one).

        Each model is queried once for all the values (LATERAL joins over their
        keys, one index lookup with a LIMIT per key), the candidates are
        scored with `tools.scoring`, and the best `limit` the user may read
        are returned. `exclude`: {id: {model name: ids}} not to return.
        """
        exclude = exclude or {}
        keys_by_id = {key: self._prepare_keys(values) for key, values in values_by_id.items()}
        models_order = self._get_match_models()
        scored = {key: [] for key in keys_by_id}
        with self._without_jit(len(keys_by_id) > 1):
            for model_name in models_order:
                Model = self.env[model_name]
                if not Model.has_access("read"):
                    continue
                for key, rows in self._match_candidates_batch(Model, keys_by_id).items():
                    excluded = exclude.get(key, {}).get(model_name, ())
                    for record_id, record_keys in rows.items():
                        if record_id in excluded:
                            continue
                        result = score_keys(keys_by_id[key], record_keys)
                        if result:
                            scored[key].append((model_name, record_id, result))
        order = {name: index for index, name in enumerate(models_order)}
        for matches in scored.values():
            # best score first, then partners before leads and registrations,
            # the oldest record (the original) before its duplicates
            matches.sort(key=lambda m: (-m[2].score, order[m[0]], m[1]))
        return self._match_results_batch(scored, limit)

    @contextmanager
    def _without_jit(self, active=True):
        """PostgreSQL's JIT off for the candidate queries of a batch: their
        LIMITed lookups read a few rows each, but the planner's estimate of a
        batch of a thousand values passes jit_above_cost, and compiling the
        plan took 1 to 4 s a query (82 of the 200 s of confirming a
        10,000-row upload). Restored afterwards; a batch of one (find_matches)
        never reaches the threshold and runs no extra query."""
        if not active:
            yield
            return
        cr = self.env.cr
        cr.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        previous = cr.fetchone()[0]
        yield
        cr.execute("SELECT set_config('jit', %s, true)", [previous])

    @api.model
    def _match_results_batch(self, scored, limit):
        """{key: the best `limit` matches the user may read (access rules and
        `_get_match_domain` of each model), as result dicts} of {key: scored
        candidates, best first}. The candidates are checked by chunks, best
        first, the chunks of every key at once: usually one query per model
        for the whole batch (for a batch of one as for a thousand values)."""
        labels = self._get_reason_labels()
        chunk_size = max(limit * 2, 10)
        results = {key: [] for key in scored}
        start = 0
        pending = [key for key, matches in scored.items() if matches]
        while pending:
            chunks = {key: scored[key][start : start + chunk_size] for key in pending}
            ids_by_model = {}
            for chunk in chunks.values():
                for model_name, record_id, _result in chunk:
                    ids_by_model.setdefault(model_name, set()).add(record_id)
            allowed = {}
            for model_name, ids in ids_by_model.items():
                Model = self.env[model_name]
                records = Model.search_fetch(
                    [("id", "in", list(ids)), *Model._get_match_domain()],
                    ["display_name"],
                )
                allowed[model_name] = {record.id: record.display_name for record in records}
            start += chunk_size
            next_pending = []
            for key, chunk in chunks.items():
                found = results[key]
                for model_name, record_id, result in chunk:
                    if record_id not in allowed[model_name]:
                        continue
                    found.append(
                        {
                            "model": model_name,
                            "res_id": record_id,
                            "display_name": allowed[model_name][record_id],
                            "score": result.score,
                            "kind": result.kind,
                            "reasons": [labels[reason] for reason in result.reasons],
                            # the codes, to store: a stored text is translated on display
                            "reason_codes": list(result.reasons),
                        }
                    )
                    if len(found) >= limit:
                        break
                if len(found) < limit and len(scored[key]) > start:
                    next_pending.append(key)
            pending = next_pending
        return results

    @api.model
    def _get_reason_labels(self):
        return {
            REASON_VAT: self.env._("Same credit code"),
            REASON_EMAIL: self.env._("Same e-mail"),
            REASON_PHONE: self.env._("Same phone"),
            REASON_NAME: self.env._("Same name after normalisation"),
            REASON_HOMOPHONE: self.env._("Same pinyin, different characters"),
            REASON_SIMILAR_NAME: self.env._("Similar name"),
            REASON_DOMAIN: self.env._("Same web domain"),
            REASON_CONTACT: self.env._("Same contact person"),
            REASON_CONTACT_HOMOPHONE: self.env._("Contact name sounds the same"),
            REASON_VAT_CONFLICT: self.env._("Different credit code"),
        }

    @api.model
    def _cron_refresh_match_keys(self):
        """Recompute the stored keys of every match source when they were
        computed by an older normalisation (the keys moved by the upgrade
        from crm_distributor 18.0.1), in SQL batches with progress in the
        log; then the job stops."""
        params = self.env["ir.config_parameter"].sudo()
        version = int(params.get_param(KEYS_VERSION_PARAM) or KEYS_VERSION)
        if version < KEYS_VERSION:
            for model_name in self._get_match_models():
                self.env[model_name]._match_backfill_keys()
            params.set_param(KEYS_VERSION_PARAM, KEYS_VERSION)
        self.env.ref("crm_match.ir_cron_refresh_match_keys").active = False

    # ------------------------------------------------------------
    # CANDIDATES (SQL, index driven)
    # ------------------------------------------------------------
    @api.model
    def _match_domain_condition(self, Model):
        """SQL condition (on the model's table, unaliased) of
        `Model._get_match_domain()` and the active test, applied in the
        candidate lookups before their LIMIT; None when nothing can match.
        Access rules apply afterwards, on the few candidates
        (`_match_results_batch`)."""
        # sudo: the domain only, the access rules are applied on the results
        query = Model.sudo()._search(Model._get_match_domain())
        if query.is_empty():
            return None
        if len(query._joins) or not query.where_clause:
            if not query.where_clause:
                return SQL("TRUE")
            return SQL("%s IN (%s)", SQL.identifier(Model._table, "id"), query.subselect())
        return query.where_clause

    @api.model
    def _match_candidates_batch(self, Model, keys_by_line):
        """{line id: {record id: keys}} of the rows of Model worth scoring
        for each line (see `_match_candidates_batch_query`)."""
        query = self._match_candidates_batch_query(Model, keys_by_line)
        if query is None:
            return {}
        # the keys are read in SQL: those of records changed in this
        # transaction must be written first
        Model.flush_model(KEY_FIELDS)
        self.env.cr.execute(query)
        candidates = {}
        for line_id, record_id, *values in self.env.cr.fetchall():
            candidates.setdefault(line_id, {})[record_id] = dict(
                zip(KEY_FIELDS, values, strict=True)
            )
        return candidates

    @api.model
    def _match_candidates_batch_query(self, Model, keys_by_line):
        """SQL of (line id, record id, keys) of the rows of Model worth
        scoring for each line, or None: a UNION ALL of LATERAL lookups, each
        served by one index of crm.match.mixin and limited (never a table
        scan): the exact keys (credit code, e-mail, web domain, phones,
        name and its pinyin, or the contact when there is no company name),
        then the names holding the Chinese characters of the name (the GIN
        grams index) or starting with its first Latin letters."""
        condition = self._match_domain_condition(Model)
        if condition is None:
            return None
        exact_rows = []  # (line id, column, value)
        gram_rows, prefix_rows = [], []
        frequencies = self._get_gram_frequencies(Model._match_grams_index_name())
        for line_id, keys in keys_by_line.items():
            exact_rows.extend((line_id, column, value) for column, value in _exact_keys(keys))
            name_key = keys["match_name_key"]
            if name_key and has_cjk(name_key) and len(name_key) >= 2:
                # names containing the core name (华为 -> 深圳华为技术)
                grams = query_grams(name_key)
                gram_rows.append(
                    (line_id, " ".join(grams), " ".join(index_grams(grams, frequencies)))
                )
            elif name_key and name_key.isascii() and len(keys["match_name_pinyin"] or "") >= 5:
                # Latin names starting with the same words, in alphabetical
                # order (acme -> acmetrading)
                prefix = keys["match_name_pinyin"][:5]
                prefix_rows.append((line_id, prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)))
        table = SQL.identifier(Model._table)
        # every lookup reads the keys of the rows it finds (no second join);
        # "IS NOT NULL" lets the planner use the partial key indexes with a
        # value that comes from the outer row (LATERAL)
        columns = SQL(", ").join(
            [SQL.identifier(Model._table, "id")]
            + [SQL.identifier(Model._table, fname) for fname in KEY_FIELDS]
        )
        lookups = []
        by_column = {}
        for line_id, column, value in exact_rows:
            by_column.setdefault(column, ([], []))
            by_column[column][0].append(line_id)
            by_column[column][1].append(value)
        for column, (line_ids, values) in by_column.items():
            lookups.append(
                SQL(
                    """SELECT k.line_id, found.*
                         FROM unnest(%(ids)s::int[], %(values)s::varchar[]) AS k(line_id, value)
                         CROSS JOIN LATERAL (
                             SELECT %(columns)s FROM %(table)s
                              WHERE %(column)s = k.value AND %(column)s IS NOT NULL
                                AND %(condition)s
                              LIMIT %(limit)s) AS found""",
                    ids=line_ids,
                    values=values,
                    columns=columns,
                    table=table,
                    column=SQL.identifier(Model._table, column),
                    condition=condition,
                    limit=CANDIDATE_LIMIT,
                )
            )
        if gram_rows:
            lookups.append(
                SQL(
                    """SELECT r.line_id, found.*
                         FROM unnest(%(ids)s::int[], %(grams)s::text[], %(index_grams)s::text[])
                              AS r(line_id, grams, index_grams)
                         CROSS JOIN LATERAL (
                             SELECT %(keys)s FROM (%(indexed)s) AS s
                              WHERE s.match_ok
                                AND string_to_array(s.match_grams, ' ')
                                    @> string_to_array(r.grams, ' ')
                              LIMIT %(limit)s) AS found""",
                    indexed=self._gram_candidates_query(
                        Model, SQL("string_to_array(r.index_grams, ' ')"), condition
                    ),
                    keys=SQL(", ").join(
                        [SQL.identifier("s", "id")]
                        + [SQL.identifier("s", fname) for fname in KEY_FIELDS]
                    ),
                    limit=SIMILAR_CANDIDATE_LIMIT,
                    ids=[row[0] for row in gram_rows],
                    grams=[row[1] for row in gram_rows],
                    index_grams=[row[2] for row in gram_rows],
                )
            )
        if prefix_rows:
            # LIKE 'prefix%' as a range, which its text_pattern_ops index
            # serves with a value known only at run time.
            lookups.append(
                SQL(
                    """SELECT r.line_id, found.*
                         FROM unnest(%(ids)s::int[], %(low)s::text[], %(high)s::text[])
                              AS r(line_id, low, high)
                         CROSS JOIN LATERAL (
                             SELECT %(columns)s FROM %(table)s
                              WHERE %(column)s ~>=~ r.low AND %(column)s ~<~ r.high
                                AND %(column)s IS NOT NULL AND %(condition)s
                              LIMIT %(limit)s) AS found""",
                    columns=columns,
                    table=table,
                    column=SQL.identifier(Model._table, "match_name_pinyin"),
                    condition=condition,
                    limit=SIMILAR_CANDIDATE_LIMIT,
                    ids=[row[0] for row in prefix_rows],
                    low=[row[1] for row in prefix_rows],
                    high=[row[2] for row in prefix_rows],
                )
            )
        if not lookups:
            return None
        return SQL(
            "SELECT DISTINCT ON (hit.line_id, hit.id) hit.* FROM (%s) AS hit",
            SQL(" UNION ALL ").join(lookups),
        )

    @api.model
    def _gram_candidates_query(self, Model, grams, condition):
        """(id, keys, match_ok) of the rows holding `grams` (an SQL
        text[], a few rare grams of a name, see tools.normalize.index_grams),
        read through the GIN index; match_ok is `condition` (the match
        domain). OFFSET 0 keeps the caller's check of all the grams out of the
        index scan: PostgreSQL would otherwise add it to the index condition
        and intersect the common grams' long posting lists again."""
        return SQL(
            "SELECT %s, (%s) AS match_ok FROM %s " "WHERE string_to_array(%s, ' ') @> %s OFFSET 0",
            SQL(", ").join(
                [SQL.identifier(Model._table, "id")]
                + [SQL.identifier(Model._table, fname) for fname in KEY_FIELDS]
            ),
            condition,
            SQL.identifier(Model._table),
            SQL.identifier(Model._table, "match_grams"),
            grams,
        )

    @api.model
    @tools.ormcache("index_name")
    def _get_gram_frequencies(self, index_name):
        """{gram: share of the rows} of the most common grams, from
        PostgreSQL's statistics of the grams index `index_name` (empty before
        its table is analysed). Only the speed of the lookups depends on it,
        never their result: it is cached for the life of the registry."""
        self.env.cr.execute(
            SQL(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs "
                "FROM pg_stats WHERE schemaname = current_schema() AND tablename = %s",
                index_name,
            )
        )
        row = self.env.cr.fetchone()
        if not row or not row[0]:
            return frozendict()
        # the frequencies end with three summary figures (min, max, nulls)
        return frozendict(zip(row[0], row[1][: len(row[0])], strict=True))


def _exact_keys(keys):
    """(column, value) of the exact lookups of one record's keys: credit
    code, e-mail, web domain, phones in both phone columns, the name and its
    pinyin, or the contact person when there is no company name."""
    found = [
        (fname, keys[fname])
        for fname in ("match_vat_key", "match_email_key", "match_domain_key")
        if keys[fname]
    ]
    for phone in {keys["match_phone_key"], keys["match_mobile_key"]} - {False, None, ""}:
        found += [("match_phone_key", phone), ("match_mobile_key", phone)]
    person = not keys["match_name_key"]
    for fname in (
        ("match_contact_key", "match_contact_pinyin")
        if person
        else ("match_name_key", "match_name_pinyin")
    ):
        if keys[fname]:
            found.append((fname, keys[fname]))
    return found
