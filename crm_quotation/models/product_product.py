from collections import defaultdict
from datetime import datetime, time

from odoo import models

OPEN_MOVE_STATES = ("waiting", "confirmed", "partially_available", "assigned")


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _get_open_move_domain(self, company, date_to=None):
        domain = [
            ("product_id", "in", self.ids),
            ("state", "in", OPEN_MOVE_STATES),
            ("company_id", "=", company.id),
        ]
        if date_to:
            domain.append(("date", "<=", datetime.combine(date_to, time.max)))
        return domain

    def _get_warehouse_availability(self, company, date_to=None, own_moves_domain=None):
        """Stock of these products per warehouse: on hand, reserved, free, forecast.

        Three aggregated queries (quants, open moves, locations) plus one for the
        moves of the caller's own orders, whatever the number of products and moves.

        :param date_to: the forecast counts the moves planned until that date
        :param own_moves_domain: moves that belong to the caller (e.g. the orders of
            an opportunity): their reservation and their demand are not held
            against the caller
        :return: ``{product id: [row, ...]}``, a row per warehouse holding or
            expecting the product: ``warehouse`` (record), ``on_hand``,
            ``reserved``, ``free``, ``forecast`` (product UoM)
        """
        if not self:
            return {}
        # sudo: the availability is shown to salespeople, who may not read quants
        quant_groups = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                domain=[
                    ("product_id", "in", self.ids),
                    ("location_id.usage", "=", "internal"),
                    ("company_id", "=", company.id),
                ],
                groupby=["product_id", "location_id"],
                aggregates=["quantity:sum", "reserved_quantity:sum"],
            )
        )
        open_domain = self._get_open_move_domain(company, date_to)
        # sudo: same as above, the forecast comes from moves salespeople need not read
        Move = self.env["stock.move"].sudo()
        move_groups = Move._read_group(
            domain=open_domain,
            groupby=["product_id", "location_id", "location_dest_id"],
            aggregates=["product_qty:sum"],
        )
        own_groups = []
        if own_moves_domain:
            own_groups = Move._read_group(
                domain=open_domain + own_moves_domain,
                groupby=["product_id", "location_id", "location_dest_id"],
                aggregates=["product_qty:sum", "quantity:sum"],
            )
        locations = (
            self.env["stock.location"]
            .sudo()
            .browse(
                {group[1].id for group in quant_groups}
                | {group[1].id for group in (*move_groups, *own_groups)}
                | {group[2].id for group in (*move_groups, *own_groups)}
            )
        )
        warehouse_of = {location.id: location.warehouse_id for location in locations}
        figures = defaultdict(lambda: defaultdict(float))
        for product, location, quantity, reserved in quant_groups:
            warehouse = warehouse_of.get(location.id)
            if warehouse:
                figures[product.id, warehouse]["on_hand"] += quantity
                figures[product.id, warehouse]["reserved"] += reserved
        for sign, groups in ((1, move_groups), (-1, own_groups)):
            for product, source, dest, quantity, *own_reserved in groups:
                from_wh = warehouse_of.get(source.id)
                to_wh = warehouse_of.get(dest.id)
                if from_wh == to_wh:
                    continue
                if to_wh:
                    figures[product.id, to_wh]["incoming"] += sign * quantity
                if from_wh:
                    figures[product.id, from_wh]["outgoing"] += sign * quantity
                    if own_reserved:
                        figures[product.id, from_wh]["reserved"] -= own_reserved[0]
        result = defaultdict(list)
        for (product_id, warehouse), values in sorted(
            figures.items(), key=lambda item: (item[0][0], item[0][1].id)
        ):
            on_hand = values["on_hand"]
            reserved = values["reserved"]
            result[product_id].append(
                {
                    "warehouse": warehouse,
                    "on_hand": on_hand,
                    "reserved": reserved,
                    "free": on_hand - reserved,
                    "forecast": on_hand + values["incoming"] - values["outgoing"],
                }
            )
        return result
