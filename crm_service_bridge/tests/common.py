from odoo import Command

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user


class CrmServiceBridgeCommon(BaseCommon):
    """A customer plant that received two serial-numbered robots and a cable."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.salesman = mail_new_test_user(
            cls.env, login="sb_salesman", name="销售 张伟", groups="sales_team.group_sale_salesman"
        )
        cls.salesman_2 = mail_new_test_user(
            cls.env,
            login="sb_salesman_2",
            name="销售 李敏",
            groups="sales_team.group_sale_salesman",
        )
        cls.service_user = mail_new_test_user(
            cls.env,
            login="sb_service",
            name="服务 王强",
            groups="base.group_user,crm_service_bridge.group_crm_service_bridge_user",
        )
        Product = cls.env["product.product"]
        cls.robot = Product.create(
            {
                "name": "测试六轴机器人 TR-6",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "warranty_months": 24,
                "list_price": 150000.0,
            }
        )
        cls.cable = Product.create(
            {"name": "测试电缆", "type": "consu", "is_storable": True, "list_price": 300.0}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "测试客户工厂有限公司", "is_company": True}
        )
        cls.customer_site = cls.env["res.partner"].create(
            {"name": "二号厂区", "parent_id": cls.customer.id, "type": "delivery"}
        )
        cls.lots = cls.env["stock.lot"].create(
            [
                {"name": "TR6-TEST-0001", "product_id": cls.robot.id},
                {"name": "TR6-TEST-0002", "product_id": cls.robot.id},
            ]
        )
        Quant = cls.env["stock.quant"]
        for lot in cls.lots:
            Quant._update_available_quantity(cls.robot, cls.warehouse.lot_stock_id, 1.0, lot_id=lot)
        Quant._update_available_quantity(cls.cable, cls.warehouse.lot_stock_id, 10.0)
        cls.order = cls._order(robots=2, cables=1)
        cls.order.action_confirm()
        cls.delivery = cls.order.picking_ids
        cls.delivery.button_validate()

    @classmethod
    def _order(cls, robots=0, cables=0):
        lines = []
        if robots:
            lines.append(Command.create({"product_id": cls.robot.id, "product_uom_qty": robots}))
        if cables:
            lines.append(Command.create({"product_id": cls.cable.id, "product_uom_qty": cables}))
        return cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "partner_shipping_id": cls.customer_site.id,
                "order_line": lines,
            }
        )
