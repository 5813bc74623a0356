from odoo import api, models, tools
from odoo.tools import SQL, frozendict

from ..tools.normalize import KEY_FIELDS, has_cjk, index_grams, match_keys, query_grams
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
from ..tools.sql_like import like_prefix

# Candidates read per model and per kind of lookup: an index scan with a LIMIT
# (exact keys), a smaller one for the similar-name lookups.
CANDIDATE_LIMIT = 50
SIMILAR_CANDIDATE_LIMIT = 20


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
        return self._find_matches(values, limit=limit)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    @api.model
    def _get_match_models(self):
        """Models compared, in the order their matches are preferred; each
        inherits crm.match.mixin. Other addons append their own (crm_distributor
        its deal registrations)."""
        return ["res.partner", "crm.lead"]

    @api.model
    def _prepare_keys(self, values):
        values = dict(values or {})
        if not values.get("country_code") and values.get("country_id"):
            country_id = values["country_id"]
            if isinstance(country_id, list | tuple):
                country_id = country_id[0]
            values["country_code"] = self.env["res.country"].browse(country_id).code
        return match_keys(values, region=values.get("country_code") or "CN")

    @api.model
    def _find_matches(self, values, limit=10, exclude=None):
        """`exclude`: {model name: ids} of records not to return (the record
        being checked, its partner)."""
        keys = self._prepare_keys(values)
        exclude = exclude or {}
        matches = []
        for model_name in self._get_match_models():
            Model = self.env[model_name]
            if not Model.has_access("read"):
                continue
            for record_id, record_keys in self._match_candidates(Model, keys):
                if record_id in exclude.get(model_name, ()):
                    continue
                result = score_keys(keys, record_keys)
                if result:
                    matches.append((model_name, record_id, result))
        if not matches:
            return []
        model_order = {name: index for index, name in enumerate(self._get_match_models())}
        # best score first, then partners before leads and registrations, the
        # oldest record (the original) before its duplicates
        matches.sort(key=lambda m: (-m[2].score, model_order[m[0]], m[1]))
        return self._match_results(matches, limit)

    @api.model
    def _match_results(self, matches, limit):
        """The best `limit` matches the user may read (access rules and
        `_get_match_domain` of each model), as result dicts. The records are
        checked by chunks, best first: usually one query per model."""
        labels = self._get_reason_labels()
        results = []
        chunk_size = max(limit * 2, 10)
        for start in range(0, len(matches), chunk_size):
            chunk = matches[start : start + chunk_size]
            allowed = {}
            for model_name in {match[0] for match in chunk}:
                Model = self.env[model_name]
                records = Model.search_fetch(
                    [
                        ("id", "in", [match[1] for match in chunk if match[0] == model_name]),
                        *Model._get_match_domain(),
                    ],
                    ["display_name"],
                )
                allowed[model_name] = {record.id: record.display_name for record in records}
            for model_name, record_id, result in chunk:
                if record_id not in allowed[model_name]:
                    continue
                results.append(
                    {
                        "model": model_name,
                        "res_id": record_id,
                        "display_name": allowed[model_name][record_id],
                        "score": result.score,
                        "kind": result.kind,
                        "reasons": [labels[reason] for reason in result.reasons],
                    }
                )
                if len(results) >= limit:
                    return results
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
    def _get_kind_labels(self):
        return {
            "same": self.env._("Same customer"),
            "probable": self.env._("Probable match"),
            "homophone": self.env._("Homophone (different customer?)"),
        }

    @api.model
    def _render_matches(self, matches):
        """The compact review block of a list of `find_matches` results."""
        kinds = self._get_kind_labels()
        return self.env["ir.qweb"]._render(
            "crm_match.crm_match_results",
            {
                "matches": matches,
                "kinds": kinds,
                "model_names": {
                    model: self.env["ir.model"]._get(model).name
                    for model in {match["model"] for match in matches}
                },
            },
        )

    # ------------------------------------------------------------
    # CANDIDATES (SQL, index driven)
    # ------------------------------------------------------------
    @api.model
    def _match_candidates(self, Model, keys):
        """(id, keys) of the rows of Model worth scoring: one query, a UNION
        of index lookups, each with a LIMIT (never a table scan)."""
        query = self._match_candidates_query(Model, keys)
        if query is None:
            return []
        # the keys are read in SQL: those of records changed in this
        # transaction must be written first
        Model.flush_model(KEY_FIELDS)
        self.env.cr.execute(query)
        return [
            (row[0], dict(zip(KEY_FIELDS, row[1:], strict=True))) for row in self.env.cr.fetchall()
        ]

    @api.model
    def _find_matches_batch(self, values_by_id, limit=10):
        """`_find_matches` of many values at once ({id: values} -> {id: [matches]}).

        Same keys, index lookups (with the same LIMIT), scoring and result
        filtering, but each kind of lookup runs once per model for all the
        values (a LATERAL join over their keys) instead of once per value: a
        10,000-row upload is triaged in seconds, not minutes.
        """
        keys_by_id = {key: self._prepare_keys(values) for key, values in values_by_id.items()}
        models_order = self._get_match_models()
        scored = {key: [] for key in keys_by_id}
        for model_name in models_order:
            Model = self.env[model_name]
            for key, rows in self._match_candidates_batch(Model, keys_by_id).items():
                for record_id, record_keys in rows.items():
                    result = score_keys(keys_by_id[key], record_keys)
                    if result:
                        scored[key].append((model_name, record_id, result))
        order = {name: index for index, name in enumerate(models_order)}
        results = {}
        for key, matches in scored.items():
            matches.sort(key=lambda m: (-m[2].score, order[m[0]], m[1]))
            results[key] = self._match_results(matches, limit) if matches else []
        return results

    @api.model
    def _match_candidates_batch(self, Model, keys_by_line):
        """{line id: {record id: keys}}: `_match_candidate_lookups` for many
        lines. Each exact key column is looked up once for the
        distinct values of all lines (one index scan per value, LIMIT as the
        engine), the Chinese characters and Latin prefixes once per line (the
        engine's smaller LIMIT for similar names), in one query per kind."""
        exact = {}  # column -> {value: [line ids]}
        gram_rows, prefix_rows = [], []
        frequencies = self._get_gram_frequencies(Model._match_grams_index_name())

        def want(column, value, line_id):
            if value:
                exact.setdefault(column, {}).setdefault(value, []).append(line_id)

        for line_id, keys in keys_by_line.items():
            for fname in ("match_vat_key", "match_email_key", "match_domain_key"):
                want(fname, keys[fname], line_id)
            for phone in {keys["match_phone_key"], keys["match_mobile_key"]} - {False, None, ""}:
                want("match_phone_key", phone, line_id)
                want("match_mobile_key", phone, line_id)
            name_key = keys["match_name_key"]
            if name_key:
                want("match_name_key", name_key, line_id)
                want("match_name_pinyin", keys["match_name_pinyin"], line_id)
            elif keys["match_contact_key"]:
                want("match_contact_key", keys["match_contact_key"], line_id)
                want("match_contact_pinyin", keys["match_contact_pinyin"], line_id)
            if name_key and has_cjk(name_key) and len(name_key) >= 2:
                grams = query_grams(name_key)
                gram_rows.append(
                    (line_id, " ".join(grams), " ".join(index_grams(grams, frequencies)))
                )
            elif name_key and name_key.isascii() and len(name_key) >= 5:
                prefix = name_key[:5]
                prefix_rows.append((line_id, prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)))
        Model.flush_model(KEY_FIELDS)
        table = SQL.identifier(Model._table)
        key_columns = SQL(", ").join(SQL.identifier("t", fname) for fname in KEY_FIELDS)
        candidates = {}

        def collect(query, line_ids_of):
            self.env.cr.execute(query)
            for match_value, record_id, *values in self.env.cr.fetchall():
                record_keys = dict(zip(KEY_FIELDS, values, strict=True))
                for line_id in line_ids_of(match_value):
                    candidates.setdefault(line_id, {})[record_id] = record_keys

        for column, lines_by_value in exact.items():
            collect(
                SQL(
                    """SELECT k.value, t.id, %(keys)s
                         FROM unnest(%(values)s::varchar[]) AS k(value)
                         CROSS JOIN LATERAL (
                             SELECT c.id FROM %(table)s c WHERE %(column)s = k.value
                              LIMIT %(limit)s) AS found
                         JOIN %(table)s t ON t.id = found.id""",
                    keys=key_columns,
                    values=list(lines_by_value),
                    table=table,
                    column=SQL.identifier("c", column),
                    limit=CANDIDATE_LIMIT,
                ),
                lines_by_value.get,
            )
        if gram_rows:
            collect(
                SQL(
                    """SELECT r.line_id, t.id, %(keys)s
                         FROM unnest(%(ids)s::int[], %(grams)s::text[], %(index_grams)s::text[])
                              AS r(line_id, grams, index_grams)
                         CROSS JOIN LATERAL (
                             SELECT s.id FROM (%(indexed)s) AS s
                              WHERE string_to_array(s.match_grams, ' ')
                                    @> string_to_array(r.grams, ' ')
                              LIMIT %(limit)s) AS found
                         JOIN %(table)s t ON t.id = found.id""",
                    keys=key_columns,
                    table=table,
                    indexed=self._gram_candidates_query(
                        Model, SQL("string_to_array(r.index_grams, ' ')")
                    ),
                    limit=SIMILAR_CANDIDATE_LIMIT,
                    ids=[row[0] for row in gram_rows],
                    grams=[row[1] for row in gram_rows],
                    index_grams=[row[2] for row in gram_rows],
                ),
                lambda line_id: (line_id,),
            )
        if prefix_rows:
            # LIKE 'prefix%' as a range, which its text_pattern_ops index
            # serves with a value known only at run time.
            collect(
                SQL(
                    """SELECT r.line_id, t.id, %(keys)s
                         FROM unnest(%(ids)s::int[], %(low)s::text[], %(high)s::text[])
                              AS r(line_id, low, high)
                         CROSS JOIN LATERAL (
                             SELECT c.id FROM %(table)s c
                              WHERE c.match_pinyin_key ~>=~ r.low
                                AND c.match_pinyin_key ~<~ r.high
                              LIMIT %(limit)s) AS found
                         JOIN %(table)s t ON t.id = found.id""",
                    keys=key_columns,
                    table=table,
                    limit=SIMILAR_CANDIDATE_LIMIT,
                    ids=[row[0] for row in prefix_rows],
                    low=[row[1] for row in prefix_rows],
                    high=[row[2] for row in prefix_rows],
                ),
                lambda line_id: (line_id,),
            )
        return candidates

    @api.model
    def _match_candidates_query(self, Model, keys):
        lookups = self._match_candidate_lookups(Model, keys)
        if not lookups:
            return None
        table = SQL.identifier(Model._table)
        key_columns = SQL(", ").join(SQL.identifier(fname) for fname in KEY_FIELDS)
        return SQL(
            "SELECT id, %s FROM %s WHERE id IN (%s)",
            key_columns,
            table,
            SQL(" UNION ").join(SQL("(%s)", lookup) for lookup in lookups),
        )

    @api.model
    def _match_candidate_lookups(self, Model, keys):
        """Queries of candidate ids, each served by one index of
        crm.match.mixin and limited."""
        table = SQL.identifier(Model._table)
        lookups = []
        exact = []
        for fname in ("match_vat_key", "match_email_key", "match_domain_key"):
            if keys[fname]:
                exact.append(SQL("%s = %s", SQL.identifier(fname), keys[fname]))
        phones = [keys[f] for f in ("match_phone_key", "match_mobile_key") if keys[f]]
        if phones:
            exact.append(SQL("match_phone_key IN %s", tuple(phones)))
            exact.append(SQL("match_mobile_key IN %s", tuple(phones)))
        if keys["match_name_key"]:
            exact.append(SQL("match_name_key = %s", keys["match_name_key"]))
            exact.append(SQL("match_name_pinyin = %s", keys["match_name_pinyin"]))
        if keys["match_contact_key"] and not keys["match_name_key"]:
            exact.append(SQL("match_contact_key = %s", keys["match_contact_key"]))
            exact.append(SQL("match_contact_pinyin = %s", keys["match_contact_pinyin"]))
        if exact:
            lookups.append(
                SQL(
                    "SELECT id FROM %s WHERE %s LIMIT %s",
                    table,
                    SQL(" OR ").join(exact),
                    CANDIDATE_LIMIT,
                )
            )
        name_key = keys["match_name_key"]
        if name_key and has_cjk(name_key) and len(name_key) >= 2:
            # names containing the core name (华为 -> 深圳华为技术)
            grams = query_grams(name_key)
            frequencies = self._get_gram_frequencies(Model._match_grams_index_name())
            lookups.append(
                SQL(
                    "SELECT s.id FROM (%s) AS s "
                    "WHERE string_to_array(s.match_grams, ' ') @> %s::text[] LIMIT %s",
                    self._gram_candidates_query(
                        Model, SQL("%s::text[]", index_grams(grams, frequencies))
                    ),
                    grams,
                    SIMILAR_CANDIDATE_LIMIT,
                )
            )
        elif name_key and name_key.isascii() and len(name_key) >= 5:
            # Latin names starting with the same word (acme -> acmetrading)
            lookups.append(
                SQL(
                    "SELECT id FROM %s WHERE match_pinyin_key LIKE %s LIMIT %s",
                    table,
                    like_prefix(name_key[:5]),
                    SIMILAR_CANDIDATE_LIMIT,
                )
            )
        return lookups

    @api.model
    def _gram_candidates_query(self, Model, grams):
        """(id, match_grams) of the rows holding `grams` (an SQL text[], a
        few rare grams of a name, see tools.normalize.index_grams), read
        through the GIN index. OFFSET 0 keeps the caller's check of all the
        grams out of the index scan: PostgreSQL would otherwise add it to
        the index condition and intersect the common grams' long posting
        lists again."""
        return SQL(
            "SELECT c.id, c.match_grams FROM %s c "
            "WHERE string_to_array(c.match_grams, ' ') @> %s OFFSET 0",
            SQL.identifier(Model._table),
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
