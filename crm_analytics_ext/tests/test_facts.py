import random
from datetime import datetime, timedelta

from odoo import Command, models
from odoo.tests import tagged

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestFacts(CrmAnalyticsCommon):
    def _env(self):
        return self.env(context={"tz": "UTC", "allowed_company_ids": self.company_rfm.ids})

    def _stock(self, groupby, aggregates):
        """The same question asked of stock Odoo's sale.report."""
        return self._env()["sale.report"]._read_group(
            [("state", "=", "sale"), ("company_id", "=", self.company_rfm.id)],
            groupby=groupby,
            aggregates=aggregates,
        )

    def _ours(self, model, groupby, aggregates):
        return self._env()[model]._read_group(
            [("company_id", "=", self.company_rfm.id)], groupby=groupby, aggregates=aggregates
        )

    @staticmethod
    def _key(values):
        """A group key comparable across models: ids for records, dates for datetimes."""
        key = []
        for value in values:
            if isinstance(value, models.BaseModel):
                value = value.id
            elif isinstance(value, datetime):
                value = value.date()
            key.append(value)
        return tuple(key)

    def _assert_same(self, stock, ours):
        self.assertTrue(stock)
        stock_groups = {self._key(row[:-2]): row[-2:] for row in stock}
        our_groups = {self._key(row[:-2]): row[-2:] for row in ours}
        self.assertEqual(set(stock_groups), set(our_groups))
        for key, (first, second) in stock_groups.items():
            self.assertAlmostEqual(first, our_groups[key][0], places=2, msg=key)
            self.assertAlmostEqual(second, our_groups[key][1], places=2, msg=key)

    def test_customer_month_equals_sale_report(self):
        self._assert_same(
            self._stock(
                ["commercial_partner_id", "user_id", "date:month"],
                ["price_subtotal:sum", "margin:sum"],
            ),
            self._ours(
                "crm.analytics.customer.month",
                ["partner_id", "user_id", "month:month"],
                ["revenue:sum", "margin:sum"],
            ),
        )

    def test_product_month_equals_sale_report(self):
        self._assert_same(
            self._stock(
                ["product_id", "categ_id", "date:year"], ["product_uom_qty:sum", "margin:sum"]
            ),
            self._ours(
                "crm.analytics.product.month",
                ["product_id", "categ_id", "month:year"],
                ["quantity:sum", "margin:sum"],
            ),
        )

    def test_hand_computed(self):
        facts = self.env["crm.analytics.customer.month"].search(
            [("company_id", "=", self.company_rfm.id), ("partner_id", "=", self.champion.id)]
        )
        self.assertEqual(sum(facts.mapped("order_count")), 7)
        self.assertAlmostEqual(sum(facts.mapped("revenue")), 39000.0)
        self.assertAlmostEqual(sum(facts.mapped("margin")), 15600.0)
        self.assertEqual(set(facts.mapped("channel")), {"direct"})
        products = self.env["crm.analytics.product.month"].search(
            [("company_id", "=", self.company_rfm.id)]
        )
        self.assertAlmostEqual(sum(products.mapped("quantity")), 39 + 10 + 5 + 1 + 1)
        self.assertAlmostEqual(sum(products.mapped("cost")), sum(products.mapped("quantity")) * 600)

    def test_a_change_queues_its_months(self):
        Dirty = self.env["crm.analytics.dirty"]
        self.assertFalse(Dirty.search([]))
        order = self.orders[0]
        old_month = order.date_order.date().replace(day=1)
        order.date_order -= timedelta(days=400)
        order.order_line.product_uom_qty += 1
        self.env.flush_all()
        queued = Dirty.search([])
        self.assertIn(old_month, queued.mapped("month"))
        self.assertIn(order.date_order.date().replace(day=1), queued.mapped("month"))
        self.assertEqual(set(queued.mapped("partner_id")), {self.champion.id})
        # a draft order changes nothing
        self.draft.order_line.product_uom_qty = 9
        self.env.flush_all()
        self.assertEqual(len(Dirty.search([])), len(queued))
        Dirty._process_queue()
        self.assertFalse(Dirty.search([]))

    def _snapshot(self):
        self.env.flush_all()
        snapshot = {}
        for model, fields in (
            ("crm.analytics.customer.month", ["partner_id", "user_id", "channel", "month"]),
            (
                "crm.analytics.product.month",
                [
                    "product_id",
                    "categ_id",
                    "channel",
                    "distributor_id",
                    "month",
                    "quantity",
                    "qty_delivered",
                    "cost",
                    "line_count",
                ],
            ),
            ("crm.analytics.customer", ["partner_id", "segment", "stage", "peak_month"]),
            ("crm.analytics.year.review", ["partner_id", "user_id", "year", "order_count"]),
        ):
            rows = self.env[model].search_read([], [*fields, "company_id", "revenue", "margin"])
            snapshot[model] = sorted(
                tuple(
                    round(row[name], 2) if isinstance(row[name], float) else str(row[name])
                    for name in [*fields, "company_id", "revenue", "margin"]
                )
                for row in rows
            )
        return snapshot

    def test_incremental_equals_full_rebuild(self):
        # start from a consistent state, whatever the database held before
        self.env["crm.analytics.dirty"]._rebuild_all()
        rng = random.Random(11)
        orders = self.orders.sorted("id")
        for order in rng.sample(orders, 4):
            order.date_order -= timedelta(days=rng.choice((31, 95, 380)))
        for order in rng.sample(orders, 3):
            order.order_line[0].product_uom_qty += rng.choice((1, 3, 7))
        for order in rng.sample(orders, 2):
            order.order_line[0].price_unit = 750.0
        cancelled = rng.choice(orders)
        cancelled._action_cancel()
        moved = rng.choice(orders - cancelled)
        moved.partner_id = self.middle
        extra = self._order(self.newcomer, 4)
        extra.order_line = [
            Command.create(
                {"product_id": self.product.id, "product_uom_qty": 2, "price_unit": 500.0}
            )
        ]
        extra.action_confirm()
        extra.date_order -= timedelta(days=250)
        orders[-1].order_line.product_uom_qty = 0
        # a line of another product added to a confirmed order
        other = self.env["product.product"].create(
            {"name": "机器人备件包", "type": "consu", "list_price": 300.0}
        )
        orders[1].order_line = [
            Command.create({"product_id": other.id, "product_uom_qty": 2, "price_unit": 300.0})
        ]
        cancelled.unlink()
        self.draft.action_confirm()
        # what places an order in the facts, changed outside the order: its
        # opportunity's distributor, its customer becoming a distributor, its
        # product's category
        distributor = self.env["res.partner"].create(
            {"name": "华东渠道分销有限公司", "is_company": True, "is_distributor": True}
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "恒达 二期产线",
                "type": "opportunity",
                "partner_id": self.regular.id,
                "company_id": self.company_rfm.id,
            }
        )
        through_lead = rng.choice(orders - cancelled - moved)
        through_lead.opportunity_id = lead
        self.env.flush_all()
        lead.distributor_id = distributor
        self.newcomer.is_distributor = True
        other.categ_id = self.env["product.category"].create({"name": "备件"})
        self.env.flush_all()
        self.env["crm.analytics.dirty"]._process_queue()
        incremental = self._snapshot()
        self.env["crm.analytics.dirty"]._rebuild_all()
        full = self._snapshot()
        for model in full:
            only_incremental = set(incremental[model]) - set(full[model])
            only_full = set(full[model]) - set(incremental[model])
            self.maxDiff = None
            self.assertEqual((only_incremental, only_full), (set(), set()), model)
        # and the figures still equal sale.report's
        self.test_customer_month_equals_sale_report()

    def test_product_facts_kept_by_difference(self):
        """A price change queues the line's figures before (-) and after (+) it; the job
        adds them to the product facts without reading the other lines of the month."""
        Delta = self.env["crm.analytics.product.delta"]
        Facts = self.env["crm.analytics.product.month"]
        self.assertFalse(Delta.search([]))
        line = self.orders[0].order_line
        month = self.orders[0].date_order.date().replace(day=1)
        domain = [
            ("company_id", "=", self.company_rfm.id),
            ("product_id", "=", self.product.id),
            ("month", "=", month),
        ]
        revenue = sum(Facts.search(domain).mapped("revenue"))
        line.price_unit = 1250.0
        self.env.flush_all()
        queued = Delta.search([])
        self.assertEqual(sorted(queued.mapped("line_count")), [-1, 1])
        self.assertAlmostEqual(sum(queued.mapped("revenue")), 250.0 * line.product_uom_qty)
        self.env["crm.analytics.dirty"]._process_queue()
        self.assertFalse(Delta.search([]))
        Facts.invalidate_model()
        self.assertAlmostEqual(
            sum(Facts.search(domain).mapped("revenue")), revenue + 250.0 * line.product_uom_qty
        )
        # an order cancelled takes its rows out; a row left without lines goes
        self.orders[0]._action_cancel()
        self.orders.filtered(
            lambda order: order.date_order.date().replace(day=1) == month
        )._action_cancel()
        self.env.flush_all()
        self.env["crm.analytics.dirty"]._process_queue()
        Facts.invalidate_model()
        self.assertFalse(Facts.search(domain))

    def test_product_deleted_after_its_lines_moved(self):
        """A product whose only line moved to another product, then deleted before the
        job ran: its queued rows add up to nothing and the job applies the rest."""
        spare = self.env["product.product"].create(
            {"name": "临时维保服务", "type": "service", "list_price": 80.0}
        )
        order = self.orders[1]
        order.order_line = [
            Command.create({"product_id": spare.id, "product_uom_qty": 1, "price_unit": 80.0})
        ]
        self.env.flush_all()
        order.order_line.filtered(lambda line: line.product_id == spare).product_id = self.product
        self.env.flush_all()
        spare.unlink()
        self.env["crm.analytics.dirty"]._process_queue()
        incremental = self._snapshot()
        self.env["crm.analytics.dirty"]._rebuild_all()
        self.assertEqual(incremental, self._snapshot())

    def test_drill_down_to_orders(self):
        fact = self.env["crm.analytics.customer.month"].search(
            [("company_id", "=", self.company_rfm.id), ("partner_id", "=", self.champion.id)],
            limit=1,
        )
        action = fact.action_open_orders()
        orders = self.env["sale.order"].search(action["domain"])
        self.assertEqual(len(orders), fact.order_count)
        self.assertEqual(orders.partner_id.commercial_partner_id, self.champion)

    def test_other_currency_in_company_currency(self):
        """An order in euros counts in the company's dollars, converted as sale.report does."""
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create(
            {
                "name": "2020-01-01",
                "currency_id": eur.id,
                "rate": 0.5,
                "company_id": self.company_rfm.id,
            }
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR 价目表", "currency_id": eur.id, "company_id": self.company_rfm.id}
        )
        order = self._order(self.newcomer, 2)
        order.pricelist_id = pricelist
        order.order_line.price_unit = 1000.0
        order.action_confirm()
        # a month of its own, with no other order
        order.date_order -= timedelta(days=1000)
        self.env.flush_all()
        self.assertNotEqual(order.currency_rate, 1.0)
        self.env["crm.analytics.dirty"]._process_queue()
        fact = self.env["crm.analytics.customer.month"].search(
            [
                ("company_id", "=", self.company_rfm.id),
                ("partner_id", "=", self.newcomer.id),
                ("month", "=", order.date_order.date().replace(day=1)),
            ]
        )
        self.assertAlmostEqual(order.amount_untaxed, 2000.0)
        self.assertAlmostEqual(fact.revenue, 2000.0 / order.currency_rate)
        self.assertEqual(fact.currency_id, self.company_rfm.currency_id)
        self.test_customer_month_equals_sale_report()
        self.test_product_month_equals_sale_report()
