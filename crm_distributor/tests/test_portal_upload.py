import base64
import io
import re

import lxml.html
import openpyxl

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_distributor.tools import spreadsheet
from odoo.addons.mail.tests.common import mail_new_test_user

from . import spreadsheet_corpus as corpus
from .common import UploadCommon


@tagged("post_install", "-at_install")
class TestPortalUpload(HttpCase, UploadCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ensure_zh_cn()

    def _csrf_token(self):
        page = self.url_open("/my/registrations/upload")
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _run_cron(self, batch_size=100):
        """What the cron worker does: run again while work remains."""
        for _run in range(20):
            if not self.Upload.search([("state", "=", "queued")]):
                return
            self.Upload._cron_triage_queued(batch_size=batch_size)
        self.fail("The upload cron did not finish")

    def test_hostile_file_refused_in_the_background(self):
        """The 5 KB .xls with one cell at (65535, 255): accepted by the request
        (size and type are right), refused by the background job with a clear
        message shown to the owner; no row is created."""
        self.authenticate("upload_portal_a", "upload_portal_a")
        response = self.url_open(
            "/my/registrations/upload",
            data={"csrf_token": self._csrf_token()},
            files={"upload_file": ("far.xls", corpus.build_xls_far_cell())},
        )
        self.assertEqual(response.status_code, 200)
        upload = self.Upload.search([("name", "=", "far.xls")])
        self.assertFalse(upload.is_read)
        self._run_cron()
        self.assertEqual(upload.state, "refused")
        self.assertFalse(upload.line_ids)
        self.assertIn("more than 64 columns", upload.refusal_reason)
        response = self.url_open(f"/my/registrations/upload/{upload.id}")
        self.assertIn("o_upload_refused", response.text)
        self.assertIn("more than 64 columns", response.text)
        self.assertNotIn('http-equiv="refresh"', response.text)

    def test_tour_distributor_uploads_and_confirms(self):
        before = self.env["crm.deal.registration"].search_count([])
        self.start_tour(
            "/my/registrations/upload", "crm_distributor_portal_upload", login="upload_portal_a"
        )
        upload = self.Upload.search([("name", "=", "tour_customers.csv")])
        self.assertFalse(upload.is_read)  # not parsed in the request
        self._run_cron()
        self.start_tour(
            f"/my/registrations/upload/{upload.id}",
            "crm_distributor_portal_upload_triage",
            login="upload_portal_a",
        )
        created = self.env["crm.deal.registration"].search([], order="id desc", limit=1)
        self.assertEqual(self.env["crm.deal.registration"].search_count([]), before + 1)
        self.assertEqual(created.partner_name, "巡检测试客户有限公司")
        self.assertEqual(created.distributor_id, self.distributor_a)

    def test_other_distributor_gets_404(self):
        upload_a = self._upload()
        self.authenticate("upload_portal_b", "upload_portal_b")
        for path in ("", "/export"):
            response = self.url_open(f"/my/registrations/upload/{upload_a.id}{path}")
            self.assertEqual(response.status_code, 404)
        response = self.url_open(
            f"/my/registrations/upload/{upload_a.id}/confirm",
            data={"action": "confirm", "csrf_token": self._csrf_token()},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(upload_a.line_ids.registration_id)

    def test_owner_sees_triage_and_templates(self):
        upload_a = self._upload()
        self.authenticate("upload_portal_a", "upload_portal_a")
        response = self.url_open(f"/my/registrations/upload/{upload_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("上海明远电气有限公司", response.text)
        # Empty values keep their cell: no cell shifts left (issue 13).
        tree = lxml.html.fromstring(response.content)
        columns = len(tree.xpath("//form[hasclass('o_upload_triage_form')]//thead//th"))
        rows = tree.xpath("//tr[hasclass('o_upload_line')]")
        self.assertEqual(len(rows), upload_a.row_count)
        for row in rows:
            self.assertEqual(len(row.xpath("./td")), columns)
        for lang, header in (("zh_CN", "*客户名称"), ("en_US", "*Customer name")):
            response = self.url_open(f"/my/registrations/upload/template/{lang}")
            self.assertEqual(response.status_code, 200)
            workbook = openpyxl.load_workbook(io.BytesIO(response.content))
            data, instructions, lists = workbook.worksheets
            self.assertEqual(data.cell(1, 1).value, header)
            self.assertEqual(data.max_row, 1)  # no example row on the data sheet
            self.assertEqual(
                instructions.cell(instructions.max_row, 1).value, "上海明远电气有限公司"
            )
            codes = [row[0] for row in lists.iter_rows(min_row=2, values_only=True)]
            self.assertIn("UPL-CP100", codes)
            validated = {
                str(rule.sqref).split(":")[0] for rule in data.data_validations.dataValidation
            }
            self.assertEqual(validated, {"G2", "J2"})  # province, product code
            # The template as downloaded cannot be imported by mistake.
            with self.assertRaises(spreadsheet.EmptyFileError):
                spreadsheet.read_table(
                    response.content, "template.xlsx", *self.Upload._get_import_columns()
                )
        response = self.url_open(f"/my/registrations/upload/{upload_a.id}/export")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK")
        # The owner opens the file it uploaded; another distributor cannot.
        response = self.url_open(f"/my/registrations/upload/{upload_a.id}/file")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, base64.b64decode(upload_a.file))
        self.authenticate("upload_portal_b", "upload_portal_b")
        response = self.url_open(f"/my/registrations/upload/{upload_a.id}/file")
        self.assertEqual(response.status_code, 404)

    def test_recorded_as_the_portal_user(self):
        """Issue 9.8: rows read by the cron, registrations and the digest are
        recorded as the acting portal user, not OdooBot."""
        self.authenticate("upload_portal_a", "upload_portal_a")
        self.url_open(
            "/my/registrations/upload",
            data={"csrf_token": self._csrf_token()},
            files={"upload_file": ("audit.xlsx", corpus.build_xlsx(self._rows()))},
        )
        upload = self.Upload.search([("name", "=", "audit.xlsx")])
        self.assertEqual(upload.create_uid, self.user_a)
        self._run_cron()
        self.assertEqual(upload.line_ids.create_uid, self.user_a)
        self.assertEqual(upload.line_ids.write_uid, self.user_a)
        page = self.url_open(f"/my/registrations/upload/{upload.id}")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        shown = upload.line_ids.filtered("can_submit")
        self.url_open(
            f"/my/registrations/upload/{upload.id}/confirm",
            data={
                "csrf_token": token,
                "action": "confirm",
                "shown_line_ids": [str(i) for i in shown.ids],
                "line_ids": [str(i) for i in shown.filtered("selected").ids],
            },
        )
        registrations = upload.line_ids.registration_id
        self.assertTrue(registrations)
        self.assertEqual(registrations.create_uid, self.user_a)
        digest = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.distributor_a.id)],
            order="id desc",
            limit=1,
        )
        self.assertIn("audit.xlsx", digest.body)
        self.assertEqual(digest.author_id, self.user_a.partner_id)

    def test_bad_file_message_in_portal(self):
        self.authenticate("upload_portal_a", "upload_portal_a")
        before = self._counts()
        response = self.url_open(
            "/my/registrations/upload",
            data={"csrf_token": self._csrf_token()},
            files={"upload_file": ("customers.xlsx", corpus.EXE_BYTES)},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("is really a executable file", response.text)
        self.assertEqual(self._counts(), before)

    def test_large_file_shows_progress(self):
        """Above the synchronous threshold the triage runs in the cron: the
        page shows the progress and refreshes itself until it is done."""
        self.env["ir.config_parameter"].set_param("crm_distributor.upload_sync_rows", "5")
        rows = [["客户名称"]] + [[f"进度客户{i}有限公司"] for i in range(12)]
        self.authenticate("upload_portal_a", "upload_portal_a")
        response = self.url_open(
            "/my/registrations/upload",
            data={"csrf_token": self._csrf_token()},
            files={"upload_file": ("big.xlsx", corpus.build_xlsx(rows))},
        )
        self.assertEqual(response.status_code, 200)
        upload = self.Upload.search([("name", "=", "big.xlsx")])
        self.assertEqual(upload.state, "queued")
        self.assertIn(f"/my/registrations/upload/{upload.id}", response.url)
        self.assertIn("o_upload_progress", response.text)
        self.assertIn('http-equiv="refresh"', response.text)
        self.assertFalse(upload.is_read)
        self.assertFalse(upload.line_ids)  # nothing parsed inside the request
        self._run_cron()
        response = self.url_open(f"/my/registrations/upload/{upload.id}")
        self.assertNotIn('http-equiv="refresh"', response.text)
        self.assertIn("o_upload_triage_form", response.text)

    def test_confirm_touches_only_rows_of_the_checked_upload(self):
        """Row ids posted with one's own upload that belong to another
        distributor's upload, or are not ids at all, change nothing."""
        upload_a = self._upload()
        upload_b = self._upload(distributor=self.distributor_b)
        line_b = upload_b.line_ids.filtered("can_submit")[:1]
        self.assertTrue(line_b.selected)
        selected_a = {line.id: line.selected for line in upload_a.line_ids}
        self.authenticate("upload_portal_a", "upload_portal_a")
        response = self.url_open(
            f"/my/registrations/upload/{upload_a.id}/confirm",
            data={
                "csrf_token": self._csrf_token(),
                "action": "save",
                "shown_line_ids": ["not-an-id", str(line_b.id)],
                "line_ids": ["1 OR 1=1"],
            },
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.env.invalidate_all()
        self.assertTrue(line_b.selected)
        self.assertEqual({line.id: line.selected for line in upload_a.line_ids}, selected_a)
        self.assertFalse((upload_a | upload_b).line_ids.registration_id)

    def test_internal_reader_cannot_confirm_through_the_portal(self):
        """Salespeople may read uploads in the back office; the portal routes,
        which act as the distributor (sudo), are for its own users only."""
        upload_a = self._upload()
        mail_new_test_user(
            self.env,
            login="upload_salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        self.authenticate("upload_salesman", "upload_salesman")
        for path in ("", "/export"):
            response = self.url_open(f"/my/registrations/upload/{upload_a.id}{path}")
            self.assertEqual(response.status_code, 404)
        page = self.url_open("/my")
        token = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)
        response = self.url_open(
            f"/my/registrations/upload/{upload_a.id}/confirm",
            data={"action": "confirm", "csrf_token": token},
        )
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertFalse(upload_a.line_ids.registration_id)
