"""The one test base of crm_distributor (issue 14.1).

CrmDistributorCommon: two distributors (A and B) with a portal user each, their
channel managers, salespeople, a finance reader and a product; no demo data.
UploadCommon: the same base with the upload fixtures (what common_upload.py
held; that module now only re-exports these names).
"""

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT, BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user

from . import spreadsheet_corpus as corpus

# Valid unified social credit codes (checksums computed with stdnum.cn.uscc).
VAT_ALPHA = "91110108MA01TEX71A"
VAT_BETA = "91310115MA1KTEX82L"
VAT_GAMMA = "92420102MA4KTEX938"
VAT_NEW = "91310000MA1FL8XQ37"
VAT_B = "91330100MA2B3C4D5N"
VAT_A = "91440300MA5F6G7H8B"


class CrmDistributorCommon(BaseCommon):
    """Two distributors (A and B) with a portal user each, a channel manager,
    a salesperson, a finance reader and a product; no demo data used."""

    @classmethod
    def default_env_context(cls):
        # The workflow notifies distributors through the chatter: keep mail on.
        return {"tracking_disable": False}

    @classmethod
    def _ensure_zh_cn(cls):
        """zh_CN active with its translations, also in a database made without
        it (odoo-bin -i crm_distributor --test-enable); rolled back with the
        test class."""
        if cls.env["res.lang"]._lang_get("zh_CN"):
            return
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "in", ("base", "web", "portal", "crm_distributor"))]
        )._update_translations("zh_CN")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier = cls.env["crm.distributor.tier"].create(
            {"name": "Test Tier", "protection_days": 30, "max_open_registrations": 50}
        )
        cls.user_channel = mail_new_test_user(
            cls.env,
            login="test_channel_manager",
            name="Test Channel Manager",
            groups="base.group_user,crm_distributor.group_channel_manager",
        )
        cls.user_channel_other = mail_new_test_user(
            cls.env,
            login="test_channel_manager_other",
            name="Other Channel Manager",
            groups="base.group_user,crm_distributor.group_channel_manager",
        )
        cls.user_sales = mail_new_test_user(
            cls.env,
            login="test_salesman",
            name="Test Salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        cls.user_finance = mail_new_test_user(
            cls.env,
            login="test_finance",
            name="Test Finance",
            groups="base.group_user,crm_distributor.group_channel_finance",
        )
        cls.distributor_a = cls._create_distributor("Test Distributor A", cls.user_channel)
        cls.distributor_b = cls._create_distributor("Test Distributor B", cls.user_channel_other)
        cls.portal_a = cls._create_portal_user(cls.distributor_a, "test_portal_a")
        cls.portal_b = cls._create_portal_user(cls.distributor_b, "test_portal_b")
        cls.product = cls.env["product.product"].create(
            {"name": "Test Inverter", "list_price": 1000.0, "sale_ok": True, "type": "consu"}
        )

    @classmethod
    def _create_distributor(cls, name, channel_manager):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "is_distributor": True,
                "distributor_tier_id": cls.tier.id,
                "channel_manager_id": channel_manager.id,
                "email": f"{name.replace(' ', '.').lower()}@example.com",
            }
        )

    @classmethod
    def _create_portal_user(cls, distributor, login):
        contact = cls.env["res.partner"].create(
            {
                "name": f"{login} contact",
                "parent_id": distributor.id,
                "email": f"{login}@example.com",
            }
        )
        return mail_new_test_user(
            cls.env,
            login=login,
            name=f"{login} contact",
            groups="base.group_portal",
            partner_id=contact.id,
            email=f"{login}@example.com",
        )

    _registration_counter = 0

    @classmethod
    def _create_registration(cls, distributor, **values):
        """A registration whose contact (e-mail, mobile) is its own, so that only
        what a test sets on purpose (name, credit code) matches others."""
        CrmDistributorCommon._registration_counter += 1
        number = CrmDistributorCommon._registration_counter
        vals = {
            "distributor_id": distributor.id,
            "partner_name": "测试客户有限公司",
            "contact_name": "王先生",
            "email_from": f"contact{number}@test-customer-{number}.example.com",
            "mobile": f"+86 138 0013 {8000 + number}",
            "expected_revenue": 20000.0,
            "line_ids": [
                Command.create({"product_id": cls.product.id, "quantity": 4, "price_unit": 5000})
            ],
        }
        vals.update(values)
        return cls.env["crm.deal.registration"].create(vals)


HEADER = [
    "客户名称",
    "统一社会信用代码",
    "联系人",
    "手机",
    "邮箱",
    "省份",
    "产品编码",
    "数量",
    "单价",
    "序列号",
    "销售日期",
]


@tagged("post_install", "-at_install")
class UploadCommon(CrmDistributorCommon):
    """The base with the upload's own distributors (A and B, without tier) and
    portal users, products, and one registration each: A's own customer and
    B's protected customer."""

    @classmethod
    def default_env_context(cls):
        return {**DISABLED_MAIL_CONTEXT, "lang": "en_US"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.distributor_a, cls.distributor_b = cls.env["res.partner"].create(
            [
                {"name": "华东机电贸易有限公司 (A)", "is_distributor": True, "is_company": True},
                {
                    "name": "Southern Pumps Distribution (B)",
                    "is_distributor": True,
                    "is_company": True,
                },
            ]
        )
        cls.user_a = mail_new_test_user(
            cls.env, login="upload_portal_a", groups="base.group_portal", name="Portal A"
        )
        cls.user_a.partner_id.parent_id = cls.distributor_a
        cls.user_b = mail_new_test_user(
            cls.env, login="upload_portal_b", groups="base.group_portal", name="Portal B"
        )
        cls.user_b.partner_id.parent_id = cls.distributor_b
        cls.product_pump, cls.product_valve = cls.env["product.product"].create(
            [
                {"name": "离心泵 CP-100", "default_code": "UPL-CP100", "list_price": 12000},
                {"name": "Valve V-20", "default_code": "UPL-V20", "list_price": 800},
            ]
        )
        Registration = cls.env["crm.deal.registration"]
        # A's customer, approved (an end customer that can receive sell-out);
        # B's customer, submitted (live: it holds the claim).
        cls.registration_a = Registration.create(
            {
                "partner_name": "深圳前海云帆科技有限公司",
                "vat": VAT_A,
                "distributor_id": cls.distributor_a.id,
            }
        )
        cls.registration_a.action_submit()
        cls.registration_a.action_approve()
        cls.registration_b = Registration.create(
            {
                "partner_name": "杭州远景智能制造有限公司",
                "vat": VAT_B,
                "distributor_id": cls.distributor_b.id,
            }
        )
        cls.registration_b.action_submit()
        cls.Upload = cls.env["crm.registration.upload"]

    @classmethod
    def _rows(cls):
        """A file exercising every triage status."""
        return [
            HEADER,
            [
                "上海明远电气有限公司",
                VAT_NEW,
                "王伟",
                "13812345678",
                "wang@mingyuan.example.cn",
                "上海",
                "UPL-CP100",
                2,
                12000,
                None,
                None,
            ],
            [
                "苏州工业园区恒通自动化有限公司",
                None,
                "陈静",
                "13900001111",
                None,
                "江苏省",
                "UPL-V20",
                10,
                800,
                None,
                None,
            ],
            [
                "深圳前海云帆科技有限公司",
                None,
                "赵磊",
                None,
                None,
                "广东",
                None,
                None,
                None,
                None,
                None,
            ],
            [
                "杭州远景（不同写法）",
                VAT_B,
                "李娜",
                None,
                None,
                "浙江",
                None,
                None,
                None,
                None,
                None,
            ],
            ["无效邮箱公司", None, "周", None, "not-an-email", None, None, None, None, None, None],
            ["未知产品公司", None, None, None, None, None, "NO-SUCH", 1, None, None, None],
            [None, None, "没有公司名", "13700000000", None, None, None, None, None, None, None],
            [
                "苏州工业园区恒通自动化有限公司",
                None,
                "陈静",
                "13900001111",
                None,
                "江苏省",
                "UPL-V20",
                10,
                800,
                None,
                None,
            ],
            [
                "深圳前海云帆科技有限公司",
                VAT_A,
                None,
                None,
                None,
                None,
                "UPL-CP100",
                2,
                None,
                "SN001, SN002",
                "2026-03-15",
            ],
            [
                "上海明远电气有限公司",
                None,
                None,
                None,
                None,
                None,
                "UPL-V20",
                1,
                None,
                "SN9",
                "2026-03-16",
            ],
        ]

    def _counts(self):
        return (
            self.Upload.search_count([]),
            self.env["crm.registration.upload.line"].search_count([]),
            self.env["crm.deal.registration"].search_count([]),
        )

    def _upload(self, rows=None, filename="registrations.xlsx", distributor=None):
        data = corpus.build_xlsx(rows or self._rows())
        return self.Upload._create_from_file(distributor or self.distributor_a, data, filename)
