from odoo.tests import HttpCase, tagged, users
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .match_common import MatchCommon


@tagged("post_install", "-at_install")
class TestMatchEngine(MatchCommon):
    def _find(self, values, limit=10):
        return self.env["crm.match.engine"].find_matches(values, limit=limit)

    def _result(self, matches, record):
        found = [m for m in matches if (m["model"], m["res_id"]) == (record._name, record.id)]
        self.assertEqual(len(found), 1, f"{record.display_name} not in {matches}")
        return found[0]

    def test_keys_stored_and_recomputed(self):
        self.assertEqual(self.huawei.match_name_key, "华为技术")
        self.assertEqual(self.huawei.match_vat_key, "91440300708461136T")
        self.assertEqual(self.huawei.match_phone_key, "+8675528780808")
        self.assertEqual(self.huawei.match_domain_key, "huawei-match.example")
        self.assertEqual(self.huawei_contact.match_contact_key, "李明")
        self.assertFalse(self.huawei_contact.match_name_key, "a contact is not a company")
        self.assertEqual(self.huawei_contact.match_search_key, "深圳市华为技术有限公司李明")
        self.assertEqual(self.lead_mine.match_name_key, "星辉贸易")
        self.assertEqual(self.lead_xinyuan.match_phone_key, "+861062345678")
        self.huawei.name = "華為終端有限公司"
        self.assertEqual(self.huawei.match_name_key, "华为终端")
        self.assertEqual(self.huawei.match_initials_key, "hwzd")

    def test_backfill_matches_compute(self):
        records = self.huawei | self.huawei_contact | self.acme | self.beijing
        expected = {
            partner.id: partner.read(["match_name_key", "match_grams", "match_phone_key"])[0]
            for partner in records
        }
        self.env.cr.execute(
            "UPDATE res_partner SET match_name_key = NULL, match_grams = 'x', "
            "match_phone_key = NULL WHERE id IN %s",
            [tuple(records.ids)],
        )
        self.env["res.partner"].invalidate_model()
        count = self.env["res.partner"]._match_backfill_keys(batch_size=3, reindex=False)
        self.assertGreaterEqual(count, 4)
        for partner in records:
            self.assertEqual(
                partner.read(["match_name_key", "match_grams", "match_phone_key"])[0],
                expected[partner.id],
            )
        self.env["crm.lead"]._match_backfill_keys(batch_size=1, reindex=False)
        self.assertEqual(self.lead_mine.match_name_key, "星辉贸易")

    def test_install_backfill_restores_every_index(self):
        """The install's bulk backfill drops the table's secondary indexes for
        its UPDATE and builds each one again, with the same definition."""

        def indexes():
            self.env.cr.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'res_partner'"
            )
            return dict(self.env.cr.fetchall())

        before = indexes()
        self.env.cr.execute(
            "UPDATE res_partner SET match_name_key = NULL WHERE id = %s", [self.huawei.id]
        )
        self.env["res.partner"].invalidate_model()
        self.env["res.partner"]._match_backfill_keys(
            batch_size=50, reindex=True, drop_table_indexes=True
        )
        self.assertEqual(indexes(), before)
        self.assertEqual(self.huawei.match_name_key, "华为技术")

    def test_keys_of_an_older_normalisation_recomputed_by_the_job(self):
        """An upgrade keeps the stored keys and starts a job that recomputes
        them when the normalisation changed (crm_match.keys_version)."""
        params = self.env["ir.config_parameter"].sudo()
        cron = self.env.ref("crm_match.ir_cron_refresh_match_keys")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET match_name_key = 'stale' WHERE id = %s", [self.acme.id]
        )
        self.env["res.partner"].invalidate_model()
        params.set_param("crm_match.keys_version", "1")
        cron.active = True
        self.env["crm.match.engine"]._cron_refresh_match_keys()
        self.assertEqual(self.acme.match_name_key, "acme trading")
        self.assertEqual(params.get_param("crm_match.keys_version"), "2")
        self.assertFalse(cron.active)

    def test_indexes_exist(self):
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'res_partner' "
            "AND indexname LIKE 'res_partner__match%%'"
        )
        names = {row[0] for row in self.env.cr.fetchall()}
        self.assertIn("res_partner__match_grams_gin_index", names)
        self.assertIn("res_partner__match_vat_key_pattern_index", names)
        self.assertIn("res_partner__match_name_key_index", names)
        self.assertIn("res_partner__match_pinyin_key_trgm_index", names)
        self.env.cr.execute(
            "SELECT c.reloptions FROM pg_class c WHERE c.relname = "
            "'res_partner__match_grams_gin_index'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], ["fastupdate=off"])

    def test_same_credit_code(self):
        matches = self._find({"name": "华为", "vat": "9144 0300 7084 6113 6t"})
        result = self._result(matches, self.huawei)
        self.assertEqual(result["kind"], "same")
        self.assertEqual(result["score"], 100)
        self.assertIn("Same credit code", result["reasons"])
        self.assertEqual(matches[0]["res_id"], self.huawei.id, "best first")

    def test_homophone_flagged_never_same(self):
        matches = self._find({"name": "华维技术股份有限公司"})
        self.assertEqual(self._result(matches, self.huawei_homophone)["kind"], "same")
        homophone = self._result(matches, self.huawei)
        self.assertEqual(homophone["kind"], "homophone")
        self.assertEqual(homophone["reasons"], ["Same pinyin, different characters"])

    def test_phone_email_domain_contact(self):
        matches = self._find({"name": "某公司", "mobile": "+86 139-0000-1111"})
        self.assertEqual(self._result(matches, self.huawei_contact)["reasons"], ["Same phone"])
        matches = self._find({"name": "ACME TRADING LIMITED", "email": "SALES@acme-match.example"})
        result = self._result(matches, self.acme)
        self.assertEqual(result["kind"], "same")
        self.assertEqual(
            result["reasons"], ["Same e-mail", "Same name after normalisation", "Same web domain"]
        )
        matches = self._find({"website": "http://huawei-match.example/contact"})
        self.assertEqual(self._result(matches, self.huawei)["kind"], "probable")

    def test_leads(self):
        matches = self._find({"name": "鑫源機械", "phone": "(010) 62345678"})
        result = self._result(matches, self.lead_xinyuan)
        self.assertEqual(result["kind"], "same")
        matches = self._find({"name": "北京星辉贸易"})
        self.assertEqual(self._result(matches, self.lead_mine)["kind"], "same")
        self.assertEqual(self._result(matches, self.beijing)["kind"], "same")

    def test_similar_names_found_through_grams(self):
        matches = self._find({"name": "华为"})
        result = self._result(matches, self.huawei)
        self.assertEqual(result["kind"], "probable")
        self.assertEqual(result["reasons"], ["Similar name"])

    def test_common_grams_left_to_the_check_not_the_index(self):
        """The GIN index reads the rarest grams of a name only (PostgreSQL's
        statistics say which are common); every gram is still required."""
        Partner = self.env["res.partner"]
        Partner.create(
            [{"name": f"测试{index}号科技有限公司", "is_company": True} for index in range(120)]
        )
        similar = Partner.create({"name": "深圳瑞丰鼎新科技装备有限公司", "is_company": True})
        decoy = Partner.create({"name": "瑞丰鼎新贸易有限公司", "is_company": True})
        self.env.flush_all()
        self.env.cr.execute("ANALYZE res_partner")
        self.env.registry.clear_cache()
        engine = self.env["crm.match.engine"]
        frequencies = engine._get_gram_frequencies(Partner._match_grams_index_name())
        self.assertIn("科技", frequencies)
        matches = self._find({"name": "瑞丰鼎新科技"})
        self.assertEqual(self._result(matches, similar)["reasons"], ["Similar name"])
        self.assertNotIn(("res.partner", decoy.id), {(m["model"], m["res_id"]) for m in matches})
        batch = engine._find_matches_batch({1: {"name": "瑞丰鼎新科技"}}, limit=10)
        self.assertEqual(batch[1], matches)

    def test_domain_applied_before_the_limit(self):
        """Archived partners are left out in the candidate query, not after
        its LIMIT: a name shared by more archived partners than the LIMIT
        still finds the active one."""
        Partner = self.env["res.partner"]
        Partner.create([{"name": "鼎丰精工有限公司", "is_company": True, "active": False}] * 60)
        active = Partner.create({"name": "鼎丰精工有限公司", "is_company": True})
        matches = self._find({"name": "鼎丰精工"}, limit=5)
        self.assertEqual([m["res_id"] for m in matches if m["model"] == "res.partner"], [active.id])

    def test_find_matches_is_a_batch_of_one(self):
        engine = self.env["crm.match.engine"]
        values = {"name": "華為技術", "phone": "0755 2878 0808"}
        self.assertEqual(engine.find_matches(values), engine._find_matches_batch({7: values})[7])

    @users("match_salesman")
    def test_batch_decides_as_one_by_one_in_as_many_queries(self):
        """A batch gives each value what find_matches gives it alone, with the
        candidates and the access checks of all values in one query per
        model (plus switching PostgreSQL's JIT off and back, as it was)."""
        engine = self.env["crm.match.engine"]
        values_by_id = {
            1: {"name": "華為技術", "phone": "0755 2878 0808"},
            2: {"name": "华为技术", "vat": "91440300708461136T"},
            3: {"name": "星辉贸易"},
            4: {"name": "完全不相干的名字"},
            5: {"name": "苏州花光精工"},
        }
        alone = {key: engine.find_matches(values) for key, values in values_by_id.items()}
        self.assertTrue(alone[1] and alone[3])
        for model in engine._get_match_models():
            self.env[model].invalidate_model()
        self.env.cr.execute("SELECT set_config('jit', 'on', true)")
        with self.assertQueryCount(match_salesman=2 * len(engine._get_match_models()) + 3):
            batch = engine._find_matches_batch(values_by_id)
        self.assertEqual(batch, alone)
        self.env.cr.execute("SHOW jit")
        self.assertEqual(self.env.cr.fetchone()[0], "on")

    def test_limit_and_nothing(self):
        self.assertEqual(len(self._find({"name": "华为"}, limit=1)), 1)
        self.assertEqual(self._find({"name": "完全不相干的名字"}), [])
        self.assertEqual(self._find({}), [])

    @users("match_salesman")
    def test_access_rules_apply(self):
        """A salesman does not get the leads he cannot read."""
        matches = self._find({"name": "华为技术"})
        models_ids = {(m["model"], m["res_id"]) for m in matches}
        self.assertIn(("res.partner", self.huawei.id), models_ids)
        self.assertNotIn(("crm.lead", self.lead_other.id), models_ids)
        matches = self._find({"name": "星辉贸易"})
        self._result(matches, self.lead_mine)

    @users("match_salesman")
    def test_query_count(self):
        engine = self.env["crm.match.engine"]
        values = {"name": "华为技术", "vat": "91440300708461136T", "phone": "0755 2878 0808"}
        # Candidates in every model of crm_match, so that the count does not
        # depend on demo data.
        self.lead_mine.sudo().copy({"partner_name": "深圳华为技术有限公司"})
        engine.find_matches(values)  # warm the caches (access rules, translations)
        for model in engine._get_match_models():
            self.env[model].invalidate_model()
        # one candidate query per model, one read per model with readable candidates
        # (further models of other addons add theirs)
        with self.assertQueryCount(match_salesman=2 * len(engine._get_match_models()) + 1):
            matches = engine.find_matches(values)
        self.assertTrue(matches)


@tagged("post_install", "-at_install")
class TestMatchEngineRpc(HttpCase):
    def test_find_matches_over_rpc(self):
        """Internal users call find_matches over JSON-RPC."""
        partner = self.env["res.partner"].create(
            {"name": "杭州星河数据有限公司", "is_company": True, "vat": "91330100MA2AXX3B4E"}
        )
        mail_new_test_user(
            self.env, login="match_rpc_user", groups="sales_team.group_sale_salesman"
        )
        self.authenticate("match_rpc_user", "match_rpc_user")
        matches = self.make_jsonrpc_request(
            "/web/dataset/call_kw/crm.match.engine/find_matches",
            {
                "model": "crm.match.engine",
                "method": "find_matches",
                "args": [{"name": "星河數據", "vat": "91330100ma2axx3b4e"}],
                "kwargs": {"limit": 3},
            },
        )
        self.assertEqual(matches[0]["res_id"], partner.id)
        self.assertEqual(matches[0]["kind"], "same")
        self.assertEqual(
            matches[0]["reasons"], ["Same credit code", "Same name after normalisation"]
        )

    def test_portal_users_cannot_call_the_engine(self):
        """find_matches checks the caller's group: a portal user over
        JSON-RPC gets an access error, not the customers."""
        self.env["res.partner"].create({"name": "杭州星河数据有限公司", "is_company": True})
        mail_new_test_user(self.env, login="match_rpc_portal", groups="base.group_portal")
        self.authenticate("match_rpc_portal", "match_rpc_portal")
        with self.assertRaises(JsonRpcException) as raised, mute_logger("odoo.http"):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/crm.match.engine/find_matches",
                {
                    "model": "crm.match.engine",
                    "method": "find_matches",
                    "args": [{"name": "星河數據"}],
                    "kwargs": {"limit": 3},
                },
            )
        self.assertEqual(str(raised.exception), "odoo.exceptions.AccessError")
