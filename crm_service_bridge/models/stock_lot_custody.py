from odoo import api, fields, models
from odoo.tools import SQL

SOURCES = [
    ("delivery", "Delivery"),
    ("sell_out", "Distributor Sell-out"),
    ("return", "Return"),
    ("manual", "Manual"),
]


class StockLotCustody(models.Model):
    """Who held a unit, from when to when, and which document said so.

    At most one open period (no end date) per unit: a partial unique index.
    """

    _name = "stock.lot.custody"
    _description = "Unit Custody Period"
    _order = "date_from desc, id desc"
    _rec_name = "holder_id"
    _check_company_auto = True

    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Unit",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="lot_id.company_id",
        store=True,
        index=True,
    )
    holder_id = fields.Many2one(
        comodel_name="res.partner",
        string="Held By",
        required=True,
        index=True,
    )
    holder_kind = fields.Selection(
        selection=[
            ("distributor", "Distributor"),
            ("customer", "End Customer"),
        ],
        string="Holder Type",
        required=True,
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To")
    source = fields.Selection(
        selection=SOURCES,
        required=True,
    )
    end_source = fields.Selection(
        selection=SOURCES,
        string="Ended By",
    )
    picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Transfer",
        index="btree_not_null",
    )
    sell_out_id = fields.Many2one(
        comodel_name="crm.sell.out",
        string="Sell-out",
        index="btree_not_null",
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS stock_lot_custody_one_open_period_index"
                " ON stock_lot_custody (lot_id) WHERE date_to IS NULL"
            )
        )

    @api.model
    def _prepare_period_values(self, lot, holder, source, date, document=None):
        return {
            "lot_id": lot.id,
            "holder_id": holder.id,
            "holder_kind": "distributor" if holder.is_distributor else "customer",
            "date_from": date,
            "source": source,
            "picking_id": document.id if document and document._name == "stock.picking" else False,
            "sell_out_id": document.id if document and document._name == "crm.sell.out" else False,
        }

    @api.model
    def _close_open_periods(self, lots, date, end_source=None):
        open_periods = self.search([("lot_id", "in", lots.ids), ("date_to", "=", False)])
        if open_periods:
            vals = {"date_to": date}
            if end_source:
                vals["end_source"] = end_source
            open_periods.write(vals)
            # the new open period is inserted right away: the old one must be closed in the table
            open_periods.flush_recordset(list(vals))
        return open_periods
