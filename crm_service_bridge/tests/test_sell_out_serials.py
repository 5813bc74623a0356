from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged, users

from .common import CrmServiceChannelCommon


@tagged("post_install", "-at_install")
class TestSellOutSerials(CrmServiceChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.units = cls._make_units(cls.robot, [f"TR6-S-{n:04d}" for n in range(1, 7)])
        cls._deliver(cls.distributor, cls.robot, cls.units[:5])
        cls.other_units = cls._make_units(cls.robot, ["TR6-X-0001"])
        cls._deliver(cls.distributor_other, cls.robot, cls.other_units)
        cls.arm_units = cls._make_units(cls.arm, ["CA3-S-0001"])
        cls._deliver(cls.distributor, cls.arm, cls.arm_units)
        cls.today = fields.Date.context_today(cls.units)

    def _sell_out(self, serials, customer=None, date=None, user=None):
        """Reported as the distributor's portal form does it (crm_distributor's
        controller writes the sell-out in sudo with the distributor set)."""
        return (
            self.env["crm.sell.out"]
            .with_user(user or self.env.user)
            .create(
                {
                    "distributor_id": self.distributor.id,
                    "partner_id": (customer or self.end_customer).id,
                    "product_id": self.robot.id,
                    "quantity": len(serials),
                    "serial_numbers": "\n".join(serials),
                    "date": date or self.today,
                }
            )
        )

    def _outcomes(self, sell_out):
        return {line.name: line.outcome for line in sell_out.serial_ids}

    @users("sv_channel")
    def test_matched_moves_to_end_customer(self):
        sell_out = self._sell_out(["tr6-s-0001", "TR6 S 0002"])
        self.assertEqual(set(sell_out.serial_ids.mapped("outcome")), {"matched"})
        units = self.units[:2].with_user(self.env.user)
        for unit in units:
            self.assertEqual(unit.custody_state, "customer")
            self.assertEqual(unit.end_customer_id, self.end_customer)
            self.assertEqual(unit.distributor_id, self.distributor, "the distributor stays known")
            self.assertEqual(unit.sell_out_date, self.today)
            self.assertEqual(unit.warranty_basis, "sell_out")
            self.assertEqual(unit.warranty_end, self.today + relativedelta(months=24))
            periods = unit.custody_ids.sorted("id")
            self.assertEqual(periods.mapped("holder_id"), self.distributor | self.end_customer)
            self.assertEqual(periods[0].date_to, self.today)
            self.assertEqual(periods[0].end_source, "sell_out")
            self.assertEqual(periods[1].sell_out_id, sell_out)
        self.assertEqual(sell_out.serial_exception_count, 0)

    def test_warranty_capped_by_policy(self):
        """Sold out 10 months after delivery, policy 6 months: warranty from delivery + 6."""
        late = self.today + relativedelta(months=10)
        self._sell_out(["TR6-S-0003"], date=late)
        unit = self.units[2]
        self.assertEqual(unit.warranty_basis, "sell_out_capped")
        self.assertEqual(unit.warranty_start, self.today + relativedelta(months=6))
        self.robot.warranty_cap_months = 12  # the product overrides the company
        self._sell_out(["TR6-S-0004"], date=late)
        self.assertEqual(self.units[3].warranty_basis, "sell_out")
        self.assertEqual(self.units[3].warranty_start, late)

    def test_each_exception(self):
        self._sell_out(["TR6-S-0005"])  # sold out once
        sell_out = self._sell_out(
            [
                "NOPE-0001",  # unknown serial
                "CA3-S-0001",  # an arm, the report says robot
                "TR6-X-0001",  # held by the other distributor (窜货)
                "TR6-S-0006",  # never shipped to this distributor
                "TR6-S-0005",  # already sold out
            ]
        )
        self.assertEqual(
            self._outcomes(sell_out),
            {
                "NOPE-0001": "unknown",
                "CA3-S-0001": "wrong_product",
                "TR6-X-0001": "other_distributor",
                "TR6-S-0006": "other_distributor",
                "TR6-S-0005": "already_sold",
            },
        )
        self.assertEqual(sell_out.serial_exception_count, 5)
        self.assertEqual(self.other_units.custody_state, "distributor", "nothing moved")
        self.assertEqual(self.other_units.distributor_id, self.distributor_other)
        far = self._sell_out(["TR6-S-0001"], customer=self.end_customer_far)
        self.assertEqual(self._outcomes(far), {"TR6-S-0001": "out_of_territory"})
        self.assertEqual(self.units[0].custody_state, "distributor")
        twice = self._sell_out(["TR6-S-0002", "tr6s0002"])
        self.assertEqual(twice.serial_ids.mapped("outcome"), ["matched", "already_sold"])

    @users("sv_channel")
    def test_channel_manager_reviews_exceptions(self):
        sell_out = self._sell_out(["NOPE-0002"]).with_user(self.env.user)
        self.assertIn(
            self.channel_manager.partner_id, sell_out.message_ids[:1].partner_ids, "notified"
        )
        action = sell_out.action_view_serial_exceptions()
        to_review = self.env["crm.sell.out.serial"].search(
            action["domain"] + [("is_exception", "=", True), ("reviewed", "=", False)]
        )
        self.assertEqual(to_review.name, "NOPE-0002")
        to_review.action_mark_reviewed()
        self.assertTrue(to_review.reviewed)

    def test_distributor_sees_its_outcomes_only(self):
        self._sell_out(["NOPE-0003", "TR6-S-0001"])
        Serial = self.env["crm.sell.out.serial"]
        mine = Serial.with_user(self.distributor_user).search([])
        self.assertEqual(set(mine.mapped("outcome")), {"unknown", "matched"})
        self.assertFalse(Serial.with_user(self.distributor_other_user).search([]))

    def test_recheck_keeps_matched(self):
        sell_out = self._sell_out(["TR6-S-0001", "NOPE-0004"])
        sell_out.serial_numbers = "TR6-S-0001\nTR6-S-0002"
        self.assertEqual(
            self._outcomes(sell_out), {"TR6-S-0001": "matched", "TR6-S-0002": "matched"}
        )

    def test_check_is_batched(self):
        """10 or 60 serials: the same number of queries to classify them."""
        self._sell_out(["ZZ-WARM-0001"])  # first call loads registry-level caches
        counts = []
        for count in (10, 60):
            serials = [f"ZZ-{count}-{n:04d}" for n in range(count)]
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._sell_out(serials)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
