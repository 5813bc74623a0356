import re

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_distributor.tools import spreadsheet
from odoo.addons.mail.tests.common import mail_new_test_user

from . import spreadsheet_corpus as corpus
from .common_upload import UploadCommon


@tagged("post_install", "-at_install")
class TestPortalUpload(HttpCase, UploadCommon):
    def _csrf_token(self):
        page = self.url_open("/my/registrations/upload")
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def test_tour_distributor_uploads_and_confirms(self):
        before = self.env["crm.deal.registration"].search_count([])
        self.start_tour(
            "/my/registrations/upload", "crm_distributor_portal_upload", login="upload_portal_a"
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
        for lang, header in (("zh_CN", "*客户名称"), ("en_US", "*Customer name")):
            response = self.url_open(f"/my/registrations/upload/template/{lang}")
            self.assertEqual(response.status_code, 200)
            table = spreadsheet.read_table(response.content, "template.xlsx")
            self.assertEqual(table.header[0], header)

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
        self.Upload._cron_triage_queued(batch_size=100)
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
