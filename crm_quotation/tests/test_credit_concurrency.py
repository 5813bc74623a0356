import threading
import time

from psycopg2 import errors as pg_errors

from odoo import Command, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name


@tagged("post_install", "-at_install")
class TestCreditConcurrency(BaseCase):
    """Two orders of one customer confirmed at the same moment, in two real
    transactions: each alone is within the limit, both together are not. The
    second must see the first (it is serialised on the customer and retried, as
    the server retries a serialisation failure), so exactly one is confirmed.
    The data is committed (the transactions must see each other through
    PostgreSQL), so it is removed at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def _env(self, cr):
        return api.Environment(cr, api.SUPERUSER_ID, {})

    def _setup_data(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env.company
            policy = company.credit_control_policy
            company.credit_control_policy = "block"
            partner = env["res.partner"].create(
                {"name": "并发信用客户 (Race Credit Customer)", "is_company": True}
            )
            partner.with_company(company).credit_limit = 1000.0
            product = env["product.product"].create(
                {
                    "name": "并发服务 (Race Service)",
                    "type": "service",
                    "list_price": 600.0,
                    "taxes_id": [Command.clear()],
                }
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [Command.create({"product_id": product.id})],
                    }
                    for _n in range(2)
                ]
            )
            ids = {
                "company": company.id,
                "policy": policy,
                "partner": partner.id,
                "product": product.id,
                "orders": orders.ids,
            }
            cr.commit()  # pylint: disable=invalid-commit  # the racing cursors must see it
        return ids

    def _cleanup(self, ids):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            orders = env["sale.order"].browse(ids["orders"]).exists()
            orders.with_context(disable_cancel_warning=True)._action_cancel()
            orders.unlink()
            env["product.product"].browse(ids["product"]).unlink()
            env["res.partner"].browse(ids["partner"]).unlink()
            env["res.company"].browse(ids["company"]).credit_control_policy = ids["policy"]
            cr.commit()  # pylint: disable=invalid-commit  # remove the committed test data

    def test_parallel_confirmations_of_one_customer(self):
        ids = self._setup_data()
        self.addCleanup(self._cleanup, ids)
        barrier = threading.Barrier(2)
        outcome = {}

        def confirm(order_id):
            # like the server's retrying(): a serialisation failure is retried
            for attempt in range(3):
                try:
                    with self.registry.cursor() as cr:
                        env = self._env(cr)
                        order = env["sale.order"].browse(order_id)
                        order.read(["state"])  # open the snapshot before the race
                        if attempt == 0:
                            barrier.wait(timeout=10)
                        order.action_confirm()
                        # hold the transaction open so that the other one has to wait
                        time.sleep(0.3)
                        cr.commit()  # pylint: disable=invalid-commit  # a real transaction
                    outcome[order_id] = "confirmed"
                    return
                except pg_errors.SerializationFailure:
                    outcome.setdefault(f"retried {order_id}", 0)
                    outcome[f"retried {order_id}"] += 1
                except UserError as error:
                    outcome[order_id] = str(error)
                    return
                except Exception as error:  # noqa: BLE001  # reported by the assertion below
                    outcome[order_id] = repr(error)
                    return

        threads = [threading.Thread(target=confirm, args=(oid,)) for oid in ids["orders"]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        results = [outcome.get(order_id) for order_id in ids["orders"]]
        self.assertEqual(results.count("confirmed"), 1, outcome)
        refused = next(result for result in results if result != "confirmed")
        self.assertIn("cannot be confirmed", refused)
        self.assertTrue(
            any(str(key).startswith("retried") for key in outcome),
            f"the second confirmation waited and was retried: {outcome}",
        )
        with self.registry.cursor() as cr:
            orders = self._env(cr)["sale.order"].browse(ids["orders"])
            self.assertEqual(sorted(orders.mapped("state")), ["draft", "sale"])
