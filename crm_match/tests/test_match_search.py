from odoo.tests import tagged, users
from odoo.tools import SQL

from .match_common import MatchCommon


@tagged("post_install", "-at_install")
class TestMatchSearch(MatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # ranking fixtures: an exact name, a name starting with it, one containing it
        cls.xinghui_exact = Partner.create({"name": "星辉", "is_company": True})
        cls.xinghui_prefix = Partner.create({"name": "星辉照明有限公司", "is_company": True})
        cls.xinghui_contains = Partner.create({"name": "广州新星辉电子", "is_company": True})

    def _name_search(self, term, model="res.partner", **kwargs):
        return [res_id for res_id, _name in self.env[model].name_search(term, **kwargs)]

    def test_one_and_two_chinese_characters(self):
        self.assertIn(self.beijing.id, self._name_search("辉"))
        self.assertIn(self.beijing.id, self._name_search("星辉"))
        self.assertIn(self.beijing.id, self._name_search("海淀星辉"))
        # characters apart are an abbreviation (海淀星辉: 海星), ranked after the
        # names holding them in a row
        xinghai = self.env["res.partner"].create({"name": "海星电子有限公司", "is_company": True})
        ids = self._name_search("海星")
        self.assertLess(ids.index(xinghai.id), ids.index(self.beijing.id))

    def test_traditional_and_full_width(self):
        self.assertIn(self.huawei.id, self._name_search("華為"))
        self.assertIn(self.acme.id, self._name_search("ＡＣＭＥ"))

    def test_pinyin_and_initials(self):
        self.assertIn(self.beijing.id, self._name_search("xinghui"))
        self.assertIn(self.beijing.id, self._name_search("BeiJing HaiDian"))
        self.assertIn(self.beijing.id, self._name_search("bjhd"))
        self.assertIn(self.huawei.id, self._name_search("szshw"))
        self.assertIn(self.huawei.id, self._name_search("huawei"))

    def test_initials_and_abbreviations_anywhere(self):
        """Pinyin initials and Chinese abbreviations match anywhere in a
        name, not only from its first character (through the GIN index)."""
        Partner = self.env["res.partner"]
        dongfang = Partner.create({"name": "四川东方电气集团有限公司", "is_company": True})
        bank = Partner.create({"name": "中国工商银行股份有限公司", "is_company": True})
        # 深圳市华为技术有限公司: initials szshwjs
        self.assertIn(self.huawei.id, self._name_search("hw"))
        self.assertIn(self.huawei.id, self._name_search("hwjs"))
        self.assertIn(bank.id, self._name_search("yh"))
        self.assertIn(bank.id, self._name_search("gsyh"))
        self.assertIn(dongfang.id, self._name_search("东电"))
        self.assertIn(dongfang.id, self._name_search("dfdq"))
        self.assertNotIn(self.huawei.id, self._name_search("东电"))
        self.assertNotIn(bank.id, self._name_search("hw"))
        # the list view search (display_name ilike) too
        self.assertIn(dongfang, Partner.search([("display_name", "ilike", "东电")]))

    def test_latin_email_vat_phone(self):
        self.assertIn(self.acme.id, self._name_search("acme trad"))
        self.assertIn(self.acme.id, self._name_search("sales@acme"))
        self.assertIn(self.huawei_contact.id, self._name_search("liming@"))
        self.assertIn(self.huawei.id, self._name_search("91440300708461136T"))
        self.assertIn(self.huawei.id, self._name_search("914403007084"))
        self.assertIn(self.huawei.id, self._name_search("0755-2878 0808"))
        self.assertIn(self.huawei.id, self._name_search("+86 755 2878"))
        self.assertIn(self.huawei_contact.id, self._name_search("13900001111"))

    def test_no_match(self):
        self.assertEqual(self._name_search("不存在的客户名"), [])
        self.assertEqual(self._name_search("zzqqxx"), [])

    def test_ranking(self):
        ids = self._name_search("星辉")
        self.assertEqual(ids[:2], [self.xinghui_exact.id, self.xinghui_prefix.id])
        # then names containing the term, shorter first
        self.assertLess(ids.index(self.xinghui_contains.id), ids.index(self.beijing.id))
        ids = self._name_search("华为")
        self.assertLess(
            ids.index(self.huawei.id), ids.index(self.huawei_contact.id), "company first"
        )

    def test_domain_and_limit(self):
        ids = self._name_search("华为", args=[("is_company", "=", True)])
        self.assertIn(self.huawei.id, ids)
        self.assertNotIn(self.huawei_contact.id, ids)
        self.assertEqual(len(self._name_search("华", limit=1)), 1)

    def test_search_view_domain(self):
        Partner = self.env["res.partner"]
        self.assertIn(self.beijing, Partner.search([("display_name", "ilike", "bjhd")]))
        self.assertIn(self.huawei, Partner.search([("display_name", "ilike", "華為")]))
        # legal forms in the term are ignored as in the names
        self.assertIn(self.acme, Partner.search([("display_name", "ilike", "Acme Trading Co")]))

    @users("match_salesman")
    def test_lead_search(self):
        self.assertIn(self.lead_mine.id, self._name_search("星辉", model="crm.lead"))
        self.assertIn(self.lead_mine.id, self._name_search("xhmy", model="crm.lead"))
        self.assertIn(self.lead_mine.id, self._name_search("王芳", model="crm.lead"))
        self.assertIn(self.lead_mine.id, self._name_search("wangfang@", model="crm.lead"))
        self.assertIn(self.lead_mine.id, self._name_search("服务器", model="crm.lead"))
        # record rules apply: the other salesman's lead is not found
        self.assertNotIn(self.lead_other.id, self._name_search("华为", model="crm.lead"))
        leads = self.env["crm.lead"].search([("display_name", "ilike", "星辉")])
        self.assertIn(self.lead_mine, leads)

    @users("match_salesman")
    def test_name_search_query_count(self):
        Partner = self.env["res.partner"]
        Partner.name_search("星辉", limit=8)  # warm the caches (access rules)
        Partner.invalidate_model()
        # exact and prefix lookups; "contains" lookups; abbreviations (still
        # fewer than 8 found); names
        with self.assertQueryCount(match_salesman=4):
            Partner.name_search("星辉", limit=8)
        # the first lookups fill the limit: no "contains" lookup
        with self.assertQueryCount(match_salesman=2):
            Partner.name_search("星辉", limit=1)


@tagged("post_install", "-at_install")
class TestMatchSearchPlans(MatchCommon):
    """The search and matching queries use the key indexes, not a sequential
    scan, on a table of generated partners."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # account (when installed) adds a required column to res_partner.
        with_account = "autopost_bills" in cls.env["res.partner"]._fields
        cls.env.cr.execute(
            SQL(
                """
            INSERT INTO res_partner (name, complete_name, is_company, active, type%s,
                                     phone, email, vat)
            SELECT n, n, true, true, 'contact'%s,
                   '0' || (20 + i %% 80) || lpad((i * 7919 %% 100000000)::text, 8, '0'),
                   'user' || i || '@example' || (i %% 500) || '.com',
                   '9144' || lpad(i::text, 14, '0')
              FROM (
                SELECT i, chr(19968 + (i * 37) %% 20000) || chr(19968 + (i * 101) %% 20000)
                          || chr(19968 + (i * 13) %% 20000)
                          || (ARRAY['科技', '贸易', '机械', '电子',
                                    '化工', '医疗', '建材', '物流'])[1 + i %% 8]
                          || '有限公司' AS n
                  FROM generate_series(1, 20000) AS i
              ) AS generated
            """,
                SQL(", autopost_bills") if with_account else SQL(""),
                SQL(", 'ask'") if with_account else SQL(""),
            )
        )
        cls.env["res.partner"]._match_backfill_keys(batch_size=5000, reindex=False)
        # Planner statistics of the table as it is now (autovacuum may be off).
        cls.env.cr.execute("ANALYZE res_partner")
        cls.env.cr.execute("SELECT max(id) FROM res_partner")
        cls.sample_id = cls.env.cr.fetchone()[0]

    def _assert_index_driven(self, query, label):
        """No sequential scan of res_partner, except under a LIMIT for a term
        that most rows match (it stops after the first rows: cheaper than
        an index for such a term, and what the planner then picks)."""
        self.env.cr.execute(SQL("EXPLAIN %s", query))
        lines = [row[0] for row in self.env.cr.fetchall()]
        for index, line in enumerate(lines):
            if "Seq Scan on res_partner" in line:
                self.assertIn("Limit", lines[index - 1], f"{label}:\n" + "\n".join(lines))
        return lines

    def test_name_search_plans(self):
        Partner = self.env["res.partner"]
        sample = Partner.browse(self.sample_id)
        selective = (
            sample.name[1:3],
            sample.match_pinyin_key[:9],
            sample.match_initials_key[:4],
            sample.email[:8],
            sample.vat,
            sample.phone,
        )
        for term in selective:
            lines = self._assert_index_driven(Partner._match_name_search_query(term, limit=8), term)
            self.assertNotIn("Seq Scan on res_partner", "\n".join(lines), term)
        for term in ("科", "keji", "kj", "@example1", "9144", "020"):
            self._assert_index_driven(Partner._match_name_search_query(term, limit=8), term)

    def test_find_matches_plan(self):
        engine = self.env["crm.match.engine"]
        sample = self.env["res.partner"].browse(self.sample_id)
        keys = engine._prepare_keys({"name": sample.name, "vat": sample.vat, "email": sample.email})
        lines = self._assert_index_driven(
            engine._match_candidates_batch_query(self.env["res.partner"], {0: keys}),
            "find_matches",
        )
        self.assertNotIn("Seq Scan on res_partner", "\n".join(lines))
