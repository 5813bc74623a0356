import random
from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models

# customer xmlid: (days between orders, busy months, quantities, days of silence at the end)
DEMO_HISTORY = {
    "crm_analytics_ext.res_partner_value_champion_demo": (30, (9, 10, 11), (2, 6), 0),
    "crm_analytics_ext.res_partner_value_loyal_demo": (60, (3, 4, 5), (1, 4), 0),
    "crm_analytics_ext.res_partner_value_quiet_demo": (45, (6, 7), (1, 3), 330),
    "crm_distributor.partner_distributor_gd_demo": (40, (1, 2, 12), (3, 10), 0),
    "crm_distributor.partner_distributor_zj_demo": (50, (4, 5, 6), (2, 8), 150),
}


class CrmAnalyticsCustomer(models.Model):
    _inherit = "crm.analytics.customer"

    @api.model
    def _demo_create_history(self):
        """Three years of confirmed orders for the demo customers (demo data only).

        Each customer buys at its own rhythm, more in its busy months; one goes
        quiet, one distributor slows down, so every lifecycle stage, season and
        channel has something to show.
        """
        rng = random.Random(2026)
        sales = self.env.ref("crm_distributor.user_sales_demo", raise_if_not_found=False)
        products = [
            self.env.ref("crm_analytics_ext.product_product_commissioning_demo"),
            self.env.ref("crm_analytics_ext.product_product_maintenance_demo"),
        ]
        today = fields.Date.context_today(self)
        dated = []
        for xmlid, (every, busy, (low, high), silence) in DEMO_HISTORY.items():
            partner = self.env.ref(xmlid, raise_if_not_found=False)
            if not partner:
                continue
            if sales:
                partner.user_id = sales
            day = today - timedelta(days=3 * 365 - rng.randint(0, every))
            while day < today - timedelta(days=silence + 5):
                quantity = rng.randint(low, high) * (2 if day.month in busy else 1)
                dated.append((partner, day, quantity, rng.choice(products)))
                day += timedelta(days=max(7, round(every * rng.uniform(0.6, 1.4))))
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": (sales or self.env.user).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": quantity,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
                for partner, _day, quantity, product in dated
            ]
        )
        orders.action_confirm()
        for order, (_partner, day, _quantity, _product) in zip(orders, dated, strict=True):
            order.date_order = datetime.combine(day, time(10, 0))
        self.env["crm.analytics.dirty"]._rebuild_all()
