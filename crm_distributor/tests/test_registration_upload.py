import io

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.crm_registration_upload import TEMPLATE_KEYS
from . import spreadsheet_corpus as corpus
from .common import HEADER, VAT_NEW, UploadCommon


@tagged("post_install", "-at_install")
class TestRegistrationUpload(UploadCommon):
    def test_bad_files_write_nothing(self):
        good = corpus.build_xlsx(self._rows())
        cases = [
            (corpus.EXE_BYTES, "customers.xlsx", "is really a executable file"),
            (corpus.HTML_BYTES, "customers.xlsx", "is really a HTML file"),
            (corpus.build_docx(), "customers.xlsx", "is really a Word file"),
            (corpus.corrupt_zip(good), "customers.xlsx", "is damaged"),
            (corpus.build_encrypted_xlsx(), "customers.xlsx", "protected by a password"),
            (corpus.build_encrypted_xls(self._rows()), "customers.xls", "protected by a password"),
            (corpus.build_xlsx([["联系人"], ["王伟"]]), "c.xlsx", "Required columns are missing"),
            (corpus.build_xlsx([HEADER]), "c.xlsx", "holds no data rows"),
            (corpus.EXE_BYTES, "setup.exe", "This file type is not supported"),
            (b"\x81\x30\xff\xfe\xfd", "c.csv", "neither UTF-8 nor GB18030"),
        ]
        before = self._counts()
        for data, filename, message in cases:
            with self.subTest(filename=filename, message=message):
                with self.assertRaises(UserError) as ctx:
                    self.Upload._create_from_file(self.distributor_a, data, filename)
                self.assertIn(message, ctx.exception.args[0])
                self.assertEqual(self._counts(), before)

    def test_row_limit_from_parameter(self):
        self.env["ir.config_parameter"].set_param("crm_distributor.upload_row_limit", "5")
        before = self._counts()
        with self.assertRaises(UserError) as ctx:
            self._upload()
        self.assertIn("more than 5 data rows", ctx.exception.args[0])
        self.assertEqual(self._counts(), before)

    def test_phantom_dimension_and_formula(self):
        rows = [
            ["客户名称", "数量", "单价", "预计金额"],
            ["公式客户有限公司", 3, 100, {"f": "B2*C2", "v": 300}],
        ]
        upload = self.Upload._create_from_file(
            self.distributor_a, corpus.build_xlsx(rows, dimension="A1:Z1000000"), "f.xlsx"
        )
        self.assertEqual(upload.row_count, 1)
        self.assertEqual(upload.line_ids.expected_revenue, 300)

    def test_triage_statuses(self):
        upload = self._upload()
        self.assertEqual(upload.state, "triaged")
        by_row = {line.row_number: line for line in upload.line_ids}
        self.assertEqual(
            [by_row[n].status for n in range(2, 10)],
            ["new", "new", "mine", "conflict", "invalid", "invalid", "invalid", "invalid"],
        )
        conflict = by_row[5]
        self.assertEqual(conflict.reason, "Already protected for another partner.")
        self.assertNotIn(self.distributor_b.name, conflict.reason)
        self.assertIn("not-an-email", by_row[6].reason)
        self.assertIn("NO-SUCH", by_row[7].reason)
        self.assertEqual(by_row[8].reason, "End Customer is required.")
        self.assertEqual(by_row[9].reason, "Same row as row 3 of this file.")
        new = by_row[2]
        self.assertTrue(new.selected)
        self.assertEqual(new.product_id, self.product_pump)
        self.assertEqual(new.state_id, self.env.ref("base.state_cn_SH"))
        self.assertEqual(by_row[3].state_id, self.env.ref("base.state_cn_JS"))
        sell_out = by_row[10]
        self.assertEqual(sell_out.kind, "sell_out")
        self.assertEqual(sell_out.serial_numbers, "SN001, SN002")
        self.assertEqual(str(sell_out.sale_date), "2026-03-15")
        self.assertEqual(sell_out.end_customer_registration_id, self.registration_a)
        self.assertEqual(by_row[11].kind, "sell_out")
        self.assertIn("not one of your approved end customers", by_row[11].reason)
        self.assertEqual(
            (upload.count_new, upload.count_mine, upload.count_conflict, upload.count_invalid),
            (3, 1, 1, 5),
        )

    def test_confirm_creates_selected_rows(self):
        upload = self._upload()
        new_lines = upload.line_ids.filtered(lambda line: line.status == "new")
        before = self.env["crm.deal.registration"].search_count([])
        registrations = upload._confirm_lines()
        self.assertEqual(len(registrations), 2)
        self.assertEqual(self.env["crm.deal.registration"].search_count([]), before + 2)
        self.assertEqual(new_lines.registration_id, registrations)
        self.assertEqual(set(registrations.mapped("state")), {"submitted"})
        self.assertEqual(registrations.distributor_id, self.distributor_a)
        first = registrations.filtered(lambda r: r.vat == VAT_NEW)
        self.assertEqual(first.line_ids.product_id, self.product_pump)
        self.assertEqual(first.line_ids.quantity, 2)
        self.assertEqual(upload.state, "done")
        self.assertEqual(upload.count_submitted, 3)
        sell_out = upload.line_ids.filtered(lambda line: line.kind == "sell_out").sell_out_id
        self.assertEqual(len(sell_out), 1)
        self.assertEqual(sell_out.partner_id, self.registration_a.partner_id)
        self.assertEqual(sell_out.distributor_id, self.distributor_a)
        self.assertEqual(sell_out.product_id, self.product_pump)
        self.assertEqual(sell_out.quantity, 2)
        self.assertEqual(sell_out.serial_numbers, "SN001\nSN002")
        self.assertEqual(str(sell_out.date), "2026-03-15")

    def test_confirm_refuses_non_submittable_row(self):
        upload = self._upload()
        conflict = upload.line_ids.filtered(lambda line: line.status == "conflict")
        before = self._counts()
        with self.assertRaises(UserError):
            upload._confirm_lines(conflict | upload.line_ids.filtered("selected"))
        self.assertEqual(self._counts(), before)
        self.assertEqual(upload.state, "triaged")

    def test_reupload_same_file_creates_nothing_twice(self):
        self._upload()._confirm_lines()
        before = self.env["crm.deal.registration"].search_count([])
        again = self._upload(filename="registrations (copy).xlsx")
        statuses = {line.row_number: line.status for line in again.line_ids}
        self.assertEqual(statuses[2], "mine")
        self.assertEqual(statuses[3], "mine")
        self.assertEqual(statuses[10], "mine")
        self.assertFalse(again.line_ids.filtered("can_submit"))
        with self.assertRaises(UserError):
            again._confirm_lines()
        self.assertEqual(self.env["crm.deal.registration"].search_count([]), before)

    def test_confirm_is_all_or_nothing(self):
        """Two uploads of the same rows triaged before either is confirmed:
        the second confirmation hits an already-submitted row and creates
        none of its rows, not even the one only it holds."""
        first = self._upload()
        rows = self._rows() + [
            ["独有客户有限公司", None, "孙", None, None, None, None, None, None, None, None]
        ]
        second = self._upload(rows=rows, filename="second.xlsx")
        self.assertEqual(second.count_new, 4)
        first._confirm_lines()
        before = self._counts()
        # The unique index refuses the row (PostgreSQL logs the refused query).
        with self.assertRaises(UserError) as ctx, mute_logger("odoo.sql_db"):
            second._confirm_lines()
        self.assertIn("Nothing was submitted", ctx.exception.args[0])
        self.assertEqual(self._counts(), before)
        self.assertFalse(second.line_ids.registration_id)
        self.assertEqual(second.state, "triaged")

    def test_large_upload_runs_in_cron(self):
        self.env["ir.config_parameter"].set_param("crm_distributor.upload_sync_rows", "5")
        cron = self.env.ref("crm_distributor.ir_cron_registration_upload_triage")
        rows = [HEADER] + [[f"批量客户{i}有限公司"] for i in range(12)]
        upload = self._upload(rows=rows)
        self.assertEqual(upload.state, "queued")
        self.assertEqual(upload.count_pending, 12)
        self.assertEqual(upload.progress, 0)
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        self.Upload._cron_triage_queued(batch_size=5)
        upload.invalidate_recordset()
        self.assertEqual(upload.count_pending, 7)
        self.assertEqual(upload.progress, 41)
        self.Upload._cron_triage_queued(batch_size=5)
        self.Upload._cron_triage_queued(batch_size=5)
        upload.invalidate_recordset()
        self.assertEqual(upload.state, "triaged")
        self.assertEqual(upload.count_new, 12)

    def test_possible_duplicate_with_score_and_reason(self):
        """A homophone of an existing customer is a possible duplicate, shown
        with its score and reason, not selected by default, still submittable."""
        self.env["res.partner"].create({"name": "杭州华盛科技有限公司", "is_company": True})
        rows = [["客户名称", "联系人"], ["杭州华胜科技有限公司", "吴"]]
        upload = self.Upload._create_from_file(
            self.distributor_a, corpus.build_xlsx(rows), "dup.xlsx"
        )
        line = upload.line_ids
        self.assertEqual(line.status, "duplicate")
        self.assertGreater(line.score, 0)
        self.assertEqual(line.reason, "Needs review by your channel manager.")
        self.assertIn("Same pinyin, different characters", line.review_detail)
        self.assertFalse(line.selected)
        self.assertTrue(line.can_submit)
        registration = upload._confirm_lines(line)
        self.assertEqual(registration.partner_name, "杭州华胜科技有限公司")

    def test_batch_matching_equals_engine(self):
        """The triage's batched look-up gives what find_matches gives, row by row."""
        self.env["res.partner"].create(
            [
                {"name": "杭州华盛科技有限公司", "is_company": True, "phone": "+86 571 8888 1234"},
                {
                    "name": "Acme Industrial Pumps Ltd",
                    "is_company": True,
                    "email": "sales@acme-pumps.example.com",
                },
            ]
        )
        rows = [
            ["客户名称", "统一社会信用代码", "联系人", "电话", "邮箱"],
            ["杭州华胜科技有限公司", None, "吴", None, None],
            ["浙江华盛科技集团", None, None, "0571-88881234", None],
            ["Acme Industrial Pump Co.", None, None, None, None],
            ["Other Name Ltd", None, None, None, "sales@acme-pumps.example.com"],
            ["深圳前海云帆科技", None, None, None, None],
            ["全新的公司", None, "郑", None, None],
        ]
        upload = self.Upload._create_from_file(
            self.distributor_a, corpus.build_xlsx(rows), "m.xlsx"
        )
        lines = upload.line_ids
        batch = lines._find_matches_batch()
        for line in lines:
            with self.subTest(row=line.row_number):
                self.assertEqual(batch[line.id], line._find_matches())
        self.assertTrue(any(batch[line.id] for line in lines))

    def test_html_is_stored_as_text(self):
        rows = [["客户名称", "备注"], ["<b>加粗</b>有限公司", "<script>alert('x')</script>"]]
        upload = self.Upload._create_from_file(
            self.distributor_a, corpus.build_xlsx(rows), "h.xlsx"
        )
        registration = upload._confirm_lines()
        self.assertEqual(registration.partner_name, "<b>加粗</b>有限公司")
        self.assertIn("&lt;script&gt;", str(registration.description))
        self.assertNotIn("<script>", str(registration.description))

    def _export_rows(self, upload):
        workbook = openpyxl.load_workbook(io.BytesIO(upload._export_triage()))
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]

    def test_export_neutralises_formulas(self):
        rows = [["客户名称"], ['=HYPERLINK("http://evil")'], ["@SUM(1)"]]
        upload = self.Upload._create_from_file(
            self.distributor_a, corpus.build_xlsx(rows), "x.xlsx"
        )
        cells = [cell for row in self._export_rows(upload) for cell in row]
        self.assertIn('\'=HYPERLINK("http://evil")', cells)
        self.assertIn("'@SUM(1)", cells)

    def test_export_has_the_template_columns_and_can_be_uploaded_again(self):
        """Issue 13: every template column, the cells as read (the refused
        values too), empty cells (never False), the triage at the end; the
        export uploads again as it is."""
        upload = self._upload()
        exported = self._export_rows(upload)
        header = exported[0]
        self.assertEqual(header[: len(TEMPLATE_KEYS)], self.Upload._get_template_header())
        self.assertEqual(header[len(TEMPLATE_KEYS) :], ["Row", "Status", "Reason"])
        self.assertNotIn("False", [str(cell) for row in exported for cell in row])
        by_row = {row[len(TEMPLATE_KEYS)]: row for row in exported[1:]}
        email = TEMPLATE_KEYS.index("email")
        self.assertEqual(by_row[6][email], "not-an-email")  # the refused value, to correct
        self.assertIsNone(by_row[4][TEMPLATE_KEYS.index("vat")])
        again = self.Upload._create_from_file(
            self.distributor_a, upload._export_triage(), "corrected.xlsx"
        )
        self.assertEqual(again.row_count, upload.row_count)
        self.assertEqual(
            {line.row_number: line.partner_name for line in again.line_ids if line.partner_name},
            {line.row_number: line.partner_name for line in upload.line_ids if line.partner_name},
        )

    def test_every_problem_of_a_row_is_listed(self):
        rows = [
            ["客户名称", "统一社会信用代码", "手机", "邮箱", "产品编码", "数量"],
            ["多错有限公司", "BAD", "12", "x@", "NO-SUCH", "-1"],
        ]
        upload = self._upload(rows=rows)
        problems = upload.line_ids.reason.split("\n")
        self.assertEqual(len(problems), 5, problems)
        for needle in ("Credit Code", "Mobile", "Email", "Quantity", "NO-SUCH"):
            self.assertTrue(any(needle in problem for problem in problems), needle)

    def test_actions_return_actions(self):
        """An action_* returns an action; the business methods return records
        or bytes (issue 14.11)."""
        upload = self._upload()
        action = upload.action_export_triage()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/")[-1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual(attachment.raw[:2], b"PK")
        action = upload.action_confirm()
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(upload.state, "done")

    def test_distributor_access(self):
        upload_a = self._upload()
        upload_b = self._upload(distributor=self.distributor_b, filename="b.xlsx")
        Upload_as_a = self.Upload.with_user(self.user_a)
        self.assertEqual(Upload_as_a.search([]), upload_a)
        self.assertEqual(
            self.env["crm.registration.upload.line"].with_user(self.user_a).search([]),
            upload_a.line_ids,
        )
        with self.assertRaises(AccessError):
            upload_b.with_user(self.user_a).read(["name"])
        with self.assertRaises(AccessError):
            upload_b.line_ids[:1].with_user(self.user_a).read(["partner_name"])
        with self.assertRaises(AccessError):
            upload_a.with_user(self.user_a).write({"state": "done"})
        with self.assertRaises(AccessError):
            self.Upload.with_user(self.user_a).create(
                {"name": "x", "distributor_id": self.distributor_a.id}
            )

    def test_non_distributor_cannot_upload(self):
        customer = self.env["res.partner"].create({"name": "Not a distributor"})
        before = self._counts()
        with self.assertRaises(UserError):
            self._upload(distributor=customer)
        self.assertEqual(self._counts(), before)

    def test_batched_submit_matches_the_single_record_path(self):
        """The confirmation's batched matching gives, registration by
        registration, what the single-record _find_matches gives."""
        self.env["res.partner"].create(
            {"name": "杭州华盛科技有限公司", "is_company": True, "phone": "+86 571 8888 1234"}
        )
        rows = [
            ["客户名称", "电话"],
            ["杭州华胜科技有限公司", None],
            ["浙江华盛科技集团", "0571-88881234"],
            ["全新的批量公司", None],
        ]
        upload = self.Upload._create_from_file(
            self.distributor_a, corpus.build_xlsx(rows), "batch.xlsx"
        )
        registrations = upload._confirm_lines(upload.line_ids.filtered("can_submit"))
        self.assertEqual(len(registrations), 3)
        self.assertEqual(set(registrations.mapped("state")), {"submitted"})
        batch = registrations._get_matches_batch()
        for registration in registrations:
            with self.subTest(registration=registration.partner_name):
                self.assertEqual(batch[registration.id], registration._find_matches())
                # Submitted together, the rows of one upload were not yet live
                # for each other: their matches are the others'.
                self.assertEqual(
                    sorted(registration.match_ids.mapped("res_id")),
                    sorted(
                        match["res_id"]
                        for match in batch[registration.id]
                        if not (
                            match["model"] == "crm.deal.registration"
                            and match["res_id"] in registrations.ids
                        )
                    ),
                )
        self.assertEqual(len(set(registrations.mapped("name"))), 3)
        self.assertNotIn("/", registrations.mapped("name"))

    def test_triage_and_submission_decide_alike(self):
        """A name shared by many unheld customers and one live registration of
        another distributor further down the ranking: the row is triaged as
        protected, as submitting it would find (one lookup for both), not
        "needs review" and then refused at confirmation."""
        name = "宁波润誉信息技术有限公司"
        self.env["res.partner"].create(
            [{"name": name, "is_company": True, "city": city} for city in "ABCDEFGH"]
        )
        other = self.env["crm.deal.registration"].create(
            {"partner_name": name, "distributor_id": self.distributor_b.id}
        )
        other.action_submit()
        self.assertFalse(other.is_conflict)
        row = [name, None, "罗静", None, None, None, None, None, None, None, None]
        upload = self._upload([HEADER, row])
        line = upload.line_ids
        self.assertEqual(line.status, "conflict", line.review_detail)
        self.assertEqual(
            line._find_matches(),
            self.env["crm.deal.registration"]._find_live_matches({0: line._get_match_values()})[0],
        )

    def test_customer_twice_in_a_file_is_submitted_once(self):
        """Two rows of one customer: the second is
        "already in this file" at triage, so the confirmation, which would
        refuse its claim, submits the first alone."""
        first = [
            "腾凯化工(北京)有限公司",
            None,
            "孙明",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ]
        second = [
            "腾凯化工（北京）有限公司",
            None,
            "李强",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ]
        upload = self._upload([HEADER, first, second])
        line_1, line_2 = upload.line_ids.sorted("row_number")
        self.assertIn(line_1.status, ("new", "duplicate"))
        self.assertEqual(line_2.status, "mine")
        self.assertIn(str(line_1.row_number), line_2.reason)
        self.assertFalse(line_2.can_submit)
        registrations = upload._confirm_lines(upload.line_ids.filtered("can_submit"))
        self.assertEqual(registrations, line_1.registration_id)
        self.assertFalse(registrations.is_conflict)

    def test_confirmation_queries_do_not_grow_per_row(self):
        """Confirming is batched (issue 14.4): a few more rows cost a few more
        queries in all, not several per row (the engine still names each
        match with one query per row)."""

        def confirm(count, tag):
            rows = [["客户名称"]] + [[f"查询计数{tag}客户{i}有限公司"] for i in range(count)]
            upload = self.Upload._create_from_file(
                self.distributor_a, corpus.build_xlsx(rows), f"q{tag}.xlsx"
            )
            lines = upload.line_ids.filtered("can_submit")
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            upload._confirm_lines(lines)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        small = confirm(2, "甲")
        large = confirm(12, "乙")
        self.assertLessEqual(large - small, 10 * 2, (small, large))
