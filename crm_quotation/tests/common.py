from datetime import timedelta

from odoo import Command, fields

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user


class CrmQuotationCommon(BaseCommon):
    """Customers, a distributor, products with stock, users and two opportunity types."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "credit_control_policy": "off",
                "credit_overdue_days": 30,
                "quotation_keep_others": False,
            }
        )
        cls.currency = cls.company.currency_id
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.user_salesman = mail_new_test_user(
            cls.env,
            login="cq_salesman",
            name="销售 张伟 (Zhang Wei)",
            groups="sales_team.group_sale_salesman",
        )
        cls.user_credit_manager = mail_new_test_user(
            cls.env,
            login="cq_credit_manager",
            name="信用经理 李娜 (Li Na)",
            groups="crm_quotation.group_credit_manager",
        )
        cls.user_finance = mail_new_test_user(
            cls.env,
            login="cq_finance",
            name="财务 赵敏 (Zhao Min)",
            groups="base.group_user,crm_quotation.group_finance_reader",
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "华东销售组 East China Team",
                "member_ids": [Command.link(cls.user_salesman.id)],
            }
        )
        cls.payment_term = cls.env["account.payment.term"].create(
            {
                "name": "30 天 (30 days)",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})
                ],
            }
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "大客户价 Key Account", "currency_id": cls.currency.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "苏州精工机械有限公司 (Suzhou Jinggong Machinery)",
                "is_company": True,
                "credit_limit": 10000.0,
                "property_payment_term_id": cls.payment_term.id,
                "property_product_pricelist": cls.pricelist.id,
            }
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "陈静", "parent_id": cls.customer.id}
        )
        cls.distributor = cls.env["res.partner"].create(
            {
                "name": "杭州恒信贸易 (Hangzhou Hengxin Trading)",
                "is_company": True,
                "is_distributor": True,
                "credit_limit": 50000.0,
            }
        )
        uom_unit = cls.env.ref("uom.product_uom_unit")
        cls.product_a = cls.env["product.product"].create(
            {
                "name": "变频器 A (Inverter A)",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "uom_id": uom_unit.id,
                "uom_po_id": uom_unit.id,
                "taxes_id": [Command.clear()],
            }
        )
        cls.product_b = cls.env["product.product"].create(
            {
                "name": "伺服电机 B (Servo B)",
                "type": "consu",
                "is_storable": True,
                "list_price": 50.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product_a, cls.warehouse.lot_stock_id, 20.0
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product_b, cls.warehouse.lot_stock_id, 5.0
        )
        cls.type_project = cls._create_type(
            "测试项目型 Test Project",
            [("Qualification", 10), ("Proposal", 50), ("Negotiation", 80), ("Won", 0)],
        )
        cls.type_repeat = cls._create_type(
            "测试复购 Test Repeat", [("Request", 40), ("Proposal", 70), ("Won", 0)]
        )

    @classmethod
    def _create_type(cls, name, stages):
        opportunity_type = cls.env["crm.opportunity.type"].create({"name": name})
        for sequence, (stage_name, probability) in enumerate(stages, start=500):
            cls.env["crm.stage"].create(
                {
                    "name": stage_name,
                    "sequence": sequence,
                    "default_probability": probability,
                    "is_won": stage_name == "Won",
                    "opportunity_type_ids": [Command.link(opportunity_type.id)],
                }
            )
        return opportunity_type

    @classmethod
    def _create_opportunity(cls, partner=None, lines=(), **values):
        values = {
            "name": "测试商机 Test Opportunity",
            "type": "opportunity",
            "partner_id": (partner or cls.customer).id,
            "user_id": cls.user_salesman.id,
            "team_id": cls.team.id,
            "line_ids": [
                Command.create({"product_id": product.id, "product_uom_qty": qty})
                for product, qty in lines
            ],
            **values,
        }
        return cls.env["crm.lead"].create(values)

    @classmethod
    def _create_order(cls, partner=None, lines=((None, 1.0),), **values):
        return cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "user_id": cls.user_salesman.id,
                # the company's own pricelist, whatever the database's default
                # pricelist is (demo data may switch currencies)
                "pricelist_id": cls.pricelist.id,
                "order_line": [
                    Command.create(
                        {"product_id": (product or cls.product_a).id, "product_uom_qty": qty}
                    )
                    for product, qty in lines
                ],
                **values,
            }
        )

    @classmethod
    def _post_invoice(cls, partner, amount, days_ago=0, move_type="out_invoice"):
        date = fields.Date.today() - timedelta(days=days_ago)
        invoice = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": date,
                "invoice_date_due": date,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product_a.id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    @classmethod
    def _bulk_create_orders(cls, partner, count, amount=10.0, days_back=400):
        """Confirmed, not invoiced orders written with the ORM's low-level ``_create``.

        Every stored field the credit and history figures read is given; all
        fields are protected, so nothing is recomputed: 10,000 orders in seconds.
        """
        SaleOrder = cls.env["sale.order"]
        SaleLine = cls.env["sale.order.line"]
        now = fields.Datetime.now()
        order_data = []
        for index in range(count):
            order_data.append(
                {
                    "stored": {
                        "name": f"BULK/{partner.id}/{index:05d}",
                        "partner_id": partner.id,
                        "partner_invoice_id": partner.id,
                        "partner_shipping_id": partner.id,
                        "company_id": cls.company.id,
                        "currency_id": cls.currency.id,
                        "state": "sale",
                        "date_order": now - timedelta(days=index % days_back),
                        "amount_untaxed": amount,
                        "amount_tax": 0.0,
                        "amount_total": amount,
                        "invoice_status": "to invoice",
                        "picking_policy": "direct",
                    },
                    "inherited": {},
                    "inversed": {},
                    "protected": set(SaleOrder._fields.values()),
                }
            )
        orders = SaleOrder._create(order_data)
        line_data = [
            {
                "stored": {
                    "order_id": order.id,
                    "name": cls.product_a.name,
                    "product_id": cls.product_a.id,
                    "product_uom": cls.product_a.uom_id.id,
                    "product_uom_qty": 1.0,
                    "price_unit": amount,
                    "price_subtotal": amount,
                    "price_total": amount,
                    "qty_invoiced": 0.0,
                    "customer_lead": 0.0,
                    "state": "sale",
                    "company_id": cls.company.id,
                    "currency_id": cls.currency.id,
                    "order_partner_id": partner.id,
                },
                "inherited": {},
                "inversed": {},
                "protected": set(SaleLine._fields.values()),
            }
            for order in orders
        ]
        # the orders already hold their totals: protect them from the lines' triggers
        with cls.env.protecting(list(SaleOrder._fields.values()), orders):
            SaleLine._create(line_data)
            cls.env.flush_all()
        cls.env.invalidate_all()
        return orders
