"""The benchmark harness and data generator of tests/bench/ behave.

The generator runs at a tiny scale inside the test transaction (rolled back),
so the test database keeps nothing of it.
"""

import io
import random

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .bench import names
from .bench.generate import TRUTH_TABLE, Generator, copy_rows, counts_for, scale_label
from .bench.harness import Row, count_queries, format_table, measure, percentile, print_table
from .bench.runner import discover


@tagged("post_install", "-at_install")
class TestHarnessPure(TransactionCase):
    def test_percentile_interpolates(self):
        self.assertEqual(percentile([5.0], 0.95), 5.0)
        self.assertEqual(percentile([1, 2, 3, 4], 0.5), 2.5)
        self.assertAlmostEqual(percentile(list(range(1, 101)), 0.95), 95.05)
        with self.assertRaises(ValueError):
            percentile([], 0.5)

    def test_measure_times_each_run(self):
        calls = []
        timing = measure(lambda: calls.append(1), repeat=5, warmup=2, setup=lambda: calls.append(0))
        self.assertEqual(calls.count(1), 7, "warmup runs plus measured runs")
        self.assertEqual(calls.count(0), 7, "setup before every run")
        self.assertEqual(timing.runs, 5)
        self.assertLessEqual(timing.p50, timing.p95)
        self.assertGreaterEqual(timing.mean, 0.0)
        with self.assertRaises(ValueError):
            measure(lambda: None, repeat=0)

    def test_row_ratio_and_verdict(self):
        self.assertEqual(Row("a", 12.0, 10.0, "ms", "x1.5").verdict, "PASS")
        self.assertEqual(Row("a", 20.0, 10.0, "ms", "x1.5").verdict, "FAIL")
        self.assertEqual(Row("a", 20.0, 10.0, "ms", 25).verdict, "PASS")
        self.assertEqual(Row("a", 20.0, 10.0, "ms", 15).verdict, "FAIL")
        fast = Row("load", 5000.0, 200.0, "rows/s", "x10", higher_is_better=True)
        self.assertAlmostEqual(fast.ratio, 25.0)
        self.assertEqual(fast.verdict, "PASS")
        self.assertEqual(Row("a", 3.0, None, "ms", "x2").verdict, "-")
        self.assertIsNone(Row("a", 3.0, 0, "ms", None).ratio)
        self.assertEqual(Row("a", 3.0, 1.0, "ms", None).verdict, "-")

    def test_table_has_one_line_per_row(self):
        rows = [
            Row("partner list", 12.5, 10.0, "ms", "x1.5", note="cold cache"),
            Row("partner load", 6000.0, 200.0, "partners/s", "x10", higher_is_better=True),
        ]
        text = format_table(rows)
        lines = text.splitlines()
        self.assertIn("stock Odoo baseline", lines[0])
        self.assertTrue(lines[2].startswith("partner list"))
        self.assertIn("x1.25", lines[2])
        self.assertIn("PASS", lines[3])
        self.assertIn("[partner list] cold cache", text)
        stream = io.StringIO()
        print_table(rows, stream)
        self.assertEqual(stream.getvalue(), text)

    def test_runner_discovers_bench_modules(self):
        self.assertIn("bench_generate", discover())
        self.assertEqual(discover(["generate"]), ["bench_generate"])
        with self.assertRaises(SystemExit):
            discover(["no_such_topic"])

    def test_names_are_realistic_and_deterministic(self):
        first = [names.chinese_company(random.Random(3)) for _i in range(3)]
        again = [names.chinese_company(random.Random(3)) for _i in range(3)]
        self.assertEqual(first, again)
        rng = random.Random(11)
        for _i in range(200):
            company = names.chinese_company(rng)
            self.assertTrue(company.name.endswith("公司"), company.name)
            self.assertIn(company.city, company.name)
            if company.vat:
                self.assertRegex(company.vat, r"^91\d{6}[0-9A-Z]{10}$")
        variant = names.name_variant(random.Random(1), names.chinese_company(random.Random(2)))
        self.assertIn(variant[0], {"exact", "short", "reordered", "traditional", "english"})

    def test_uscc_check_digit(self):
        from stdnum.cn import uscc

        rng = random.Random(5)
        for _i in range(50):
            self.assertTrue(uscc.is_valid(names.uscc(rng, "440300")))

    def test_count_queries(self):
        partner = self.env["res.partner"].create({"name": "查询计数测试"})
        self.assertGreaterEqual(count_queries(self.env, lambda: partner.read(["name"])), 1)
        self.assertEqual(count_queries(self.env, lambda: None), 0)


@tagged("post_install", "-at_install")
class TestGenerator(TransactionCase):
    def _count(self, table, where=None):
        self.env.cr.execute(
            SQL("SELECT count(*) FROM %s WHERE %s", SQL.identifier(table), where or SQL("TRUE"))
        )
        return self.env.cr.fetchone()[0]

    def _since(self, start, table, column="id"):
        return self._count(table, SQL("%s >= %s", SQL.identifier(column), start[table]))

    def test_copy_escapes_values(self):
        self.env.cr.execute("CREATE TEMPORARY TABLE bench_copy_test (a varchar, b jsonb, c bool)")
        copy_rows(
            self.env.cr,
            "bench_copy_test",
            ["a", "b", "c"],
            [("tab\there\\", {"zh_CN": "六轴"}, True), (None, None, False)],
        )
        self.env.cr.execute("SELECT a, b, c FROM bench_copy_test ORDER BY a NULLS LAST")
        self.assertEqual(
            self.env.cr.fetchall(), [("tab\there\\", {"zh_CN": "六轴"}, True), (None, None, False)]
        )

    def test_tiny_scale_counts(self):
        counts = counts_for(
            "tiny", partners=300, leads=120, registrations=60, products=22, orders=40
        )
        start = {}
        for table in (
            "res_partner",
            "crm_lead",
            "sale_order",
            "crm_deal_registration",
            "product_product",
        ):
            self.env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
            start[table] = self.env.cr.fetchone()[0] + 1
        generator = Generator(self.env, counts, seed=42)
        generator.run()
        # the reference users made through the ORM come before the COPY
        start["res_partner"] = generator.company_ids[0]

        self.assertEqual(self._since(start, "res_partner"), 300)
        companies = self._count("res_partner", SQL("id >= %s AND is_company", start["res_partner"]))
        self.assertEqual(companies, 120)
        self.assertEqual(self._since(start, "crm_lead"), 120)
        self.assertEqual(self._since(start, "product_product"), 22)
        self.assertEqual(self._since(start, "sale_order"), 40)
        self.assertEqual(self._since(start, "crm_deal_registration"), 60)
        self.assertGreater(
            self._count("sale_order_line", SQL("order_id >= %s", start["sale_order"])), 40
        )
        self.assertGreater(self._count(TRUTH_TABLE), 0)
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("crm_bench.scale"), scale_label(counts)
        )
        # The ORM reads what COPY wrote, sequences were moved past it.
        Partner = self.env["res.partner"]
        contact = Partner.search(
            [("id", ">=", start["res_partner"]), ("is_company", "=", False)], limit=1
        )
        self.assertEqual(contact.commercial_partner_id, contact.parent_id)
        self.assertEqual(contact.display_name, f"{contact.parent_id.name}, {contact.name}")
        self.assertGreater(Partner.create({"name": "序列检查"}).id, contact.id)
        order = self.env["sale.order"].search([("id", ">=", start["sale_order"])], limit=1)
        self.assertAlmostEqual(order.amount_untaxed, sum(order.order_line.mapped("price_subtotal")))
        self.assertTrue(
            Partner.search_count(
                [("id", ">=", start["res_partner"]), ("is_distributor", "=", True)]
            )
        )
        registration = self.env["crm.deal.registration"].search(
            [("id", ">=", start["crm_deal_registration"])], limit=1
        )
        self.assertTrue(registration.line_ids)
        self.assertEqual(registration.distributor_id.is_distributor, True)

    def test_same_seed_same_names(self):
        counts = counts_for("tiny", partners=50, leads=5, registrations=5, products=11, orders=5)
        names_seen = []
        for _i in range(2):
            with self.env.cr.savepoint(flush=False) as savepoint:
                generator = Generator(self.env, counts, seed=9)
                generator.prepare_references()
                generator.generate_partners()
                names_seen.append([company.name for company in generator.companies])
                savepoint.rollback()
        self.assertEqual(names_seen[0], names_seen[1])
