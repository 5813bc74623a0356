from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from odoo.addons.crm_service_bridge.hooks import backfill_installed_base

from .common import CrmServiceChannelCommon


@tagged("post_install", "-at_install")
class TestInstalledUnits(CrmServiceChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.units = cls._make_units(cls.robot, ["TR6-2026-0001", "TR6-2026-0002", "TR6-2026-0003"])
        cls.order, cls.picking = cls._deliver(cls.distributor, cls.robot, cls.units)
        cls.today = fields.Date.context_today(cls.units)

    def test_delivery_to_distributor_no_warranty(self):
        self.assertEqual(self.picking.state, "done")
        for unit in self.units:
            self.assertEqual(unit.custody_state, "distributor")
            self.assertEqual(unit.distributor_id, self.distributor)
            self.assertFalse(unit.end_customer_id)
            self.assertEqual(unit.first_delivery_date, self.today)
            self.assertEqual(unit.unit_sale_order_id, self.order)
            self.assertFalse(unit.warranty_start, "no warranty runs at the distributor")
            self.assertFalse(unit.under_warranty)
            period = unit.custody_ids
            self.assertEqual(len(period), 1)
            self.assertEqual(period.holder_id, self.distributor)
            self.assertEqual(period.holder_kind, "distributor")
            self.assertEqual(period.source, "delivery")
            self.assertEqual(period.picking_id, self.picking)
            self.assertFalse(period.date_to)

    def test_direct_delivery_starts_warranty(self):
        units = self._make_units(self.arm, ["CA3-D-0001", "CA3-D-0002"])
        __, picking = self._deliver(self.direct_customer, self.arm, units)
        for unit in units:
            self.assertEqual(unit.custody_state, "customer")
            self.assertEqual(unit.end_customer_id, self.direct_customer)
            self.assertEqual(unit.warranty_basis, "delivery")
            self.assertEqual(unit.warranty_start, self.today)
            self.assertEqual(unit.warranty_end, self.today + relativedelta(months=12))
            self.assertTrue(unit.under_warranty)

    def test_one_write_per_picking(self):
        """Delivering 3 or 30 serials costs the same queries for the custody update."""
        Lot = self.env["stock.lot"]
        few = self._make_units(self.arm, [f"CA3-Q-{n:04d}" for n in range(3)])
        many = self._make_units(self.arm, [f"CA3-R-{n:04d}" for n in range(30)])
        self.env.flush_all()
        warm = self._make_units(self.arm, ["CA3-W-0001"])
        warm._apply_custody_event("delivery", self.direct_customer, self.today)
        counts = []
        for lots in (few, many):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            # the custody update alone, as the picking calls it
            lots._apply_custody_event("delivery", self.direct_customer, self.today)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], "queries do not grow with the serials")
        self.assertTrue(Lot.search_count([("end_customer_id", "=", self.direct_customer.id)]) >= 33)

    def test_return_closes_the_period(self):
        unit = self.units[0]
        return_wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=self.picking.id, active_model="stock.picking"
            )
        ).save()
        return_wizard.product_return_moves[0].quantity = 1
        action = return_wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        returned.move_ids.move_line_ids.unlink()
        returned.move_ids[0].move_line_ids = [
            Command.create(
                {
                    "lot_id": unit.id,
                    "quantity": 1,
                    "product_id": self.robot.id,
                    "location_id": returned.location_id.id,
                    "location_dest_id": returned.location_dest_id.id,
                    "picking_id": returned.id,
                    "picked": True,
                }
            )
        ]
        returned.move_ids.filtered(lambda move: not move.move_line_ids).unlink()
        returned.with_user(self.stock_user).button_validate()
        self.assertEqual(unit.custody_state, "returned")
        self.assertEqual(unit.custody_ids.date_to, self.today)
        self.assertEqual(unit.custody_ids.end_source, "return")
        self.assertEqual(self.units[1].custody_state, "distributor")

    def test_one_open_period_per_unit(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(Exception), self.cr.savepoint():
            self.env["stock.lot.custody"].create(
                {
                    "lot_id": self.units[0].id,
                    "holder_id": self.distributor_other.id,
                    "holder_kind": "distributor",
                    "date_from": self.today,
                    "source": "manual",
                }
            )
            self.env.flush_all()

    @users("sv_service")
    def test_lookup_as_typed(self):
        Lot = self.env["stock.lot"]
        for typed in ("TR6-2026-0002", "tr6 2026 0002", " tr6-2026-0002 ", "2026-0002", "60002"):
            self.assertEqual(Lot._search_units_by_serial(typed), self.units[1], typed)
        self.assertIn(self.units[1], Lot._search_units_by_serial("0002"), "a short suffix")
        self.assertEqual(Lot.name_search("tr6 2026 0003")[0][0], self.units[2].id)
        self.assertFalse(Lot._search_units_by_serial("9999"))

    def test_backfill_rebuilds_custody(self):
        """The install/upgrade backfill gives what the deliveries gave."""
        units = self._make_units(self.arm, ["CA3-B-0001"])
        self._deliver(self.direct_customer, self.arm, units)
        expected = units.read(["custody_state", "end_customer_id", "warranty_end"])
        units.custody_ids.unlink()
        units.write(
            {
                "custody_state": "stock",
                "end_customer_id": False,
                "first_delivery_date": False,
                "warranty_start": False,
                "warranty_end": False,
                "serial_key": False,
            }
        )
        self.env.flush_all()
        backfill_installed_base(self.env)
        self.env.invalidate_all()
        self.assertEqual(units.read(["custody_state", "end_customer_id", "warranty_end"]), expected)
        self.assertEqual(units.serial_key, "CA3B0001")
        self.assertEqual(units.custody_ids.holder_id, self.direct_customer)
        self.assertEqual(self.units[0].custody_ids.holder_id, self.distributor, "left untouched")
        self.assertEqual(len(self.units[0].custody_ids), 1, "running it again adds nothing")
