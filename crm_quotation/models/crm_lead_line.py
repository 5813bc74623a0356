from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

# (field, key of the stock figures, value without figures)
STOCK_FIGURE_FIELDS = (
    ("qty_on_hand", "on_hand", 0.0),
    ("qty_reserved", "reserved", 0.0),
    ("qty_free", "free", 0.0),
    ("qty_forecast", "forecast", 0.0),
    ("stock_warning", "warning", False),
    ("stock_warehouse_data", "warehouses", []),
)


class CrmLeadLine(models.Model):
    """A product the customer is interested in, priced like a quotation line."""

    _name = "crm.lead.line"
    _description = "Opportunity Product Line"
    _order = "lead_id, sequence, id"
    _check_company_auto = True

    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Opportunity",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="lead_id.company_id",
        store=True,
        index=True,
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        required=True,
        check_company=True,
        domain=[("sale_ok", "=", True)],
    )
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")
    name = fields.Text(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
    )
    product_uom_qty = fields.Float(
        string="Quantity",
        digits="Product Unit of Measure",
        default=1.0,
    )
    product_uom_id = fields.Many2one(
        comodel_name="uom.uom",
        string="Unit of Measure",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    currency_id = fields.Many2one(
        related="lead_id.quotation_currency_id",
        string="Currency",
    )
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
    )
    discount = fields.Float(
        string="Discount (%)",
        digits="Discount",
    )
    price_subtotal = fields.Monetary(
        string="Subtotal",
        compute="_compute_price_subtotal",
        store=True,
    )
    # Stock, filled for the whole opportunity at once by the readiness panel
    qty_on_hand = fields.Float(
        string="On Hand",
        digits="Product Unit of Measure",
        compute="_compute_stock_figures",
    )
    qty_reserved = fields.Float(
        string="Reserved",
        digits="Product Unit of Measure",
        compute="_compute_stock_figures",
    )
    qty_free = fields.Float(
        string="Free to Use",
        digits="Product Unit of Measure",
        compute="_compute_stock_figures",
    )
    qty_forecast = fields.Float(
        string="Forecast at Closing",
        digits="Product Unit of Measure",
        compute="_compute_stock_figures",
    )
    stock_warning = fields.Char(
        compute="_compute_stock_figures",
    )
    stock_warehouse_data = fields.Json(
        string="Stock per Warehouse",
        compute="_compute_stock_figures",
    )

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if not line.product_id:
                line.name = line.name or False
                continue
            product = line.product_id.with_context(lang=line.lead_id.partner_id.lang or None)
            line.name = product.get_product_multiline_description_sale()

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            if not line.product_uom_id or line.product_id.uom_id.category_id != (
                line.product_uom_id.category_id
            ):
                line.product_uom_id = line.product_id.uom_id

    @api.depends("product_id", "product_uom_id", "product_uom_qty", "lead_id.pricelist_id")
    def _compute_price_unit(self):
        for line in self:
            line.price_unit = line._get_pricelist_price()

    @api.depends("product_uom_qty", "price_unit", "discount")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.product_uom_qty * line.price_unit * (1 - line.discount / 100)

    @api.depends(
        "product_id",
        "product_uom_qty",
        "product_uom_id",
        "lead_id.date_deadline",
        "lead_id.company_id",
    )
    @api.depends_context("company")
    def _compute_stock_figures(self):
        figures = {}
        # the stock is read per opportunity: its company, its closing date, and
        # without what its own confirmed orders reserve or take
        for lead, lines in self.grouped("lead_id").items():
            figures.update(lines._get_stock_figures(lead))
        # one cache update per field for all the lines (not one assignment per line
        # and field): the panel of a 50-line opportunity reads 300 values at once
        empty = {}
        for name, key, default in STOCK_FIGURE_FIELDS:
            field = self._fields[name]
            self.env.cache.update(
                self,
                field,
                [
                    field.convert_to_cache(figures.get(line.id, empty).get(key) or default, line)
                    for line in self
                ],
            )

    @api.constrains("product_uom_qty", "discount")
    def _check_quantity_discount(self):
        for line in self:
            if float_compare(line.product_uom_qty, 0.0, precision_digits=6) <= 0:
                raise ValidationError(
                    self.env._(
                        "The quantity of %(product)s must be positive (got %(quantity)s).",
                        product=line.product_id.display_name,
                        quantity=line.product_uom_qty,
                    )
                )
            if not 0.0 <= line.discount <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The discount of %(product)s must be between 0 and 100%%.",
                        product=line.product_id.display_name,
                    )
                )

    @api.constrains("product_id")
    def _check_product_active(self):
        for line in self:
            if not line.product_id.active:
                raise ValidationError(
                    self.env._(
                        "The product %(product)s is archived: choose an active product or "
                        "ask a product manager to restore it.",
                        product=line.product_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_pricelist_price(self):
        """Unit price of the line from the opportunity's pricelist, in the line's UoM."""
        self.ensure_one()
        if not self.product_id:
            return 0.0
        uom = self.product_uom_id or self.product_id.uom_id
        pricelist = self.lead_id.pricelist_id
        if pricelist:
            return pricelist._get_product_price(
                self.product_id,
                self.product_uom_qty or 1.0,
                uom=uom,
                date=fields.Date.context_today(self),
            )
        return self.product_id.uom_id._compute_price(self.product_id.lst_price, uom)

    def _get_stock_figures(self, lead):
        """Stock figures of these lines of ``lead``: totals, per warehouse, warning."""
        lines = self.filtered(lambda line: line.product_id.is_storable)
        if not lines:
            return {}
        company = lead.company_id or self.env.company
        products = lines.product_id
        availability = products._get_warehouse_availability(
            company,
            date_to=lead.date_deadline,
            own_moves_domain=lead._get_own_stock_moves_domain(),
        )
        demand = defaultdict(float)
        for line in lines:
            demand[line.product_id] += line.product_uom_id._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id, raise_if_failure=False
            )
        result = {}
        for line in lines:
            product = line.product_id
            rows = [
                dict(
                    row,
                    warehouse=row["warehouse"].display_name,
                    product=product.display_name,
                    uom=product.uom_id.name,
                )
                for row in availability.get(product.id, [])
            ]
            totals = {
                name: sum(row[name] for row in rows)
                for name in ("on_hand", "reserved", "free", "forecast")
            }
            needed = demand[product]
            warning = False
            if (
                float_compare(
                    totals["forecast"], needed, precision_rounding=product.uom_id.rounding
                )
                < 0
            ):
                warning = self.env._(
                    "Cannot be served: %(needed)s %(uom)s needed, %(forecast)s forecast at "
                    "closing (%(free)s free now).",
                    needed=round(needed, 3),
                    uom=product.uom_id.name,
                    forecast=round(totals["forecast"], 3),
                    free=round(totals["free"], 3),
                )
            if not rows:
                rows.append(
                    dict(
                        totals,
                        product=product.display_name,
                        warehouse=self.env._("No stock"),
                        uom=product.uom_id.name,
                    )
                )
            result[line.id] = dict(totals, needed=needed, warning=warning, warehouses=rows)
        return result

    def _prepare_sale_order_line_values(self):
        """Values of the quotation line made from this opportunity line."""
        self.ensure_one()
        return {
            "sequence": self.sequence,
            "product_id": self.product_id.id,
            "name": self.name,
            "product_uom_qty": self.product_uom_qty,
            "product_uom": self.product_uom_id.id,
            "price_unit": self.price_unit,
            "discount": self.discount,
        }
