from odoo import api, fields, models

from ..tools import sell_out_check
from ..tools.serial import serial_key

OUTCOMES = [
    (sell_out_check.MATCHED, "Matched"),
    (sell_out_check.UNKNOWN, "Unknown serial"),
    (sell_out_check.WRONG_PRODUCT, "Wrong product"),
    (sell_out_check.OTHER_DISTRIBUTOR, "Not delivered to this distributor"),
    (sell_out_check.ALREADY_SOLD, "Already sold out"),
    (sell_out_check.OUT_OF_TERRITORY, "Outside the distributor's territory"),
]


class CrmSellOutSerial(models.Model):
    """One serial named in a distributor's sell-out, and what the check found."""

    _name = "crm.sell.out.serial"
    _description = "Sell-out Serial"
    _order = "sell_out_id desc, sequence, id"
    _check_company_auto = True

    sell_out_id = fields.Many2one(
        comodel_name="crm.sell.out",
        string="Sell-out",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(
        string="Serial as Reported",
        required=True,
    )
    serial_key = fields.Char(
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="sell_out_id.company_id",
        store=True,
        index=True,
    )
    distributor_id = fields.Many2one(
        related="sell_out_id.distributor_id",
        store=True,
        index=True,
    )
    partner_id = fields.Many2one(
        related="sell_out_id.partner_id",
        string="End Customer",
    )
    product_id = fields.Many2one(
        related="sell_out_id.product_id",
    )
    # no check_company: the unit is looked up in the sell-out's company already,
    # and checking it again line by line costs seconds on a 10,000-serial report
    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Unit",
        index="btree_not_null",
        readonly=True,
    )
    outcome = fields.Selection(
        selection=OUTCOMES,
        index=True,
        readonly=True,
    )
    is_exception = fields.Boolean(
        compute="_compute_is_exception",
        store=True,
        index=True,
    )
    reviewed = fields.Boolean(
        help="The channel manager has dealt with this exception.",
    )

    @api.depends("outcome")
    def _compute_is_exception(self):
        for line in self:
            line.is_exception = line.outcome in sell_out_check.EXCEPTIONS

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "serial_key" not in vals:
                vals["serial_key"] = serial_key(vals.get("name"))
        return super().create(vals_list)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_units_by_key(self, keys, companies):
        """``{serial key: unit}`` for all ``keys``: one query."""
        if not keys:
            return {}
        # sudo: distributors (portal) report serials of units they cannot read;
        # only the product, holder and state are read, to classify the line
        units = (
            self.env["stock.lot"]
            .sudo()
            .search_fetch(
                [
                    ("serial_key", "in", list(keys)),
                    ("company_id", "in", companies.ids + [False]),
                ],
                ["serial_key", "product_id", "custody_state", "distributor_id"],
            )
        )
        return {unit.serial_key: unit for unit in units}

    @api.model
    def _prepare_checked_lines(self, reported):
        """Values of the lines for ``reported`` = ``[(sell_out, serial as typed)]``.

        All the serials are looked up at once, then each is classified by
        ``tools.sell_out_check``; the values carry the outcome and the unit, so
        the lines are created in one ``create`` with nothing left to write.
        """
        keyed = [(sell_out, name, serial_key(name)) for sell_out, name in reported]
        keys = {key for __, __, key in keyed} - {""}
        sell_outs = self.env["crm.sell.out"].browse({sell_out.id for sell_out, __ in reported})
        units = self._get_units_by_key(keys, sell_outs.company_id)
        # serials already matched on another sell-out are "already sold" through the unit state
        # what each sell-out (distributor, product, customer's territory) decides once
        context = {}
        for sell_out in sell_outs:
            distributor = sell_out.distributor_id.commercial_partner_id
            customer = sell_out.partner_id
            context[sell_out.id] = (
                sell_out.product_id.id,
                distributor.id,
                sell_out_check.in_territory(
                    distributor.territory_state_ids.ids,
                    distributor.territory_country_ids.ids,
                    customer.state_id.id,
                    customer.country_id.id,
                ),
            )
        unit_values = {
            key: {
                "id": unit.id,
                "product_id": unit.product_id.id,
                "custody_state": unit.custody_state,
                "distributor_id": unit.distributor_id.id,
            }
            for key, unit in units.items()
        }
        seen = set()
        vals_list = []
        for sequence, (sell_out, name, key) in enumerate(keyed):
            product_id, distributor_id, in_territory = context[sell_out.id]
            unit = unit_values.get(key)
            outcome = sell_out_check.classify_serial(
                unit, product_id, distributor_id, in_territory, seen_before=key in seen
            )
            seen.add(key)
            vals_list.append(
                {
                    "sell_out_id": sell_out.id,
                    "sequence": sequence,
                    "name": name,
                    "serial_key": key,
                    "lot_id": unit["id"] if unit else False,
                    "outcome": outcome,
                }
            )
        return vals_list

    def action_mark_reviewed(self):
        self.write({"reviewed": True})
