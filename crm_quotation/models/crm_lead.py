from collections import defaultdict
from datetime import datetime, time

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, float_compare, format_amount, format_date

from ..tools import history as history_tools

OPEN_MOVE_STATES = ("waiting", "confirmed", "partially_available", "assigned")
# What the readiness panel reads (its test and benchmark open it with these)
READINESS_PANEL_FIELDS = (
    "credit_limit_amount",
    "credit_used",
    "credit_available",
    "credit_overdue_amount",
    "credit_overdue_days",
    "credit_after_deal",
    "credit_message",
    "readiness_stock_html",
    "readiness_shipping_html",
    "readiness_history_html",
)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Opportunity type
    opportunity_type_id = fields.Many2one(
        comodel_name="crm.opportunity.type",
        string="Opportunity Type",
        index="btree_not_null",
        tracking=True,
        help="The kind of deal; its pipeline has its own stages.",
    )
    # Product lines
    line_ids = fields.One2many(
        comodel_name="crm.lead.line",
        inverse_name="lead_id",
        string="Products",
        copy=True,
    )
    quotation_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Quotation Customer",
        compute="_compute_quotation_partner_id",
        help="Customer of the quotations: the distributor for a distributor deal, "
        "otherwise the customer.",
    )
    pricelist_id = fields.Many2one(
        comodel_name="product.pricelist",
        string="Pricelist",
        compute="_compute_pricelist_id",
        store=True,
        readonly=False,
        check_company=True,
        help="Prices of the product lines; the quotations use the same pricelist.",
    )
    quotation_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Quotation Currency",
        compute="_compute_quotation_currency_id",
    )
    revenue_from_lines = fields.Boolean(
        string="Revenue from Products",
        help="The expected revenue is the total of the product lines.",
    )
    lines_amount = fields.Monetary(
        string="Products Total",
        compute="_compute_lines_amount",
        currency_field="company_currency",
        help="Total of the product lines, untaxed, in the company currency.",
    )
    expected_revenue = fields.Monetary(
        compute="_compute_expected_revenue",
        store=True,
        readonly=False,
    )
    # Quote to order
    delivery_count = fields.Integer(
        string="Deliveries",
        compute="_compute_delivery_invoice_count",
    )
    invoice_count = fields.Integer(
        string="Invoices",
        compute="_compute_delivery_invoice_count",
    )
    lost_proposed = fields.Boolean(
        string="Proposed as Lost",
        readonly=True,
        copy=False,
        help="Every quotation of this opportunity is cancelled or expired.",
    )
    lost_proposal_reason = fields.Char(
        string="Why Lost Is Proposed",
        readonly=True,
        copy=False,
    )
    # Readiness panel
    readiness_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Credit Customer",
        compute="_compute_readiness",
    )
    credit_has_limit = fields.Boolean(compute="_compute_readiness")
    credit_limit_amount = fields.Monetary(
        string="Credit Limit",
        compute="_compute_readiness",
        currency_field="company_currency",
    )
    credit_receivable = fields.Monetary(
        string="Open Receivables",
        compute="_compute_readiness",
        currency_field="company_currency",
    )
    credit_uninvoiced = fields.Monetary(
        string="Confirmed, Not Invoiced",
        compute="_compute_readiness",
        currency_field="company_currency",
    )
    credit_used = fields.Monetary(
        compute="_compute_readiness",
        currency_field="company_currency",
    )
    credit_available = fields.Monetary(
        compute="_compute_readiness",
        currency_field="company_currency",
    )
    credit_overdue_amount = fields.Monetary(
        string="Overdue",
        compute="_compute_readiness",
        currency_field="company_currency",
    )
    credit_overdue_days = fields.Integer(
        string="Oldest Overdue (Days)",
        compute="_compute_readiness",
    )
    credit_after_deal = fields.Monetary(
        string="Available After This Deal",
        compute="_compute_readiness",
        currency_field="company_currency",
    )
    credit_message = fields.Char(
        string="Credit Outlook",
        compute="_compute_readiness",
    )
    credit_level = fields.Selection(
        selection=[
            ("none", "No Limit"),
            ("ok", "Within Limit"),
            ("danger", "Over Limit"),
        ],
        compute="_compute_readiness",
    )
    readiness_stock_html = fields.Html(
        string="Stock per Warehouse",
        compute="_compute_readiness",
        sanitize=False,
    )
    readiness_shipping_html = fields.Html(
        string="Shipping",
        compute="_compute_readiness",
        sanitize=False,
    )
    readiness_history_html = fields.Html(
        string="Purchase History",
        compute="_compute_readiness",
        sanitize=False,
    )
    revenue_last_12_months = fields.Monetary(
        string="Revenue, Last 12 Months",
        compute="_compute_readiness",
        currency_field="company_currency",
    )
    revenue_previous_12_months = fields.Monetary(
        string="Revenue, 12 Months Before",
        compute="_compute_readiness",
        currency_field="company_currency",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("partner_id", "distributor_id")
    def _compute_quotation_partner_id(self):
        for lead in self:
            lead.quotation_partner_id = lead.distributor_id or lead.partner_id

    @api.depends("partner_id", "distributor_id", "company_id")
    def _compute_pricelist_id(self):
        for lead in self:
            partner = lead.distributor_id or lead.partner_id
            if not partner:
                continue
            company = lead.company_id or self.env.company
            lead.pricelist_id = partner.with_company(company).property_product_pricelist

    @api.depends("pricelist_id.currency_id", "company_currency")
    def _compute_quotation_currency_id(self):
        for lead in self:
            lead.quotation_currency_id = (
                lead.pricelist_id.currency_id
                or lead.company_currency
                or self.env.company.currency_id
            )

    @api.depends("line_ids.price_subtotal", "quotation_currency_id", "company_currency")
    def _compute_lines_amount(self):
        today = fields.Date.context_today(self)
        for lead in self:
            amount = sum(lead.line_ids.mapped("price_subtotal"))
            company_currency = lead.company_currency or self.env.company.currency_id
            if lead.quotation_currency_id and lead.quotation_currency_id != company_currency:
                amount = lead.quotation_currency_id._convert(
                    amount, company_currency, lead.company_id or self.env.company, today
                )
            lead.lines_amount = amount

    @api.depends("revenue_from_lines", "lines_amount")
    def _compute_expected_revenue(self):
        for lead in self:
            if lead.revenue_from_lines:
                lead.expected_revenue = lead.lines_amount
            else:
                lead.expected_revenue = lead.expected_revenue

    @api.depends("team_id", "type", "opportunity_type_id")
    def _compute_stage_id(self):
        typed = self.filtered("opportunity_type_id")
        for lead in typed:
            if lead.opportunity_type_id.stage_ids:
                lead.stage_id = lead.opportunity_type_id._map_stage(lead.stage_id)
            elif not lead.stage_id:
                lead.stage_id = lead._stage_find(domain=[("fold", "=", False)]).id
        return super(CrmLead, self - typed)._compute_stage_id()

    @api.depends("order_ids.picking_ids", "order_ids.invoice_ids")
    def _compute_delivery_invoice_count(self):
        for lead in self:
            lead.delivery_count = len(lead.order_ids.picking_ids)
            lead.invoice_count = len(lead.order_ids.invoice_ids)

    @api.depends(
        "partner_id",
        "distributor_id",
        "company_id",
        "expected_revenue",
        "date_deadline",
        "line_ids.product_id",
        "line_ids.product_uom_qty",
        "line_ids.product_uom_id",
        "order_ids.state",
    )
    @api.depends_context("company", "lang")
    def _compute_readiness(self):
        for lead in self:
            data = lead._get_readiness_data()
            lead.update(data["fields"])

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """Columns of the pipeline: the stages of the type it shows, if it shows one."""
        opportunity_type = self.env["crm.opportunity.type"].browse(
            self.env.context.get("default_opportunity_type_id")
        ) or self.env["crm.opportunity.type"]._get_type_from_domain(domain)
        if opportunity_type:
            type_domain = [("opportunity_type_ids", "in", opportunity_type.ids)]
            # sudo: the columns are configuration; as in crm, list them whatever the
            # user's rights on stages
            return stages.browse(
                stages.sudo()._search(
                    expression.OR([[("id", "in", stages.ids)], type_domain]),
                    order=stages._order,
                )
            )
        result = super()._read_group_stage_ids(stages, domain)
        return result.filtered(lambda s: s in stages or not s.opportunity_type_ids)

    def _stage_find(self, team_id=False, domain=None, order="sequence, id", limit=1):
        """Stay within the stages of the type when all leads share one."""
        opportunity_types = self.opportunity_type_id
        if len(opportunity_types) == 1 and opportunity_types.stage_ids:
            domain = list(domain or []) + [("opportunity_type_ids", "in", opportunity_types.ids)]
            return self.env["crm.stage"].search(domain, order=order, limit=limit)
        if self and not opportunity_types:
            domain = list(domain or []) + [("opportunity_type_ids", "=", False)]
        return super()._stage_find(team_id=team_id, domain=domain, order=order, limit=limit)

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        to_update = self.browse()
        for lead, vals in zip(leads, vals_list, strict=True):
            if "probability" not in vals:
                to_update |= lead
        to_update._apply_stage_default_probability()
        return leads

    def write(self, vals):
        apply_after = "opportunity_type_id" in vals and "probability" not in vals
        if vals.get("stage_id") and "probability" not in vals:
            stage = self.env["crm.stage"].browse(vals["stage_id"])
            if stage.default_probability and not stage.is_won:
                if "opportunity_type_id" in vals:
                    all_typed = bool(vals["opportunity_type_id"])
                else:
                    all_typed = all(lead.opportunity_type_id for lead in self)
                if all_typed:
                    # the default probability is for typed opportunities only
                    vals = dict(vals, probability=stage.default_probability)
                else:
                    apply_after = True
        res = super().write(vals)
        if apply_after:
            self._apply_stage_default_probability()
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_new_quotation(self):
        """With product lines, the quotation is created here and opened.

        Creating it on the server keeps the prices and discounts of the lines: the
        form's onchange would recompute them from the pricelist.
        """
        self._check_quotation_lines()
        action = super().action_new_quotation()
        if not self.line_ids:
            return action
        context = {
            key: value
            for key, value in action["context"].items()
            if not key.startswith(("default_", "search_default_"))
        }
        order = (
            self.env["sale.order"]
            .with_context(**context)
            .create(self._prepare_new_quotation_values())
        )
        action["context"].pop("default_order_line", None)
        action.update(
            {
                "res_id": order.id,
                "views": [(self.env.ref("sale.view_order_form").id, "form")],
                "view_mode": "form",
            }
        )
        return action

    def action_view_deliveries(self):
        self.ensure_one()
        pickings = self.order_ids.picking_ids
        action = self.env["ir.actions.actions"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", pickings.ids)]
        action["context"] = {"create": False}
        if len(pickings) == 1:
            action["views"] = [(self.env.ref("stock.view_picking_form").id, "form")]
            action["res_id"] = pickings.id
        return action

    def action_view_invoices(self):
        self.ensure_one()
        invoices = self.order_ids.invoice_ids
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"create": False, "default_move_type": "out_invoice"}
        if len(invoices) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = invoices.id
        return action

    def action_open_proposed_lost(self):
        """The lost wizard, with the reason of the proposal already chosen."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("crm.crm_lead_lost_action")
        reason = self.env.ref(
            "crm_quotation.lost_reason_quotations_closed", raise_if_not_found=False
        )
        action["context"] = {
            "dialog_size": "medium",
            "default_lead_ids": self.ids,
            "default_lost_reason_id": reason.id if reason else False,
        }
        return action

    def action_dismiss_lost_proposal(self):
        self.write({"lost_proposed": False, "lost_proposal_reason": False})

    # ------------------------------------------------------------
    # BUSINESS: types and stages
    # ------------------------------------------------------------

    def _apply_stage_default_probability(self):
        for lead in self:
            stage = lead.stage_id
            if (
                lead.opportunity_type_id
                and stage.default_probability
                and not stage.is_won
                and lead.active
                and float_compare(lead.probability, stage.default_probability, 2)
            ):
                lead.probability = stage.default_probability

    # ------------------------------------------------------------
    # BUSINESS: quotations
    # ------------------------------------------------------------

    def _check_quotation_lines(self):
        """Refuse to quote archived products or a currency the lines are not priced in."""
        for lead in self:
            archived = lead.line_ids.product_id.filtered(lambda p: not p.active)
            if archived:
                raise UserError(
                    self.env._(
                        "These products are archived and cannot be quoted: %(products)s. "
                        "Replace them on the opportunity or ask a product manager to "
                        "restore them.",
                        products=", ".join(archived.mapped("display_name")),
                    )
                )
            partner = lead.quotation_partner_id
            company = lead.company_id or self.env.company
            partner_pricelist = partner.with_company(company).property_product_pricelist
            if (
                lead.line_ids
                and not lead.pricelist_id
                and partner_pricelist
                and partner_pricelist.currency_id != lead.quotation_currency_id
            ):
                raise UserError(
                    self.env._(
                        "The products of %(lead)s are priced in %(lead_currency)s but the "
                        "pricelist of %(partner)s is in %(partner_currency)s. Choose a "
                        "pricelist on the opportunity so that prices and currency match.",
                        lead=lead.display_name,
                        lead_currency=lead.quotation_currency_id.name,
                        partner=partner.display_name,
                        partner_currency=partner_pricelist.currency_id.name,
                    )
                )

    def _prepare_quotation_values(self):
        """Values of a new quotation of this opportunity (without the stock ones)."""
        self.ensure_one()
        partner = self.quotation_partner_id
        company = self.company_id or self.env.company
        values = {
            "partner_id": partner.id,
            "end_customer_id": self.partner_id.id if self.distributor_id else False,
            "payment_term_id": partner.with_company(company).property_payment_term_id.id,
            "order_line": [
                Command.create(line._prepare_sale_order_line_values()) for line in self.line_ids
            ],
        }
        if self.pricelist_id:
            values["pricelist_id"] = self.pricelist_id.id
        if self.user_id:
            values["user_id"] = self.user_id.id
        if self.team_id:
            values["team_id"] = self.team_id.id
        return values

    def _prepare_new_quotation_values(self):
        """All the values of a quotation created from this opportunity."""
        self.ensure_one()
        values = {
            "opportunity_id": self.id,
            "campaign_id": self.campaign_id.id,
            "medium_id": self.medium_id.id,
            "source_id": self.source_id.id,
            "origin": self.name,
            "company_id": self.company_id.id or self.env.company.id,
            "tag_ids": [Command.set(self.tag_ids.ids)],
        }
        values.update(self._prepare_quotation_values())
        return {key: value for key, value in values.items() if value is not False}

    def _prepare_opportunity_quotation_context(self):
        context = super()._prepare_opportunity_quotation_context()
        context["default_tag_ids"] = [Command.set(self.tag_ids.ids)]
        for key, value in self._prepare_quotation_values().items():
            if value:
                context[f"default_{key}"] = value
        return context

    def _propose_lost_if_no_quotation_left(self):
        """Flag the opportunities whose every quotation is cancelled or expired,
        and the won ones left without a confirmed order (their order was
        cancelled): the salesperson decides, nothing is marked lost here."""
        today = fields.Date.context_today(self)
        reason_open = self.env._("Every quotation of this opportunity is cancelled or expired.")
        reason_won = self.env._(
            "This opportunity is won but its confirmed order was cancelled: "
            "no confirmed order backs it any more."
        )
        for lead in self:
            if lead.type != "opportunity" or not lead.active or lead.lost_proposed:
                continue
            orders = lead.order_ids
            if not orders:
                continue
            if lead.probability >= 100:
                reason = reason_won
                closed = not any(order.state == "sale" for order in orders) and any(
                    order.state == "cancel" for order in orders
                )
            else:
                reason = reason_open
                closed = all(
                    order.state == "cancel"
                    or (
                        order.state in ("draft", "sent")
                        and order.validity_date
                        and order.validity_date < today
                    )
                    for order in orders
                )
            if closed:
                lead._propose_lost(reason)

    def _propose_lost(self, reason):
        self.ensure_one()
        self.write({"lost_proposed": True, "lost_proposal_reason": reason})
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Mark as lost?"),
            note=reason,
            user_id=self.user_id.id or self.env.uid,
        )

    def _set_won_from_orders(self):
        """Won, with the confirmed amount of the orders as revenue."""
        for lead in self:
            lead.write(
                {
                    "revenue_from_lines": False,
                    "expected_revenue": lead.sale_amount_total,
                    "lost_proposed": False,
                    "lost_proposal_reason": False,
                }
            )
            if lead.probability < 100 or not lead.stage_id.is_won:
                lead.action_set_won()

    # ------------------------------------------------------------
    # BUSINESS: readiness panel
    # ------------------------------------------------------------

    def _get_readiness_company(self):
        self.ensure_one()
        return self.company_id or self.env.company

    def _get_readiness_data(self):
        """Everything the readiness panel shows, in a constant number of queries."""
        self.ensure_one()
        company = self._get_readiness_company()
        partner = self.quotation_partner_id.commercial_partner_id
        currency = company.currency_id
        values = {
            "readiness_partner_id": partner.id,
            "credit_has_limit": False,
            "credit_limit_amount": 0.0,
            "credit_receivable": 0.0,
            "credit_uninvoiced": 0.0,
            "credit_used": 0.0,
            "credit_available": 0.0,
            "credit_overdue_amount": 0.0,
            "credit_overdue_days": 0,
            "credit_after_deal": 0.0,
            "credit_message": False,
            "credit_level": "none",
            "readiness_history_html": False,
            "revenue_last_12_months": 0.0,
            "revenue_previous_12_months": 0.0,
        }
        if partner:
            family_ids = list(partner._get_family_ids())
            position = partner._get_credit_positions(company, family_ids=family_ids)[partner]
            amount = self.expected_revenue
            values.update(
                {
                    "credit_has_limit": position.has_limit,
                    "credit_limit_amount": position.limit,
                    "credit_receivable": position.receivable,
                    "credit_uninvoiced": position.uninvoiced,
                    "credit_used": position.used,
                    "credit_available": position.available,
                    "credit_overdue_amount": position.overdue_amount,
                    "credit_overdue_days": position.overdue_days,
                    "credit_after_deal": position.after(amount),
                }
            )
            values.update(self._get_credit_outlook(partner, position, amount, currency))
            history = self._get_purchase_history(partner, company, family_ids=family_ids)
            values.update(
                {
                    "revenue_last_12_months": history["last"],
                    "revenue_previous_12_months": history["previous"],
                    "readiness_history_html": self.env["ir.qweb"]._render(
                        "crm_quotation.readiness_history", history
                    ),
                }
            )
        # the lines compute their stock once; the panel reads it from them
        stock_rows = []
        warnings = []
        for line in self.line_ids:
            for row in line.stock_warehouse_data or []:
                stock_rows.append(dict(row, warning=bool(line.stock_warning)))
            if line.stock_warning:
                warnings.append(line.stock_warning)
        values["readiness_stock_html"] = self.env["ir.qweb"]._render(
            "crm_quotation.readiness_stock", {"rows": stock_rows, "warnings": warnings}
        )
        values["readiness_shipping_html"] = self.env["ir.qweb"]._render(
            "crm_quotation.readiness_shipping", self._get_shipping_data()
        )
        return {"fields": values}

    def _get_credit_outlook(self, partner, position, amount, currency):
        if not position.has_limit:
            return {
                "credit_level": "none",
                "credit_message": self.env._(
                    "No credit limit is set for %(partner)s: ask finance to set one before "
                    "promising payment terms.",
                    partner=partner.display_name,
                ),
            }
        after = position.after(amount)
        if float_compare(after, 0.0, precision_rounding=currency.rounding) < 0:
            return {
                "credit_level": "danger",
                "credit_message": self.env._(
                    "After this deal: %(amount)s over the credit limit. Ask for a prepayment "
                    "or a credit manager's approval before confirming.",
                    amount=format_amount(self.env, -after, currency),
                ),
            }
        return {
            "credit_level": "ok",
            "credit_message": self.env._(
                "After this deal: %(amount)s of credit left.",
                amount=format_amount(self.env, after, currency),
            ),
        }

    def _get_stock_readiness_data(self):
        """Stock of the product lines per warehouse: on hand, reserved, free, forecast.

        Three aggregated queries (quants, open moves, locations) whatever the
        number of lines and of moves.
        """
        result = {"lines": {}}
        lines = self.line_ids.filtered(lambda line: line.product_id.is_storable)
        if not lines:
            return result
        company = self[:1]._get_readiness_company()
        products = lines.product_id
        # sudo: the panel shows stock figures to salespeople, who may not read quants
        quant_groups = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                domain=[
                    ("product_id", "in", products.ids),
                    ("location_id.usage", "=", "internal"),
                    ("company_id", "=", company.id),
                ],
                groupby=["product_id", "location_id"],
                aggregates=["quantity:sum", "reserved_quantity:sum"],
            )
        )
        move_domain = [
            ("product_id", "in", products.ids),
            ("state", "in", OPEN_MOVE_STATES),
            ("company_id", "=", company.id),
        ]
        deadlines = {lead.date_deadline for lead in self if lead.date_deadline}
        if deadlines:
            close_at = datetime.combine(max(deadlines), time.max)
            move_domain.append(("date", "<=", close_at))
        # sudo: same as above, the forecast comes from moves salespeople need not read
        move_groups = (
            self.env["stock.move"]
            .sudo()
            ._read_group(
                domain=move_domain,
                groupby=["product_id", "location_id", "location_dest_id"],
                aggregates=["product_qty:sum"],
            )
        )
        locations = (
            self.env["stock.location"]
            .sudo()
            .browse(
                {location.id for _product, location, *_rest in quant_groups}
                | {location.id for _product, location, _dest, _qty in move_groups}
                | {dest.id for _product, _location, dest, _qty in move_groups}
            )
        )
        warehouse_of = {location.id: location.warehouse_id for location in locations}
        on_hand = defaultdict(float)
        reserved = defaultdict(float)
        incoming = defaultdict(float)
        outgoing = defaultdict(float)
        for product, location, quantity, reserved_qty in quant_groups:
            warehouse = warehouse_of.get(location.id)
            if warehouse:
                on_hand[product.id, warehouse.id] += quantity
                reserved[product.id, warehouse.id] += reserved_qty
        for product, source, dest, quantity in move_groups:
            from_wh = warehouse_of.get(source.id)
            to_wh = warehouse_of.get(dest.id)
            if from_wh == to_wh:
                continue
            if to_wh:
                incoming[product.id, to_wh.id] += quantity
            if from_wh:
                outgoing[product.id, from_wh.id] += quantity
        warehouses = self.env["stock.warehouse"].browse(
            sorted({key[1] for key in (*on_hand, *incoming, *outgoing)})
        )
        names = {warehouse.id: warehouse.display_name for warehouse in warehouses}
        demand = defaultdict(float)
        for line in lines:
            demand[line.product_id.id] += line.product_uom_id._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id, raise_if_failure=False
            )
        for line in lines:
            product = line.product_id
            totals = dict.fromkeys(("on_hand", "reserved", "free", "forecast"), 0.0)
            rows = []
            for warehouse in warehouses:
                key = (product.id, warehouse.id)
                if key not in on_hand and key not in incoming and key not in outgoing:
                    continue
                row = {
                    "product": product.display_name,
                    "warehouse": names[warehouse.id],
                    "uom": product.uom_id.name,
                    "on_hand": on_hand[key],
                    "reserved": reserved[key],
                    "free": on_hand[key] - reserved[key],
                    "forecast": on_hand[key] + incoming[key] - outgoing[key],
                }
                rows.append(row)
                for name in totals:
                    totals[name] += row[name]
            needed = demand[product.id]
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
            result["lines"][line.id] = dict(totals, needed=needed, warning=warning, warehouses=rows)
        return result

    def _get_shipping_data(self):
        """Deliveries of the opportunity's orders (bounded by this opportunity)."""
        orders = self.order_ids.filtered(lambda order: order.state == "sale")
        status = dict(
            self.env["sale.order"]._fields["delivery_status"]._description_selection(self.env)
        )
        picking_states = dict(
            self.env["stock.picking"]._fields["state"]._description_selection(self.env)
        )
        rows = []
        for order in orders:
            for picking in order.picking_ids:
                rows.append(
                    {
                        "order": order.name,
                        "order_status": status.get(order.delivery_status, ""),
                        "picking": picking.name,
                        "state": picking_states.get(picking.state, picking.state),
                        "scheduled": format_date(self.env, picking.scheduled_date),
                        "done": format_date(self.env, picking.date_done)
                        if picking.date_done
                        else "",
                    }
                )
        return {"rows": rows, "has_orders": bool(orders)}

    @api.model
    def _get_revenue_windows(self, orders_model, domain, company, last_start, previous_start):
        """Untaxed revenue since ``last_start`` and in ``[previous_start, last_start)``.

        One scan of the customer's orders, grouped by currency, converted to the
        company currency.
        """
        today = fields.Date.context_today(self)
        orders_model.flush_model(
            ["partner_id", "state", "company_id", "date_order", "amount_untaxed", "currency_id"]
        )
        query = orders_model._search(domain + [("date_order", ">=", previous_start)])
        table = query.table
        date_order = SQL.identifier(table, "date_order")
        amount = SQL.identifier(table, "amount_untaxed")
        query.groupby = SQL.identifier(table, "currency_id")
        rows = self.env.execute_query(
            query.select(
                SQL.identifier(table, "currency_id"),
                SQL("SUM(CASE WHEN %s >= %s THEN %s ELSE 0 END)", date_order, last_start, amount),
                SQL("SUM(CASE WHEN %s < %s THEN %s ELSE 0 END)", date_order, last_start, amount),
            )
        )
        last = previous = 0.0
        currencies = self.env["res.currency"].browse([row[0] for row in rows])
        for currency, (_currency_id, last_amount, previous_amount) in zip(currencies, rows):
            last += currency._convert(last_amount or 0.0, company.currency_id, company, today)
            previous += currency._convert(
                previous_amount or 0.0, company.currency_id, company, today
            )
        return last, previous

    def _get_purchase_history(self, partner, company, family_ids=None):
        """Last orders, top products and 12-month revenue of the customer, in 4 queries."""
        today = fields.Date.context_today(self)
        currency = company.currency_id
        last_start, previous_start = history_tools.period_bounds(today)
        if family_ids is None:
            family_ids = list(partner._get_family_ids())
        partner_domain = [
            ("partner_id", "in", family_ids),
            ("state", "=", "sale"),
            ("company_id", "=", company.id),
        ]
        # sudo: the history covers every order of the customer, not only the user's own
        SaleOrder = self.env["sale.order"].sudo()
        last_orders = SaleOrder.search_fetch(
            partner_domain,
            ["name", "date_order", "amount_total", "currency_id"],
            order="date_order desc, id desc",
            limit=5,
        )
        last, previous = self._get_revenue_windows(
            SaleOrder, partner_domain, company, last_start, previous_start
        )
        product_groups = (
            self.env["sale.order.line"]
            .sudo()
            ._read_group(
                domain=[
                    ("order_partner_id", "in", family_ids),
                    ("state", "=", "sale"),
                    ("company_id", "=", company.id),
                    ("display_type", "=", False),
                    ("is_downpayment", "=", False),
                ],
                groupby=["product_id", "currency_id"],
                aggregates=["price_subtotal:sum"],
            )
        )
        per_product = defaultdict(float)
        for product, line_currency, amount in product_groups:
            per_product[product] += line_currency._convert(amount, currency, company, today)
        top_products = history_tools.top(per_product.items())
        growth = history_tools.growth(last, previous)
        return {
            "last": last,
            "previous": previous,
            "growth": growth,
            "last_label": format_amount(self.env, last, currency),
            "previous_label": format_amount(self.env, previous, currency),
            "growth_label": f"{growth:+.0f}%" if growth is not None else "",
            "last_orders": [
                {
                    "name": order.name,
                    "date": format_date(self.env, order.date_order),
                    "amount": format_amount(self.env, order.amount_total, order.currency_id),
                }
                for order in last_orders
            ],
            "top_products": [
                {
                    "name": product.display_name,
                    "amount": format_amount(self.env, amount, currency),
                }
                for product, amount in top_products
            ],
        }
