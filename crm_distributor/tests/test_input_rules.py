import datetime

from odoo.exceptions import UserError
from odoo.tests import BaseCase, tagged

from ..tools import input_rules
from ..tools.input_rules import InputError, Rule, check_value, check_values
from .common import HEADER, UploadCommon

TODAY = datetime.date(2026, 12, 1)


@tagged("post_install", "-at_install")
class TestInputRulesModule(BaseCase):
    """tools/input_rules on its own: one rule per kind of value."""

    def _refused(self, rule, value, key, region="CN"):
        with self.assertRaises(InputError) as ctx:
            check_value(rule, value, region=region, today=TODAY)
        self.assertEqual(ctx.exception.key, key, value)

    def test_credit_code(self):
        rule = input_rules.REGISTRATION_RULES["vat"]
        self.assertEqual(
            check_value(rule, " 9133 0106-ma2h0a3j1a ", today=TODAY), "91330106MA2H0A3J1A"
        )
        self.assertFalse(check_value(rule, "", today=TODAY))
        self._refused(rule, "91330106MA2H0A3J1B", "credit_code")
        self._refused(rule, "12345", "credit_code")

    def test_phone_is_valid_not_only_possible(self):
        rule = input_rules.REGISTRATION_RULES["phone"]
        for number in ("13800138000", "+86 20 3888 1200", "021-62345678"):
            self.assertEqual(check_value(rule, number, today=TODAY), number)
        self.assertEqual(check_value(rule, "030 901820", region="DE", today=TODAY), "030 901820")
        # A possible length but no such number range: refused everywhere.
        self._refused(rule, "12345678901", "phone")
        self._refused(rule, "12", "phone")
        self._refused(rule, "not a phone", "phone")

    def test_email_one_pattern(self):
        rule = input_rules.REGISTRATION_RULES["email_from"]
        self.assertEqual(check_value(rule, " wang@example.cn ", today=TODAY), "wang@example.cn")
        for bad in ("not-an-email", "a@b", "Wang <wang@example.cn>", "a@@b.cn", "a b@c.cn"):
            self._refused(rule, bad, "email")

    def test_numbers_finite_and_in_range(self):
        amount = input_rules.REGISTRATION_RULES["expected_revenue"]
        quantity = input_rules.REGISTRATION_LINE_RULES["quantity"]
        self.assertEqual(check_value(amount, "¥1,200.50", today=TODAY), 1200.5)
        self.assertEqual(check_value(amount, 0, today=TODAY), 0)
        for value in ("nan", "NaN", "inf", "-inf", "1e309", float("nan"), float("inf")):
            self._refused(amount, value, "not_finite")
        self._refused(amount, "-1", "negative")
        self._refused(amount, -0.01, "negative")
        self._refused(amount, "1e13", "too_big")
        self._refused(amount, 10**400, "too_big")
        self._refused(amount, "12 apples", "number")
        self._refused(amount, True, "number")
        self._refused(quantity, 0, "not_positive")

    def test_dates_plausible(self):
        deadline = input_rules.REGISTRATION_RULES["date_deadline"]
        sale = input_rules.SELL_OUT_RULES["date"]
        self.assertEqual(
            check_value(sale, "2026年3月15日", today=TODAY), datetime.date(2026, 3, 15)
        )
        self._refused(sale, "1900-01-01", "date_too_old")
        self._refused(sale, datetime.date(1999, 12, 31), "date_too_old")
        self._refused(sale, "2027-01-01", "date_too_late")
        self.assertEqual(
            check_value(deadline, "2027-01-01", today=TODAY), datetime.date(2027, 1, 1)
        )
        self._refused(deadline, "2999-01-01", "date_too_late")
        self._refused(deadline, "31-31-2026", "date")

    def test_text_capped_not_truncated(self):
        name = input_rules.REGISTRATION_RULES["partner_name"]
        self._refused(name, "(" * 8000, "too_long")
        self._refused(name, "a中" * 4000, "too_long")
        self._refused(name, "   ", "required")
        self.assertEqual(check_value(name, " 上海\t明远\x00电气 ", today=TODAY), "上海 明远电气")
        for field, rule in input_rules.REGISTRATION_RULES.items():
            if rule.kind in ("text", "email", "phone", "credit_code"):
                with self.subTest(field=field):
                    self.assertTrue(rule.max_length, f"{field} has no length cap")

    def test_every_problem_reported(self):
        values, errors = check_values(
            {"partner_name": "", "email_from": "x", "phone": "1", "expected_revenue": "inf"},
            input_rules.REGISTRATION_RULES,
            today=TODAY,
        )
        self.assertEqual(set(errors), {"partner_name", "email_from", "phone", "expected_revenue"})
        self.assertEqual(values, {})
        self.assertEqual(check_value(Rule("text", max_length=3), "abc"), "abc")


@tagged("post_install", "-at_install")
class TestPrepareValuesFromInput(UploadCommon):
    """The model method that serves the portal form, upload and trade-fair rows."""

    def test_registration_input(self):
        Registration = self.env["crm.deal.registration"]
        values, errors = Registration._prepare_values_from_input(
            {
                "partner_name": " 上海明远电气有限公司 ",
                "vat": "91310000ma1fl8xq37",
                "expected_revenue": "24,000",
                "date_deadline": "2026-12-31",
                "description": "<b>x</b>",
                "lines": [{"product_id": self.product_pump.id, "quantity": "2", "price_unit": ""}],
            }
        )
        self.assertFalse(errors)
        self.assertEqual(values["partner_name"], "上海明远电气有限公司")
        self.assertEqual(values["vat"], "91310000MA1FL8XQ37")
        self.assertEqual(values["expected_revenue"], 24000)
        self.assertIn("&lt;b&gt;", str(values["description"]))
        self.assertEqual(values["line_ids"][0][2]["quantity"], 2)

    def test_bad_numbers_and_dates_name_the_field(self):
        Registration = self.env["crm.deal.registration"]
        for raw_value in ("nan", "inf", "1e309", "-5"):
            with self.subTest(value=raw_value):
                _values, errors = Registration._prepare_values_from_input(
                    {
                        "partner_name": "测试有限公司",
                        "expected_revenue": raw_value,
                        "lines": [{"product_id": self.product_pump.id, "price_unit": raw_value}],
                    }
                )
                self.assertIn("Expected Revenue", errors["expected_revenue"])
                self.assertIn("Expected Unit Price", errors["line_0"])
        _values, errors = self.env["crm.sell.out"]._prepare_values_from_input(
            {"quantity": "1", "date": "1900-01-01"}
        )
        self.assertIn("Date 1900-01-01 is not plausible", errors["date"])
        _values, errors = self.env["crm.sell.out"]._prepare_values_from_input(
            {"quantity": "inf", "date": "2026-01-01"}
        )
        self.assertIn("Quantity", errors["quantity"])

    def test_zh_cn_messages(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        Registration = self.env["crm.deal.registration"].with_context(lang="zh_CN")
        _values, errors = Registration._prepare_values_from_input(
            {"partner_name": "x", "expected_revenue": "nan"}
        )
        self.assertIn("不是有限数值", errors["expected_revenue"])

    def test_upload_rows_refused_and_nothing_written(self):
        """nan, inf, 1e309, negative prices and a sale dated 1900 in a file:
        each row invalid with every problem named, and nothing confirmed."""
        rows = [
            HEADER + ["预计金额"],
            ["甲有限公司", None, None, None, None, None, "UPL-CP100", 1, "nan", None, None, None],
            [
                "乙有限公司",
                None,
                None,
                None,
                None,
                None,
                "UPL-CP100",
                1,
                "inf",
                None,
                None,
                "1e309",
            ],
            ["丙有限公司", None, None, None, None, None, "UPL-CP100", 1, -12, None, None, None],
            [
                "深圳前海云帆科技有限公司",
                None,
                None,
                None,
                None,
                None,
                "UPL-CP100",
                1,
                None,
                "SN1",
                "1900-01-01",
                None,
            ],
            ["丁有限公司", "BAD", None, "12", "x@", None, "UPL-CP100", "0", None, None, None, "-1"],
        ]
        upload = self._upload(rows=rows)
        by_row = {line.row_number: line for line in upload.line_ids}
        self.assertEqual({line.status for line in upload.line_ids}, {"invalid"})
        self.assertIn("not a finite number", by_row[2].reason)
        self.assertIn("Expected Unit Price", by_row[2].reason)
        self.assertIn("Expected Revenue", by_row[3].reason)
        self.assertIn("cannot be negative", by_row[4].reason)
        self.assertIn("1900-01-01 is not plausible", by_row[5].reason)
        problems = by_row[6].reason.split("\n")
        self.assertEqual(len(problems), 5, problems)  # credit code, phone, e-mail, quantity, amount
        self.assertFalse(upload.line_ids.filtered("can_submit"))
        before = self._counts()
        with self.assertRaises(UserError):
            upload._confirm_lines(upload.line_ids)
        self.assertEqual(self._counts(), before)

    def test_confirmation_applies_the_same_rules(self):
        """A row that passed the triage but whose value no longer passes
        (edited meanwhile) fails at confirmation naming its row and field."""
        upload = self._upload()
        line = upload.line_ids.filtered(lambda line: line.status == "new")[:1]
        line.expected_revenue = float("inf")
        with self.assertRaisesRegex(UserError, rf"Row {line.row_number}: Expected Revenue"):
            upload._confirm_lines(line)
