from datetime import date

from odoo.tests import BaseCase

from ..tools import sell_out_check
from ..tools.serial import serial_key, split_serials
from ..tools.warranty import warranty_end, warranty_from_sell_out, warranty_status


class TestServiceTools(BaseCase):
    def test_serial_key(self):
        self.assertEqual(serial_key(" tr6-test 0001 "), "TR6TEST0001")
        self.assertEqual(serial_key("ＴＲ６"), "ＴＲ６".upper())
        self.assertEqual(serial_key(None), "")
        self.assertEqual(
            split_serials("A1\n a2 ,A3；\n\nA4;A5，A6"), ["A1", "a2", "A3；", "A4", "A5", "A6"]
        )

    def test_warranty(self):
        delivered = date(2026, 1, 10)
        self.assertEqual(
            warranty_from_sell_out(delivered, date(2026, 3, 1), 6), (date(2026, 3, 1), "sell_out")
        )
        self.assertEqual(
            warranty_from_sell_out(delivered, date(2027, 3, 1), 6),
            (date(2026, 7, 10), "sell_out_capped"),
        )
        self.assertEqual(
            warranty_from_sell_out(delivered, date(2027, 3, 1), 0), (date(2027, 3, 1), "sell_out")
        )
        self.assertEqual(warranty_end(date(2026, 1, 31), 1), date(2026, 2, 28))
        self.assertIsNone(warranty_end(None, 12))
        self.assertEqual(warranty_status(None, date(2026, 1, 1)), (False, "not_started"))
        self.assertEqual(warranty_status(date(2026, 1, 1), date(2026, 1, 1)), (True, "running"))
        self.assertEqual(warranty_status(date(2025, 12, 31), date(2026, 1, 1)), (False, "expired"))

    def test_classify(self):
        unit = {"product_id": 1, "custody_state": "distributor", "distributor_id": 7}
        classify = sell_out_check.classify_serial
        self.assertEqual(classify(None, 1, 7, True), "unknown")
        self.assertEqual(classify(unit, 2, 7, True), "wrong_product")
        self.assertEqual(classify(dict(unit, custody_state="customer"), 1, 7, True), "already_sold")
        self.assertEqual(classify(unit, 1, 7, True, seen_before=True), "already_sold")
        self.assertEqual(classify(unit, 1, 8, True), "other_distributor")
        self.assertEqual(
            classify(dict(unit, custody_state="stock"), 1, 7, True), "other_distributor"
        )
        self.assertEqual(classify(unit, 1, 7, False), "out_of_territory")
        self.assertEqual(classify(unit, 1, 7, True), "matched")
        self.assertTrue(sell_out_check.in_territory([], [], 5, 9))
        self.assertTrue(sell_out_check.in_territory([5], [], 5, 9))
        self.assertTrue(sell_out_check.in_territory([], [9], 4, 9))
        self.assertFalse(sell_out_check.in_territory([5], [], 4, 9))
