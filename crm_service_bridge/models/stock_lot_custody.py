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

    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Unit",
        required=True,
        index=True,
        ondelete="cascade",
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
    def _open_periods(self, lots, holder, source, date, document=None):
        """One open period per unit of ``lots``, all with ``holder``: one INSERT … SELECT.

        Set-based on purpose: a sell-out or a delivery of 10,000 serials must not
        pay an ORM ``create`` per period (the periods are plain history rows,
        with no computed field other than the company copied from the unit).
        """
        if not lots:
            return
        self.flush_model()
        values = self._prepare_period_values(lots[:1], holder, source, date, document)
        self.env.cr.execute(
            SQL(
                """INSERT INTO stock_lot_custody (
                       lot_id, company_id, holder_id, holder_kind, date_from, source,
                       picking_id, sell_out_id, create_uid, write_uid, create_date, write_date)
                   SELECT lot.id, lot.company_id, %(holder)s, %(kind)s, %(date)s, %(source)s,
                          %(picking)s, %(sell_out)s, %(uid)s, %(uid)s,
                          now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                     FROM stock_lot lot
                    WHERE lot.id = ANY(%(lot_ids)s)""",
                holder=values["holder_id"],
                kind=values["holder_kind"],
                date=values["date_from"],
                source=values["source"],
                picking=values["picking_id"] or None,
                sell_out=values["sell_out_id"] or None,
                uid=self.env.uid,
                lot_ids=lots.ids,
            )
        )
        lots.invalidate_recordset(["custody_ids"])

    @api.model
    def _close_open_periods(self, lots, date, end_source=None):
        """End the open period of each unit of ``lots``: one UPDATE."""
        if not lots:
            return
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """UPDATE stock_lot_custody
                      SET date_to = %(date)s, end_source = %(end_source)s,
                          write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                    WHERE lot_id = ANY(%(lot_ids)s) AND date_to IS NULL""",
                date=date,
                end_source=end_source,
                uid=self.env.uid,
                lot_ids=lots.ids,
            )
        )
        self.invalidate_model(["date_to", "end_source", "write_uid", "write_date"])
