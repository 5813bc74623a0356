from odoo import fields, models
from odoo.tools import SQL, drop_view_if_exists


class CrmInstalledBaseReport(models.Model):
    """Installed base: every serial number delivered to a customer.

    Read from the done outgoing stock move lines with a lot/serial into a
    customer location, so service reuses what the warehouse already recorded
    (customer, product, serial, delivery date, sale order) instead of typing
    it again. The warranty runs ``warranty_months`` from the delivery date.
    """

    _name = "crm.installed.base.report"
    _description = "Installed Base"
    _auto = False
    _rec_name = "serial"
    _order = "delivery_date desc, id desc"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        readonly=True,
    )
    delivery_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Delivered To",
        readonly=True,
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        readonly=True,
    )
    product_tmpl_id = fields.Many2one(
        comodel_name="product.template",
        string="Product Template",
        readonly=True,
    )
    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Lot/Serial",
        readonly=True,
    )
    serial = fields.Char(string="Serial Number", readonly=True)
    quantity = fields.Float(string="Quantity", readonly=True)
    delivery_date = fields.Date(string="Delivery Date", readonly=True)
    picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Delivery",
        readonly=True,
    )
    sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Sale Order",
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        readonly=True,
    )
    warranty_months = fields.Integer(string="Warranty (months)", readonly=True)
    warranty_end = fields.Date(string="Warranty Until", readonly=True)
    in_warranty = fields.Boolean(string="Under Warranty", readonly=True)

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    def _query(self) -> SQL:
        warranty_end = SQL(
            "(sml.date + make_interval(months => COALESCE(tmpl.warranty_months, 0)))::date"
        )
        return SQL(
            """
            SELECT sml.id AS id,
                   COALESCE(customer.commercial_partner_id, customer.id) AS partner_id,
                   customer.id AS delivery_partner_id,
                   sml.product_id AS product_id,
                   product.product_tmpl_id AS product_tmpl_id,
                   sml.lot_id AS lot_id,
                   lot.name AS serial,
                   sml.quantity AS quantity,
                   sml.date::date AS delivery_date,
                   sml.picking_id AS picking_id,
                   sol.order_id AS sale_order_id,
                   sml.company_id AS company_id,
                   COALESCE(tmpl.warranty_months, 0) AS warranty_months,
                   %(warranty_end)s AS warranty_end,
                   %(warranty_end)s >= CURRENT_DATE AS in_warranty
              FROM stock_move_line sml
              JOIN stock_move move ON move.id = sml.move_id
              JOIN stock_location dest ON dest.id = sml.location_dest_id
              JOIN stock_lot lot ON lot.id = sml.lot_id
              JOIN product_product product ON product.id = sml.product_id
              JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
         LEFT JOIN stock_picking picking ON picking.id = sml.picking_id
         LEFT JOIN sale_order_line sol ON sol.id = move.sale_line_id
         LEFT JOIN res_partner customer
                ON customer.id = COALESCE(picking.partner_id, move.partner_id)
             WHERE sml.state = 'done'
               AND dest.usage = 'customer'
               AND sml.lot_id IS NOT NULL
            """,
            warranty_end=warranty_end,
        )
