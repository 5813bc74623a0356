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


class CrmServiceChannelCommon(BaseCommon):
    """A robot maker selling direct and through two distributors.

    Users are the least privileged of each role: a stock user validates the
    deliveries, a service user of the addon's group opens requests, a channel
    manager reviews sell-outs, and the distributors and the end customer use
    the portal.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.service_warranty_cap_months = 6
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_user = mail_new_test_user(
            cls.env, login="sv_stock", name="仓库 赵六", groups="stock.group_stock_user"
        )
        cls.service_user = mail_new_test_user(
            cls.env,
            login="sv_service",
            name="服务 王强",
            groups="base.group_user,crm_service_bridge.group_crm_service_bridge_user",
        )
        cls.salesman = mail_new_test_user(
            cls.env, login="sv_salesman", name="销售 张伟", groups="sales_team.group_sale_salesman"
        )
        cls.channel_manager = mail_new_test_user(
            cls.env,
            login="sv_channel",
            name="渠道 陈静",
            groups="base.group_user,crm_distributor.group_channel_manager",
        )
        cls.guangdong = cls.env.ref("base.state_cn_GD")
        cls.zhejiang = cls.env.ref("base.state_cn_ZJ")
        cls.china = cls.env.ref("base.cn")
        Partner = cls.env["res.partner"]
        cls.distributor = Partner.create(
            {
                "name": "广州华南自动化设备有限公司",
                "is_company": True,
                "is_distributor": True,
                "channel_manager_id": cls.channel_manager.id,
                "territory_state_ids": [Command.set(cls.guangdong.ids)],
            }
        )
        cls.distributor_other = Partner.create(
            {
                "name": "杭州东方机电有限公司",
                "is_company": True,
                "is_distributor": True,
                "channel_manager_id": cls.channel_manager.id,
                "territory_state_ids": [Command.set(cls.zhejiang.ids)],
            }
        )
        cls.end_customer = Partner.create(
            {
                "name": "佛山精工五金制品有限公司",
                "is_company": True,
                "state_id": cls.guangdong.id,
                "country_id": cls.china.id,
                "user_id": cls.salesman.id,
            }
        )
        cls.end_customer_far = Partner.create(
            {
                "name": "宁波远洋包装有限公司",
                "is_company": True,
                "state_id": cls.zhejiang.id,
                "country_id": cls.china.id,
            }
        )
        cls.direct_customer = Partner.create(
            {"name": "苏州直销客户机械有限公司", "is_company": True, "user_id": cls.salesman.id}
        )
        cls.distributor_user = cls._portal_user("sv_dist", "华南 刘经理", cls.distributor)
        cls.distributor_other_user = cls._portal_user(
            "sv_dist2", "东方 周经理", cls.distributor_other
        )
        cls.end_customer_user = cls._portal_user("sv_customer", "精工 孙工", cls.end_customer)
        cls.robot = cls.env["product.product"].create(
            {
                "name": "测试六轴机器人 TR-6",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "warranty_months": 24,
                "list_price": 150000.0,
            }
        )
        cls.arm = cls.env["product.product"].create(
            {
                "name": "测试协作机械臂 CA-3",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "warranty_months": 12,
            }
        )

    @classmethod
    def _portal_user(cls, login, name, company_partner):
        contact = cls.env["res.partner"].create(
            {"name": name, "parent_id": company_partner.id, "email": f"{login}@example.com"}
        )
        return mail_new_test_user(
            cls.env,
            login=login,
            name=name,
            groups="base.group_portal",
            partner_id=contact.id,
        )

    @classmethod
    def _make_units(cls, product, names):
        lots = cls.env["stock.lot"].create(
            [{"name": name, "product_id": product.id} for name in names]
        )
        for lot in lots:
            cls.env["stock.quant"]._update_available_quantity(
                product, cls.warehouse.lot_stock_id, 1.0, lot_id=lot
            )
        return lots

    @classmethod
    def _deliver(cls, partner, product, lots):
        """A confirmed sales order for ``lots``, delivered by the stock user."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": len(lots)})
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids.with_user(cls.stock_user)
        for move in picking.move_ids:
            move.move_line_ids.unlink()
            move.move_line_ids = [
                Command.create(
                    {
                        "lot_id": lot.id,
                        "quantity": 1,
                        "product_id": product.id,
                        "location_id": move.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                        "picking_id": picking.id,
                        "picked": True,
                    }
                )
                for lot in lots
            ]
        picking.button_validate()
        return order, picking
