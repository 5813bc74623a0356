from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import float_compare, format_date

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
            ("warning", "Watch"),
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
            pricelist = partner.with_company(company).property_product_pricelist
            if pricelist.company_id and pricelist.company_id != lead.company_id:
                # check_company: a lead of no company (or of another one) cannot
                # hold a company's pricelist; its quotation takes the customer's
                pricelist = pricelist.browse()
            lead.pricelist_id = pricelist

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
        "line_ids.price_subtotal",
        "order_ids.state",
        "order_ids.amount_untaxed",
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
        """Won, with the confirmed amount of the orders as revenue.

        As in ``sale_crm``, only orders in the opportunity's currency (the
        company's) set the revenue: another currency's amount is left out.
        """
        for lead in self:
            values = {"lost_proposed": False, "lost_proposal_reason": False}
            revenue = lead._get_confirmed_revenue()
            if revenue is not None:
                values.update({"revenue_from_lines": False, "expected_revenue": revenue})
            lead.write(values)
            if lead.probability < 100 or not lead.stage_id.is_won:
                lead.action_set_won()

    def _get_confirmed_revenue(self):
        """Untaxed total of the confirmed orders in the opportunity's currency, or
        None when no such order exists."""
        self.ensure_one()
        currency = self.company_currency or self.env.company.currency_id
        orders = self.order_ids.filtered(
            lambda order: order.state == "sale" and order.currency_id == currency
        )
        return sum(orders.mapped("amount_untaxed")) if orders else None

    # ------------------------------------------------------------
    # BUSINESS: readiness panel
    # ------------------------------------------------------------

    def _get_readiness_company(self):
        self.ensure_one()
        return self.company_id or self.env.company

    def _get_readiness_deal_amount(self):
        """What this deal adds to the customer's credit, company currency.

        The product lines when there are (the expected revenue stays 0 until
        "revenue from products" is ticked), else the expected revenue; less what
        the opportunity's confirmed orders already put in the credit used.
        """
        self.ensure_one()
        amount = self.lines_amount if self.line_ids else self.expected_revenue
        return max(amount - self.sale_amount_total, 0.0)

    def _get_own_stock_moves_domain(self):
        """The stock moves of this opportunity's own orders (not held against it)."""
        self.ensure_one()
        return [("sale_line_id.order_id.opportunity_id", "=", self.id)]

    def _get_readiness_data(self):
        """Everything the readiness panel shows, in a constant number of queries.

        Credit and history come from the customer (``res.partner``), stock from
        the lines (``product.product``); here they are only put together.
        """
        self.ensure_one()
        company = self._get_readiness_company()
        partner = self.quotation_partner_id.commercial_partner_id
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
            amount = self._get_readiness_deal_amount()
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
            values.update(self._get_credit_outlook(partner, position, amount, company))
            history = partner._get_purchase_history(company, family_ids=family_ids)
            values.update(
                {
                    "revenue_last_12_months": history["last"],
                    "revenue_previous_12_months": history["previous"],
                    "readiness_history_html": self.env["ir.qweb"]._render(
                        "crm_quotation.readiness_history", history
                    ),
                }
            )
        lines = self.line_ids
        values["readiness_stock_html"] = self.env["ir.qweb"]._render(
            "crm_quotation.readiness_stock",
            {
                "rows": [
                    dict(row, warning=bool(line.stock_warning))
                    for line in lines
                    for row in line.stock_warehouse_data or []
                ],
                "warnings": [line.stock_warning for line in lines if line.stock_warning],
            },
        )
        values["readiness_shipping_html"] = self.env["ir.qweb"]._render(
            "crm_quotation.readiness_shipping", self._get_shipping_data()
        )
        return {"fields": values}

    def _get_credit_outlook(self, partner, position, amount, company):
        """Level and message of the credit alert: whose credit, the figures, what to do."""
        self.ensure_one()
        currency = company.currency_id
        if self.distributor_id:
            whose = self.env._(
                "Credit of the distributor %(distributor)s (the quotations are addressed "
                "to it):",
                distributor=partner.display_name,
            )
        else:
            whose = self.env._("Credit of %(partner)s:", partner=partner.display_name)
        facts = partner._get_credit_situation_lines(company, position, amount)
        confirmed = bool(self.sale_amount_total)
        if not position.has_limit:
            level = "warning"
            advice = self.env._("Ask finance to set a credit limit before promising payment terms.")
        elif currency.compare_amounts(position.after(amount), 0.0) < 0:
            level = "danger"
            if confirmed and not amount:
                advice = self.env._(
                    "This deal's confirmed orders are counted in the credit used. Collect "
                    "the open invoices or ask for a prepayment before the next order."
                )
            else:
                advice = self.env._(
                    "Ask for a prepayment or a credit manager's approval before confirming."
                )
        elif position.overdue_amount:
            level = "warning"
            advice = self.env._("Collect the overdue invoices before confirming.")
        else:
            level = "ok"
            advice = (
                self.env._("This deal's confirmed orders are counted in the credit used.")
                if confirmed
                else ""
            )
        return {
            "credit_level": level,
            "credit_message": " ".join(part for part in (whose, *facts, advice) if part),
        }

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
