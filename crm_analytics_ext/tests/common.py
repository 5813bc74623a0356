from datetime import timedelta

from odoo import Command, fields

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user


class CrmAnalyticsCommon(BaseCommon):
    """A company of its own with customers whose RFM scores and stages are known.

    The report scores customers within each company, so a fresh company keeps
    the population (and the scores) independent of demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_rfm = cls.env["res.company"].create(
            {"name": "RFM 测试公司", "currency_id": cls.env.ref("base.USD").id}
        )
        cls.manager = mail_new_test_user(
            cls.env,
            login="rfm_manager",
            name="RFM Manager",
            company_id=cls.company_rfm.id,
            company_ids=[Command.set(cls.company_rfm.ids)],
            groups="sales_team.group_sale_manager",
        )
        cls.salesman = mail_new_test_user(
            cls.env,
            login="rfm_salesman",
            name="RFM Salesman",
            company_id=cls.company_rfm.id,
            company_ids=[Command.set(cls.company_rfm.ids)],
            groups="sales_team.group_sale_salesman",
        )
        cls.channel_manager = mail_new_test_user(
            cls.env,
            login="rfm_channel",
            name="RFM Channel Manager",
            company_id=cls.company_rfm.id,
            company_ids=[Command.set(cls.company_rfm.ids)],
            groups="crm_distributor.group_channel_manager",
        )
        cls.other_salesman = mail_new_test_user(
            cls.env,
            login="rfm_other_salesman",
            name="RFM Other Salesman",
            company_id=cls.company_rfm.id,
            company_ids=[Command.set(cls.company_rfm.ids)],
            groups="sales_team.group_sale_salesman",
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "机器人维保服务",
                "type": "service",
                "list_price": 1000.0,
                "company_id": False,
            }
        )
        # the cost is per company: the margin of the RFM company uses this one
        cls.product.with_company(cls.company_rfm).standard_price = 600.0
        Partner = cls.env["res.partner"]
        cls.champion = Partner.create(
            {"name": "Tour Champion Robotics", "is_company": True, "user_id": cls.salesman.id}
        )
        cls.champion_contact = Partner.create(
            {"name": "王建国", "parent_id": cls.champion.id, "type": "contact"}
        )
        cls.lost = Partner.create({"name": "沉睡机械有限公司", "is_company": True})
        cls.newcomer = Partner.create({"name": "新锐智能装备有限公司", "is_company": True})
        cls.middle = Partner.create({"name": "恒达精密制造有限公司", "is_company": True})
        cls.regular = Partner.create({"name": "华盛自动化设备有限公司", "is_company": True})
        # partner: list of (days ago, quantity)
        history = {
            cls.champion: [(3, 10), (40, 8), (80, 6), (120, 5), (150, 5), (200, 4)],
            cls.regular: [(30, 3), (90, 3), (160, 2), (260, 2)],
            cls.middle: [(120, 2), (300, 2), (420, 1)],
            cls.newcomer: [(10, 1)],
            cls.lost: [(700, 1)],
        }
        cls.orders = cls.env["sale.order"]
        for partner, orders in history.items():
            for days, quantity in orders:
                cls.orders |= cls._confirmed_order(partner, days, quantity)
        # One order through the champion's contact: counted for the company.
        cls.orders |= cls._confirmed_order(cls.champion_contact, 60, 1)
        # A customer of the main company only: hidden from the RFM company's users.
        cls.outsider = Partner.create({"name": "Outsider Trading Ltd", "is_company": True})
        main_order = cls._order(cls.outsider, 1, company=cls.env.ref("base.main_company"))
        main_order.action_confirm()
        # Neither drafts nor cancelled orders count.
        cls.draft = cls._order(cls.lost, 50)
        cls.env.flush_all()
        # the orders were dated back after confirmation: the queue has every month
        cls.env["crm.analytics.dirty"]._process_queue()

    @classmethod
    def _order(cls, partner, quantity, company=None):
        company = company or cls.company_rfm
        return (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "user_id": cls.salesman.id if company == cls.company_rfm else False,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": quantity,
                                "price_unit": 1000.0,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )

    @classmethod
    def _confirmed_order(cls, partner, days, quantity):
        order = cls._order(partner, quantity)
        order.action_confirm()
        # confirming dates the order today: move it back into its history
        order.date_order = fields.Datetime.now() - timedelta(days=days)
        return order
