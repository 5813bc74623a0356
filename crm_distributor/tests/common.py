from odoo.fields import Command
from odoo.tests import TransactionCase

from odoo.addons.mail.tests.common import mail_new_test_user

# Valid unified social credit codes (checksums computed with stdnum.cn.uscc).
VAT_ALPHA = "91110108MA01TEX71A"
VAT_BETA = "91310115MA1KTEX82L"
VAT_GAMMA = "92420102MA4KTEX938"


class CrmDistributorCommon(TransactionCase):
    """Two distributors (A and B) with a portal user each, a channel manager,
    a salesperson, a finance reader and a product; no demo data used."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.tier = cls.env["crm.distributor.tier"].create(
            {"name": "Test Tier", "protection_days": 30, "max_open_registrations": 0}
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
