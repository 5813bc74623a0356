from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.serial import serial_key
from ..tools.warranty import warranty_end, warranty_status

CUSTODY_STATES = [
    ("stock", "In Stock"),
    ("distributor", "At Distributor"),
    ("customer", "At End Customer"),
    ("returned", "Returned"),
    ("scrapped", "Scrapped"),
]
WARRANTY_BASES = [
    ("delivery", "Delivery"),
    ("sell_out", "Sell-out"),
    ("sell_out_capped", "Sell-out, capped at delivery + N months"),
    ("manual", "Set by hand"),
]


class StockLot(models.Model):
    """A serial number is the installed unit: who holds it, and its warranty.

    The custody fields are written by the deliveries, returns and sell-outs
    (``_set_custody``), never computed, so a database with a million serials
    is backfilled by one SQL statement rather than recomputed.
    """

    _inherit = "stock.lot"

    serial_key = fields.Char(
        index=True,
        copy=False,
        help="The serial in upper case without spaces or punctuation, as it is looked up.",
    )
    custody_state = fields.Selection(
        selection=CUSTODY_STATES,
        string="Held",
        default="stock",
        required=True,
        index=True,
        copy=False,
    )
    distributor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Distributor",
        index="btree_not_null",
        copy=False,
        help="The distributor (commercial entity) the unit was delivered to.",
    )
    end_customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="End Customer",
        index="btree_not_null",
        copy=False,
        help="The customer (commercial entity) using the unit.",
    )
    unit_sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Sales Order",
        index="btree_not_null",
        copy=False,
    )
    first_delivery_date = fields.Date(copy=False)
    sell_out_date = fields.Date(string="Sell-out Date", copy=False)
    warranty_start = fields.Date(copy=False)
    warranty_end = fields.Date(string="Warranty Until", copy=False)
    warranty_basis = fields.Selection(
        selection=WARRANTY_BASES,
        copy=False,
    )
    custody_ids = fields.One2many(
        comodel_name="stock.lot.custody",
        inverse_name="lot_id",
        string="Custody History",
    )
    under_warranty = fields.Boolean(
        compute="_compute_under_warranty",
        search="_search_under_warranty",
    )
    warranty_proposal_lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Warranty Proposal",
        index="btree_not_null",
        copy=False,
    )

    def init(self):
        # suffix lookups ("the last digits on the label"): a btree on the reversed key
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS stock_lot_serial_key_reverse_index"
                " ON stock_lot (reverse(serial_key) text_pattern_ops)"
                " WHERE serial_key IS NOT NULL"
            )
        )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("warranty_end")
    @api.depends_context("date")
    def _compute_under_warranty(self):
        today = fields.Date.context_today(self)
        for lot in self:
            lot.under_warranty = warranty_status(lot.warranty_end, today)[0]

    def _search_under_warranty(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        today = fields.Date.context_today(self)
        positive = (operator == "=") == bool(value)
        if positive:
            return [("warranty_end", ">=", today)]
        return ["|", ("warranty_end", "=", False), ("warranty_end", "<", today)]

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "name" in vals:
                vals["serial_key"] = serial_key(vals["name"])
        return super().create(vals_list)

    def write(self, vals):
        if "name" in vals:
            vals = dict(vals, serial_key=serial_key(vals["name"]))
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _search_units_by_serial(self, text, limit=20):
        """Units whose serial is ``text`` as typed: whole, or its last characters.

        Exact key first (btree), then suffix (btree on the reversed key);
        both are index range scans, whatever the number of units.
        """
        key = serial_key(text)
        if not key:
            return self.browse()
        exact = self.search([("serial_key", "=", key)], limit=limit)
        if len(exact) >= limit:
            return exact
        # one statement, on the reversed-key index; access rules apply to the ids by search()
        self.env["stock.lot"].flush_model(["serial_key"])
        self.env.cr.execute(
            SQL(
                """SELECT id FROM stock_lot
                    WHERE reverse(serial_key) LIKE %(pattern)s
                      AND serial_key IS NOT NULL AND serial_key != %(key)s
                 ORDER BY length(serial_key), id LIMIT %(limit)s""",
                key=key,
                pattern=key[::-1] + "%",
                limit=limit,
            )
        )
        suffix_ids = [row[0] for row in self.env.cr.fetchall()]
        suffix = self.search([("id", "in", suffix_ids)]) if suffix_ids else self.browse()
        return exact | suffix

    @api.model
    def _search_display_name(self, operator, value):
        """A serial typed with spaces, dashes, lower case or only its end is found."""
        if operator in ("ilike", "=", "=ilike") and isinstance(value, str) and serial_key(value):
            units = self._search_units_by_serial(value, limit=80)
            if units:
                return [("id", "in", units.ids)]
        return super()._search_display_name(operator, value)

    def _get_warranty_months(self):
        """Warranty length of each unit's product: ``{lot: months}``."""
        return {lot: lot.product_id.product_tmpl_id.warranty_months for lot in self}

    def _set_custody(self, vals, holder, source, date, document=None):
        """Move all ``self`` to ``holder`` in one write per warranty length.

        ``vals``: the lot values shared by all units (state, holder fields,
        dates, warranty start and basis); the warranty end is derived from
        each product's length. The open custody periods are closed and, when
        there is a new holder, one new open period per unit is created (one
        UPDATE and one INSERT for all, ``stock.lot.custody``).
        """
        if not self:
            return
        Custody = self.env["stock.lot.custody"]
        Custody._close_open_periods(self, date, end_source=source)
        start = vals.get("warranty_start")
        if start:
            by_months = {}
            for lot, months in self._get_warranty_months().items():
                by_months.setdefault(months, []).append(lot.id)
            for months, lot_ids in by_months.items():
                self.browse(lot_ids).write(dict(vals, warranty_end=warranty_end(start, months)))
        else:
            self.write(vals)
        if holder:
            Custody._open_periods(self, holder, source, date, document)

    def _apply_custody_event(self, event, holder, date, picking=None, order=None):
        """A done delivery, return or scrap of ``self`` (all in one transfer).

        To a distributor: held there, no warranty running yet. To anyone
        else: held by that customer, warranty from the delivery. A unit
        delivered again after a return keeps its first delivery and warranty.
        """
        if event in ("return", "scrap"):
            state = "returned" if event == "return" else "scrapped"
            self._set_custody({"custody_state": state}, None, "return", date, picking)
            return
        if not holder:
            return
        vals = {"unit_sale_order_id": order.id} if order else {}
        if holder.is_distributor:
            vals.update(custody_state="distributor", distributor_id=holder.id)
        else:
            vals.update(custody_state="customer", end_customer_id=holder.id)
        new = self.filtered(lambda lot: not lot.first_delivery_date)
        again = self - new
        new_vals = dict(vals, first_delivery_date=date)
        if not holder.is_distributor:
            new_vals.update(warranty_start=date, warranty_basis="delivery")
        new._set_custody(new_vals, holder, "delivery", date, picking)
        again._set_custody(vals, holder, "delivery", date, picking)

    @api.model
    def _cron_propose_warranty_extension(self):
        """Units whose warranty ends within their company's notice: one opportunity
        per end customer for its salesperson (extension or replacement)."""
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].search([])
        longest = max(companies.mapped("service_warranty_notice_months") or [0])
        if longest <= 0:
            return
        units = self.search(
            [
                ("custody_state", "=", "customer"),
                ("warranty_proposal_lead_id", "=", False),
                ("warranty_end", ">=", today),
                ("warranty_end", "<=", today + relativedelta(months=longest)),
            ]
        )
        by_company = {}
        for unit in units:
            company = unit._get_service_company()
            months = company.service_warranty_notice_months
            if months > 0 and unit.warranty_end <= today + relativedelta(months=months):
                by_company.setdefault(company, []).append(unit.id)
        for company, unit_ids in by_company.items():
            self.browse(unit_ids).with_company(company)._propose_warranty_extension()

    def _get_service_company(self):
        """The company serving the unit: its own, else its customer's salesperson's."""
        self.ensure_one()
        return (
            self.company_id
            or self.end_customer_id.company_id
            or self.end_customer_id.user_id.company_id
            or self.env.company
        )

    def _propose_warranty_extension(self):
        by_customer = {}
        for unit in self:
            by_customer.setdefault(unit.end_customer_id, []).append(unit.id)
        by_customer = {customer: self.browse(ids) for customer, ids in by_customer.items()}
        customers = list(by_customer)
        leads = self.env["crm.lead"].create(
            [
                self._prepare_warranty_lead_values(customer, by_customer[customer])
                for customer in customers
            ]
        )
        for customer, lead in zip(customers, leads, strict=True):
            by_customer[customer].write({"warranty_proposal_lead_id": lead.id})
        return leads

    @api.model
    def _prepare_warranty_lead_values(self, customer, units):
        return {
            "name": self.env._(
                "Warranty extension or replacement: %(customer)s", customer=customer.display_name
            ),
            "type": "opportunity",
            "partner_id": customer.id,
            "user_id": customer.user_id.id or False,
            "company_id": self.env.company.id,
            "description": "\n".join(
                self.env._(
                    "%(serial)s (%(product)s): warranty until %(end)s",
                    serial=unit.name,
                    product=unit.product_id.display_name,
                    end=fields.Date.to_string(unit.warranty_end),
                )
                for unit in units
            ),
        }

    def action_view_service_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_service_bridge.crm_service_request_action"
        )
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {"default_lot_id": self.id}
        return action
