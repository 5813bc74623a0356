"""Every path that confirms an order or makes a confirmed one bigger, as a table.

The same table runs through the ORM (as the salesperson, and as automation) and
through JSON-RPC (the salesperson's web session): each path must end with the
credit policy's refusal and nothing written, unless a credit manager approved
that order for that amount.
"""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import CrmQuotationCommon


class CreditPathsCommon(CrmQuotationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_control_policy = "block"
        cls.product_92 = cls.env["product.product"].create(
            {
                "name": "传感器 92 (Sensor 92)",
                "type": "service",
                "list_price": 92.0,
                "taxes_id": [Command.clear()],
            }
        )

    def _quotation(self, qty, new_customer=True):
        """A quotation of ``qty`` x 92 for a new customer with a 1,000 limit."""
        if new_customer:
            self.small_customer = self.env["res.partner"].create(
                {
                    "name": "宁波小额客户 (Ningbo Small Customer)",
                    "is_company": True,
                    "credit_limit": 1000.0,
                }
            )
        return self._create_order(partner=self.small_customer, lines=[(self.product_92, qty)])

    def _confirmed_920(self):
        order = self._quotation(10)
        order.action_confirm()
        self.assertEqual((order.state, order.amount_total), ("sale", 920.0))
        return order

    def _approved(self, order, amount=None):
        order.with_user(self.user_credit_manager)._approve_credit("保函 (guarantee)", amount)
        return order

    # the table: (path, setup -> order, [(model, method, args(order), kwargs)])
    def _paths(self):
        def line(order):
            return order.order_line[:1].id

        return [
            (
                "action_confirm over the limit",
                lambda: self._quotation(13),
                [("sale.order", "action_confirm", lambda o: [o.ids], {})],
            ),
            (
                "write state = sale",
                lambda: self._quotation(13),
                [("sale.order", "write", lambda o: [o.ids, {"state": "sale"}], {})],
            ),
            (
                "copy of an approved quotation, confirmed",
                lambda: self._approved(self._quotation(13)),
                [
                    ("sale.order", "copy", lambda o: [o.ids], {}),
                    ("sale.order", "action_confirm", "copy", {}),
                ],
            ),
            (
                "approved quotation raised, then confirmed",
                lambda: self._approved(self._quotation(13)),
                [
                    (
                        "sale.order",
                        "write",
                        lambda o: [
                            o.ids,
                            {"order_line": [Command.update(line(o), {"product_uom_qty": 14})]},
                        ],
                        {},
                    ),
                    ("sale.order", "action_confirm", lambda o: [o.ids], {}),
                ],
            ),
            (
                "confirmed 920: quantity raised through the order (form)",
                self._confirmed_920,
                [
                    (
                        "sale.order",
                        "write",
                        lambda o: [
                            o.ids,
                            {"order_line": [Command.update(line(o), {"product_uom_qty": 50})]},
                        ],
                        {},
                    )
                ],
            ),
            (
                "confirmed 920: line added through the order (form)",
                self._confirmed_920,
                [
                    (
                        "sale.order",
                        "write",
                        lambda o: [
                            o.ids,
                            {
                                "order_line": [
                                    Command.create(
                                        {"product_id": self.product_92.id, "product_uom_qty": 40}
                                    )
                                ]
                            },
                        ],
                        {},
                    )
                ],
            ),
            (
                "confirmed 920: line quantity written",
                self._confirmed_920,
                [
                    (
                        "sale.order.line",
                        "write",
                        lambda o: [o.order_line.ids, {"product_uom_qty": 50}],
                        {},
                    )
                ],
            ),
            (
                "confirmed 920: line price written",
                self._confirmed_920,
                [
                    (
                        "sale.order.line",
                        "write",
                        lambda o: [o.order_line.ids, {"price_unit": 460.0}],
                        {},
                    )
                ],
            ),
            (
                "confirmed 920: moved to a customer with a 100 limit",
                self._confirmed_920,
                [
                    (
                        "sale.order",
                        "write",
                        lambda o: [o.ids, {"partner_id": self._tight_customer().id}],
                        {},
                    )
                ],
            ),
            (
                "confirmed 920: line created",
                self._confirmed_920,
                [
                    (
                        "sale.order.line",
                        "create",
                        lambda o: [
                            {
                                "order_id": o.id,
                                "product_id": self.product_92.id,
                                "product_uom_qty": 40,
                            }
                        ],
                        {},
                    )
                ],
            ),
            (
                "confirmed 920 approved for 920: raised to 4,600",
                lambda: self._approved(self._confirmed_920()),
                [
                    (
                        "sale.order.line",
                        "write",
                        lambda o: [o.order_line.ids, {"product_uom_qty": 50}],
                        {},
                    )
                ],
            ),
        ]

    def _tight_customer(self):
        return self.env["res.partner"].create(
            {
                "name": "温州紧额度客户 (Wenzhou Tight Customer)",
                "is_company": True,
                "credit_limit": 100,
            }
        )

    def _snapshot(self, order):
        self.env.invalidate_all()
        orders = self.env["sale.order"].sudo().search([("partner_id", "=", order.partner_id.id)])
        return {o.id: (o.state, o.amount_total) for o in orders}

    def _assert_nothing_written(self, order, before):
        after = self._snapshot(order)
        self.assertEqual({key: after.get(key) for key in before}, before, "nothing written")
        # a copy may exist, as a quotation only
        for key in set(after) - set(before):
            self.assertEqual(after[key][0], "draft")


@tagged("post_install", "-at_install")
class TestCreditPathsOrm(CreditPathsCommon):
    def _run_path(self, env, calls, order):
        copy = None
        for model, method, args, kwargs in calls:
            if args == "copy":
                records = copy.with_env(env)
                args = []
            else:
                values = args(order)
                records = (
                    env[model].browse(values[0])
                    if model != "sale.order.line" or (method != "create")
                    else env[model]
                )
                args = values[1:] if method != "create" else values
            result = getattr(records, method)(*args, **kwargs)
            if method == "copy":
                copy = result

    def test_every_path_through_the_orm_as_salesperson(self):
        env = self.env(user=self.user_salesman)
        for name, setup, calls in self._paths():
            with self.subTest(path=name):
                order = setup()
                before = self._snapshot(order)
                with self.assertRaises(UserError) as error, self.env.cr.savepoint():
                    self._run_path(env, calls, order)
                self.assertIn("credit manager", str(error.exception))
                self._assert_nothing_written(order, before)

    def test_automation_writing_state_is_checked(self):
        for code in ("record.write({'state': 'sale'})", "record.action_confirm()"):
            with self.subTest(code=code):
                order = self._quotation(13)
                action = self.env["ir.actions.server"].create(
                    {
                        "name": "自动确认 (Auto confirm)",
                        "model_id": self.env.ref("sale.model_sale_order").id,
                        "state": "code",
                        "code": code,
                    }
                )
                with self.assertRaises(UserError), self.env.cr.savepoint():
                    action.with_context(
                        active_model="sale.order", active_id=order.id, active_ids=order.ids
                    ).run()
                self.assertEqual(order.state, "draft")

    def test_form_of_a_confirmed_order(self):
        order = self._confirmed_920()
        form = Form(order.with_user(self.user_salesman))
        with form.order_line.edit(0) as line:
            line.product_uom_qty = 50
        with self.assertRaisesRegex(UserError, "cannot grow by"), self.env.cr.savepoint():
            form.save()
        order.invalidate_recordset()
        self.assertEqual(order.amount_total, 920.0)

    def test_allowed_paths(self):
        # within the limit: confirmed, and may grow while it stays within
        order = self._quotation(5).with_user(self.user_salesman)
        order.action_confirm()
        order.order_line.product_uom_qty = 10
        self.assertEqual(order.amount_total, 920.0)
        # an approval for 4,600 covers the raise to 4,600, not one more unit
        self._approved(self._confirmed_920(), amount=4600.0)
        approved = (
            self.env["sale.order"]
            .search(
                [("partner_id", "=", self.small_customer.id), ("credit_approval_amount", "=", 4600)]
            )
            .with_user(self.user_salesman)
        )
        approved.order_line.product_uom_qty = 50
        self.assertEqual(approved.amount_total, 4600.0)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            approved.order_line.product_uom_qty = 51
        # lowering is always allowed
        approved.order_line.product_uom_qty = 1
        self.assertEqual(approved.amount_total, 92.0)

    def test_warn_policy_notes_growth(self):
        self.company.credit_control_policy = "warn"
        order = self._confirmed_920()
        order.with_user(self.user_salesman).order_line.product_uom_qty = 50
        self.assertEqual(order.amount_total, 4600.0)
        self.assertIn("cannot grow by", order.message_ids[0].body)

    def test_message_says_what_to_do_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_quotation"], ["zh_CN"])
        self.user_salesman.lang = "zh_CN"
        order = self._confirmed_920().with_env(self.env(user=self.user_salesman, context={}))
        with self.assertRaisesRegex(UserError, "信用经理"), self.env.cr.savepoint():
            order.order_line.product_uom_qty = 50


@tagged("post_install", "-at_install")
class TestCreditPathsRpc(HttpCase, CreditPathsCommon):
    def _call(self, model, method, args, kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def test_every_path_through_rpc_as_salesperson(self):
        self.authenticate("cq_salesman", "cq_salesman")
        for name, setup, calls in self._paths():
            with self.subTest(path=name):
                order = setup()
                before = self._snapshot(order)
                copy_id = None
                with self.assertRaises(JsonRpcException) as error:
                    for model, method, args, kwargs in calls:
                        args = [[copy_id]] if args == "copy" else args(order)
                        result = self._call(model, method, args, kwargs)
                        if method == "copy":
                            copy_id = result[0] if isinstance(result, list) else result
                self.assertIn("UserError", str(error.exception))
                self._assert_nothing_written(order, before)
