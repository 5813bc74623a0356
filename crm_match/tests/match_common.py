from odoo.tests import TransactionCase

from odoo.addons.mail.tests.common import mail_new_test_user


class MatchCommon(TransactionCase):
    """Customers written in several ways, for the matching engine and the
    customer search; no demo record is used (demo data may be present)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.user_salesman = mail_new_test_user(
            cls.env,
            login="match_salesman",
            groups="sales_team.group_sale_salesman",
            name="Match Salesman",
        )
        cls.user_other_salesman = mail_new_test_user(
            cls.env,
            login="match_other_salesman",
            groups="sales_team.group_sale_salesman",
            name="Other Salesman",
        )
        Partner = cls.env["res.partner"]
        cls.huawei = Partner.create(
            {
                "name": "深圳市华为技术有限公司",
                "is_company": True,
                "vat": "91440300708461136T",
                "email": "info@huawei-match.example",
                "phone": "0755 2878 0808",
                "website": "https://www.huawei-match.example",
            }
        )
        cls.huawei_contact = Partner.create(
            {
                "name": "李明",
                "parent_id": cls.huawei.id,
                "email": "liming@huawei-match.example",
                "mobile": "139 0000 1111",
            }
        )
        cls.huawei_homophone = Partner.create(
            {"name": "华维技术有限公司", "is_company": True, "phone": "021-5555 6666"}
        )
        cls.acme = Partner.create(
            {
                "name": "Acme Trading Co., Ltd.",
                "is_company": True,
                "email": "sales@acme-match.example",
            }
        )
        cls.beijing = Partner.create(
            {"name": "北京海淀星辉贸易有限公司", "is_company": True, "mobile": "13812345678"}
        )
        cls.lead_mine = cls.env["crm.lead"].create(
            {
                "name": "星辉贸易 服务器采购",
                "partner_name": "星辉贸易有限公司",
                "contact_name": "王芳",
                "email_from": "wangfang@xinghui-match.example",
                "user_id": cls.user_salesman.id,
            }
        )
        cls.lead_other = cls.env["crm.lead"].create(
            {
                "name": "华为 交换机",
                "partner_name": "華為技術有限公司",
                "user_id": cls.user_other_salesman.id,
            }
        )
        cls.lead_xinyuan = cls.env["crm.lead"].create(
            {
                "name": "鑫源机械 机床",
                "partner_name": "鑫源机械有限公司",
                "contact_name": "张伟",
                "phone": "010-6234 5678",
                "user_id": cls.user_salesman.id,
            }
        )
