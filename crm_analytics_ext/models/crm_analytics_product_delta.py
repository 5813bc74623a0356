from odoo import fields, models


class CrmAnalyticsProductDelta(models.Model):
    """Changes of the product facts waiting for the refresh job.

    Every write that moves an order line's figures or its place in the product
    facts queues the line's contribution as stored before the write (``-1`` ×)
    and after it (``+1`` ×), in the columns of ``crm.analytics.product.month``;
    the job adds the queued rows to the facts. So the job's work is the size of
    the change, not of the months touched: a product sold to every customer is
    not read again over all its lines because one of them changed.

    Integers rather than many2ones, as in ``crm.analytics.dirty``: no
    foreign-key lock on the product, company or distributor while an order is
    saved. The measures are ``numeric`` columns (exact sums and differences).
    """

    _name = "crm.analytics.product.delta"
    _description = "Channel Analytics: Product Figures to Add"
    _log_access = False
    _order = "id"

    company_id = fields.Integer(
        string="Company",
        required=True,
    )
    currency_id = fields.Integer(
        string="Currency",
    )
    distributor_id = fields.Integer(
        string="Distributor",
    )
    channel = fields.Char()
    month = fields.Date(
        required=True,
    )
    month_of_year = fields.Char(
        string="Month of the Year",
    )
    product_id = fields.Integer(
        string="Product",
        required=True,
    )
    categ_id = fields.Integer(
        string="Product Category",
    )
    revenue = fields.Float(
        digits=(16, 6),
    )
    margin = fields.Float(
        digits=(16, 6),
    )
    quantity = fields.Float(
        string="Quantity Ordered",
        digits=(16, 6),
    )
    qty_delivered = fields.Float(
        string="Quantity Delivered",
        digits=(16, 6),
    )
    cost = fields.Float(
        digits=(16, 6),
    )
    line_count = fields.Integer(
        string="Order Lines",
    )
