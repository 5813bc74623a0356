from odoo import fields, models
from odoo.tools import SQL


class CrmAnalyticsSellThrough(models.Model):
    """Sell-in against sell-through per distributor, product and month.

    Sell-in: the quantities delivered on confirmed orders through a distributor
    (the monthly product facts); sell-through: the distributors' sell-out
    reports. The stock left in the channel is their difference, summed over
    the months shown.
    """

    _name = "crm.analytics.sell.through"
    _description = "Channel Analytics: Sell-in and Sell-through"
    _auto = False
    _rec_name = "product_id"
    _order = "month desc, distributor_id, product_id"

    company_id = fields.Many2one(
        comodel_name="res.company",
        readonly=True,
    )
    distributor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Distributor",
        readonly=True,
    )
    channel_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Channel Manager",
        readonly=True,
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        readonly=True,
    )
    categ_id = fields.Many2one(
        comodel_name="product.category",
        string="Product Category",
        readonly=True,
    )
    month = fields.Date(
        readonly=True,
    )
    sell_in_qty = fields.Float(
        string="Sell-in",
        readonly=True,
        digits="Product Unit of Measure",
    )
    sell_out_qty = fields.Float(
        string="Sell-through",
        readonly=True,
        digits="Product Unit of Measure",
    )
    channel_stock_qty = fields.Float(
        string="Left in the Channel",
        readonly=True,
        digits="Product Unit of Measure",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT ROW_NUMBER() OVER (ORDER BY moves.company_id, moves.distributor_id,
                                               moves.product_id, moves.month) AS id,
                   moves.company_id, moves.distributor_id, distributor.channel_manager_id,
                   moves.product_id, template.categ_id, moves.month,
                   SUM(moves.sell_in) AS sell_in_qty, SUM(moves.sell_out) AS sell_out_qty,
                   SUM(moves.sell_in) - SUM(moves.sell_out) AS channel_stock_qty
              FROM (
                    SELECT fact.company_id, fact.distributor_id, fact.product_id, fact.month,
                           fact.qty_delivered AS sell_in, 0 AS sell_out
                      FROM crm_analytics_product_month fact
                     WHERE fact.distributor_id IS NOT NULL
                    UNION ALL
                    SELECT sell_out.company_id, sell_out.distributor_id, sell_out.product_id,
                           date_trunc('month', sell_out.date)::date, 0, sell_out.quantity
                      FROM crm_sell_out sell_out
                   ) AS moves
              JOIN res_partner distributor ON distributor.id = moves.distributor_id
              LEFT JOIN product_product product ON product.id = moves.product_id
              LEFT JOIN product_template template ON template.id = product.product_tmpl_id
             GROUP BY moves.company_id, moves.distributor_id, distributor.channel_manager_id,
                      moves.product_id, template.categ_id, moves.month
            """
        )
