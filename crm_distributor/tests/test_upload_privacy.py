import re

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from . import spreadsheet_corpus as corpus
from .common import VAT_B, UploadCommon

PROTECTED = "Already protected for another partner."
REVIEW = "Needs review by your channel manager."


@tagged("post_install", "-at_install")
class TestUploadPrivacy(UploadCommon):
    """Issue 9.2: the triage tells a distributor one neutral answer about
    records it does not own; the channel manager reads the detail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_channel = mail_new_test_user(
            cls.env,
            login="privacy_channel",
            groups="base.group_user,crm_distributor.group_channel_manager",
            name="Channel Manager",
        )
        Registration = cls.env["crm.deal.registration"]
        # B's draft and expired registrations, a direct customer, a lead.
        cls.draft_b = Registration.create(
            {"partner_name": "成都草稿测试机械有限公司", "distributor_id": cls.distributor_b.id}
        )
        cls.expired_b = Registration.create(
            {"partner_name": "武汉过期测试仪表有限公司", "distributor_id": cls.distributor_b.id}
        )
        cls.expired_b.state = "expired"
        cls.direct = cls.env["res.partner"].create(
            {"name": "南京直销测试电子有限公司", "is_company": True, "phone": "+86 25 8888 6666"}
        )
        cls.env["crm.lead"].create({"name": "线索", "partner_name": "西安线索测试科技有限公司"})

    def _rows(self):
        return [
            ["客户名称", "统一社会信用代码", "电话"],
            ["杭州远景（另一写法）", VAT_B, None],  # B's live claim (credit code)
            ["杭州远景智能制造有限公司", None, None],  # B's live claim (name)
            ["成都草稿测试机械有限公司", None, None],
            ["武汉过期测试仪表有限公司", None, None],
            ["南京直销测试电子有限公司", None, None],
            ["某公司", None, "025-88886666"],  # the direct customer's phone
            ["西安线索测试科技有限公司", None, None],
            ["全新测试客户有限公司", None, None],
        ]

    def test_neutral_answers_for_the_distributor(self):
        upload = self._upload(rows=self._rows())
        lines = upload.line_ids.with_user(self.user_a)
        by_row = {line.row_number: line for line in lines}
        self.assertEqual((by_row[2].status, by_row[2].reason), ("conflict", PROTECTED))
        self.assertEqual((by_row[3].status, by_row[3].reason), ("conflict", PROTECTED))
        self.assertEqual((by_row[9].status, by_row[9].reason), ("new", False))
        for row in range(4, 9):
            with self.subTest(row=row):
                line = by_row[row]
                self.assertIn(line.status, ("duplicate", "new"))
                if line.status == "duplicate":
                    self.assertEqual(line.reason, REVIEW)
        self.assertEqual(by_row[6].status, "duplicate")  # the direct customer, by name
        self.assertEqual(by_row[7].status, "duplicate")  # the direct customer, by phone
        readable = lines.read(["status", "reason", "partner_name"])
        text = repr(readable)
        for secret in (
            self.distributor_b.name,
            self.registration_b.name,
            "Same",
            "expired",
            "draft",
            "direct",
        ):
            self.assertNotIn(secret, text)
        self.assertFalse(re.search(r"\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}", text))
        for field in (
            "score",
            "review_detail",
            "match_model",
            "match_res_id",
            "match_protected_until",
            "match_reason_codes",
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                lines[:1].read([field])

    def test_channel_manager_sees_the_detail(self):
        upload = self._upload(rows=self._rows())
        lines = upload.line_ids.with_user(self.user_channel)
        by_row = {line.row_number: line for line in lines}
        detail = by_row[2].review_detail
        self.assertIn(self.registration_b.name, detail)
        self.assertIn(self.distributor_b.name, detail)
        self.assertIn("until", detail)
        self.assertEqual(by_row[2].score, 100)
        self.assertIn("南京直销测试电子有限公司", by_row[6].review_detail)

    def test_detail_in_the_readers_language(self):
        """The detail is composed from stored facts when it is read: a file
        triaged in the distributor's Chinese reads in the channel manager's
        language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        upload = self.Upload.with_context(lang="zh_CN")._create_from_file(
            self.distributor_a, corpus.build_xlsx(self._rows()), "registrations.xlsx"
        )
        line = upload.line_ids.filtered(lambda line: line.row_number == 2).with_user(
            self.user_channel
        )
        self.assertEqual(line.status, "conflict")
        self.assertEqual(line.reason, "已为其他合作伙伴保护。", "triaged in Chinese")
        english = line.with_context(lang="en_US").review_detail
        self.assertTrue(english.startswith("Protected by registration"), english)
        self.assertIn("until", english)
        chinese = line.with_context(lang="zh_CN").review_detail
        self.assertIn("保护至", chinese)

    def test_every_registration_row_goes_through_the_engine(self):
        """Constant work: the rows decided by a claim are matched too, so the
        time of a row does not tell what it matched (see USAGE.md)."""
        upload = self._upload(rows=self._rows())
        Line = type(self.env["crm.registration.upload.line"])
        seen = []
        original = Line._find_matches_batch

        def spy(lines, limit=5):
            seen.extend(lines.ids)
            return original(lines, limit)

        lines = upload.line_ids
        lines.write({"status": "pending"})
        try:
            Line._find_matches_batch = spy
            lines._triage()
        finally:
            Line._find_matches_batch = original
        self.assertEqual(set(seen), set(lines.ids))
