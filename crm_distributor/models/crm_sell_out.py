from odoo import api, fields, models

from ..tools import input_rules


class CrmSellOut(models.Model):
    """What a distributor reports having sold to an end customer (sell-out)."""

    _name = "crm.sell.out"
    _description = "Distributor Sell-out"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    distributor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Distributor",
        required=True,
        index=True,
        check_company=True,
        domain=[("is_distributor", "=", True)],
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="End Customer",
        required=True,
        index=True,
        check_company=True,
    )
    registration_id = fields.Many2one(
        comodel_name="crm.deal.registration",
        string="Registration",
        index="btree_not_null",
        check_company=True,
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        required=True,
        check_company=True,
    )
    quantity = fields.Float(
        digits="Product Unit of Measure",
        required=True,
        default=1.0,
    )
    serial_numbers = fields.Text(
        help="One serial number per line.",
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
    )
    channel_manager_id = fields.Many2one(
        related="distributor_id.channel_manager_id",
        store=True,
        string="Channel Manager",
    )

    _sql_constraints = [
        (
            "quantity_positive",
            "CHECK(quantity > 0)",
            "The quantity sold must be positive.",
        ),
    ]

    @api.depends("partner_id", "product_id", "date")
    def _compute_display_name(self):
        for sell_out in self:
            sell_out.display_name = " / ".join(
                name
                for name in (
                    sell_out.partner_id.display_name,
                    sell_out.product_id.display_name,
                    sell_out.date and str(sell_out.date),
                )
                if name
            )

    # ------------------------------------------------------------
    # INPUT (tools/input_rules: the portal form and upload rows)
    # ------------------------------------------------------------
    @api.model
    def _prepare_values_from_input(self, raw):
        """Sell-out values from what a distributor typed or uploaded: quantity,
        date (plausible, not in the future) and serial numbers (one a line).
        partner_id and product_id are ids the caller checked. Returns
        (values, {field: translated message})."""
        values, errors = self.env["crm.input.rules"]._check_input(
            self._name, raw, input_rules.SELL_OUT_RULES
        )
        if values.get("serial_numbers"):
            values["serial_numbers"] = (
                "\n".join(input_rules.split_serials(values["serial_numbers"])) or False
            )
        for field in ("partner_id", "product_id", "registration_id"):
            if field in raw:
                values[field] = raw[field] or False
        return values, errors
