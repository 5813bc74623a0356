from odoo import api, fields, models
from odoo.exceptions import UserError

from .crm_deal_registration import EDITABLE_STATES


class CrmDealRegistrationLine(models.Model):
    _name = "crm.deal.registration.line"
    _description = "Deal Registration Product Line"
    _order = "registration_id, sequence, id"

    registration_id = fields.Many2one(
        comodel_name="crm.deal.registration",
        string="Registration",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="registration_id.company_id", store=True)
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        required=True,
        check_company=True,
        domain=[("sale_ok", "=", True)],
    )
    name = fields.Char(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
    )
    quantity = fields.Float(
        string="Quantity",
        digits="Product Unit of Measure",
        default=1.0,
    )
    price_unit = fields.Float(
        string="Expected Unit Price",
        digits="Product Price",
    )
    currency_id = fields.Many2one(related="registration_id.currency_id")
    price_subtotal = fields.Monetary(
        string="Subtotal",
        compute="_compute_price_subtotal",
        store=True,
    )

    _sql_constraints = [
        (
            "quantity_positive",
            "CHECK(quantity > 0)",
            "The quantity of a registered product must be positive.",
        ),
    ]

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            line.name = line.product_id.display_name or line.name

    @api.depends("quantity", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.quantity * line.price_unit

    # ------------------------------------------------------------------
    # ORM: the products of a registration change only while it is editable
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_registration_editable()
        return lines

    def write(self, vals):
        self._check_registration_editable()
        result = super().write(vals)
        if "registration_id" in vals:
            self._check_registration_editable()
        return result

    def unlink(self):
        self._check_registration_editable()
        return super().unlink()

    def _check_registration_editable(self):
        if self.env.su:
            return
        locked = self.registration_id.filtered(lambda reg: reg.state not in EDITABLE_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "The products of registration %(name)s can only be changed while it is a "
                    "draft or returned for correction.",
                    name=locked[0].name,
                )
            )
