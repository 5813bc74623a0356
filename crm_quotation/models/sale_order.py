from collections import defaultdict
from dataclasses import replace

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount, format_datetime

from ..tools import credit as credit_tools

CREDIT_APPROVAL_FIELDS = (
    "credit_approval_amount",
    "credit_approval_currency_id",
    "credit_approval_user_id",
    "credit_approval_date",
    "credit_approval_reason",
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    opportunity_id = fields.Many2one(
        index="btree_not_null",
    )
    end_customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="End Customer",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="The customer who uses the goods when the order is placed by a distributor.",
    )
    registration_id = fields.Many2one(
        related="opportunity_id.registration_id",
        string="Deal Registration",
    )
    # Credit approval: one order, one amount, one currency
    credit_approval_amount = fields.Monetary(
        string="Approved Credit Amount",
        currency_field="credit_approval_currency_id",
        readonly=True,
        copy=False,
    )
    credit_approval_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Approved Credit Currency",
        readonly=True,
        copy=False,
    )
    credit_approval_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Credit Approved By",
        readonly=True,
        copy=False,
    )
    credit_approval_date = fields.Datetime(
        string="Credit Approved On",
        readonly=True,
        copy=False,
    )
    credit_approval_reason = fields.Text(
        readonly=True,
        copy=False,
    )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_credit_approval_write(vals)
        orders = super().create(vals_list)
        leads = orders.opportunity_id.filtered("lost_proposed")
        # sudo: a new quotation revives the opportunity even if another user owns it
        leads.sudo().action_dismiss_lost_proposal()
        return orders

    def write(self, vals):
        self._check_credit_approval_write(vals)
        if "partner_id" not in vals:
            return super().write(vals)
        approved = self.filtered("credit_approval_user_id")
        customers = {order: order.partner_id.commercial_partner_id for order in approved}
        res = super().write(vals)
        withdrawn = approved.filtered(
            lambda order: order.partner_id.commercial_partner_id != customers[order]
        )
        if withdrawn:
            # sudo: withdrawing an approval given for another customer is not approving
            withdrawn.sudo().write(dict.fromkeys(CREDIT_APPROVAL_FIELDS, False))
            for order in withdrawn:
                order.message_post(
                    body=self.env._(
                        "Credit approval withdrawn: the customer of the order changed."
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return res

    def _check_credit_approval_write(self, vals):
        if self.env.su or not any(name in vals for name in CREDIT_APPROVAL_FIELDS):
            return
        if not self.env.user.has_group("crm_quotation.group_credit_manager"):
            raise AccessError(
                self.env._("Only a credit manager can approve an order over the credit limit.")
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_confirm(self):
        self._check_credit_on_confirm()
        res = super().action_confirm()
        self._update_opportunity_on_confirm()
        return res

    def action_open_credit_approval(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve Credit"),
            "res_model": "sale.credit.approval",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_view_opportunity(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("crm.crm_lead_opportunities")
        action.update(
            {
                "views": [(self.env.ref("crm.crm_lead_view_form").id, "form")],
                "res_id": self.opportunity_id.id,
                "view_mode": "form",
            }
        )
        return action

    def action_view_registration(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.deal.registration",
            "res_id": self.registration_id.id,
            "views": [(False, "form")],
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # BUSINESS: credit control
    # ------------------------------------------------------------

    def _get_credit_amount(self):
        """Amount of the order in the company currency, taxes included."""
        self.ensure_one()
        return self.currency_id._convert(
            self.amount_total,
            self.company_id.currency_id,
            self.company_id,
            fields.Date.context_today(self),
        )

    def _credit_approval_covers(self):
        self.ensure_one()
        return credit_tools.approval_covers(
            self.credit_approval_amount,
            self.credit_approval_currency_id,
            self.amount_total,
            self.currency_id,
            rounding=self.currency_id.rounding,
        )

    def _check_credit_on_confirm(self):
        """Apply the company's credit policy; raise when it blocks an order.

        Runs in ``action_confirm`` itself, so it holds for the web client, RPC,
        duplicated quotations and automated confirmations alike.
        """
        to_check = self.filtered(
            lambda order: order.state in ("draft", "sent")
            and order.company_id.credit_control_policy != "off"
        )
        # the message is for the user, also through an external RPC without a context lang
        lang = self.env.context.get("lang") or self.env.user.lang
        for company, orders in to_check.grouped("company_id").items():
            positions = orders.partner_id._get_credit_positions(company)
            in_batch = defaultdict(float)
            for order in orders:
                partner = order.partner_id.commercial_partner_id
                position = positions[order.partner_id]
                position = replace(position, uninvoiced=position.uninvoiced + in_batch[partner])
                amount = order._get_credit_amount()
                in_batch[partner] += amount
                decision = credit_tools.evaluate(
                    position,
                    amount,
                    max_overdue_days=company.credit_overdue_days,
                    rounding=company.currency_id.rounding,
                )
                if decision.allowed:
                    continue
                if order._credit_approval_covers():
                    order.message_post(
                        body=order._get_credit_approval_used_message(),
                        subtype_xmlid="mail.mt_note",
                    )
                    continue
                message = order.with_context(lang=lang)._get_credit_block_message(
                    decision, position, amount
                )
                if company.credit_control_policy == "block":
                    raise UserError(message)
                order.message_post(body=message, subtype_xmlid="mail.mt_note")

    def _get_credit_block_message(self, decision, position, amount):
        self.ensure_one()
        currency = self.company_id.currency_id
        partner = self.partner_id.commercial_partner_id

        def fmt(value):
            return format_amount(self.env, value, currency)

        parts = [
            self.env._(
                "%(order)s cannot be confirmed: %(partner)s would be over its credit.",
                order=self.name,
                partner=partner.display_name,
            )
        ]
        if credit_tools.NO_LIMIT in decision.reasons:
            parts.append(
                self.env._(
                    "No credit limit is set for this customer in %(company)s.",
                    company=self.company_id.name,
                )
            )
        if credit_tools.OVER_LIMIT in decision.reasons:
            parts.append(
                self.env._(
                    "Credit limit %(limit)s, used %(used)s, available %(available)s; this "
                    "order of %(amount)s exceeds it by %(excess)s.",
                    limit=fmt(position.limit),
                    used=fmt(position.used),
                    available=fmt(position.available),
                    amount=fmt(amount),
                    excess=fmt(-position.after(amount)),
                )
            )
        if credit_tools.OVERDUE in decision.reasons:
            parts.append(
                self.env._(
                    "%(overdue)s is overdue for up to %(days)s days (tolerance: %(max)s days).",
                    overdue=fmt(position.overdue_amount),
                    days=position.overdue_days,
                    max=self.company_id.credit_overdue_days,
                )
            )
        if self.credit_approval_user_id:
            parts.append(
                self.env._(
                    "The credit approval of %(approved)s does not cover this order "
                    "(now %(amount)s).",
                    approved=format_amount(
                        self.env, self.credit_approval_amount, self.credit_approval_currency_id
                    ),
                    amount=format_amount(self.env, self.amount_total, self.currency_id),
                )
            )
        parts.append(
            self.env._(
                "What to do: collect the overdue payments, ask for a prepayment or reduce "
                "the order, or ask a credit manager to approve this order (Approve Credit)."
            )
        )
        return "\n".join(parts)

    def _get_credit_approval_used_message(self):
        self.ensure_one()
        return self.env._(
            "Confirmed over the credit limit with the approval of %(user)s on %(date)s "
            "for %(amount)s.",
            user=self.credit_approval_user_id.name,
            date=format_datetime(self.env, self.credit_approval_date),
            amount=format_amount(
                self.env, self.credit_approval_amount, self.credit_approval_currency_id
            ),
        )

    def _approve_credit(self, reason):
        """Record a credit manager's approval of this order at its current amount."""
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            raise UserError(self.env._("Only a quotation can be approved for credit."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the credit approval."))
        now = fields.Datetime.now()
        self.write(
            {
                "credit_approval_amount": self.amount_total,
                "credit_approval_currency_id": self.currency_id.id,
                "credit_approval_user_id": self.env.uid,
                "credit_approval_date": now,
                "credit_approval_reason": reason.strip(),
            }
        )
        self.message_post(
            body=self.env._(
                "Credit approved by %(user)s on %(date)s for %(amount)s: %(reason)s",
                user=self.env.user.name,
                date=format_datetime(self.env, now),
                amount=format_amount(self.env, self.amount_total, self.currency_id),
                reason=reason.strip(),
            ),
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------
    # BUSINESS: the opportunity follows its orders
    # ------------------------------------------------------------

    def _update_opportunity_on_confirm(self):
        confirmed = self.filtered(lambda order: order.state == "sale" and order.opportunity_id)
        if not confirmed:
            return
        # sudo: confirming the order is what wins the deal; the confirming user may
        # not own the opportunity nor its other quotations (personal record rules).
        confirmed.opportunity_id.sudo()._set_won_from_orders()
        for order in confirmed:
            if order.company_id.quotation_keep_others:
                continue
            # sudo: same reason as above
            others = order.opportunity_id.sudo().order_ids.filtered(
                lambda other: other.state in ("draft", "sent") and other not in self
            )
            if not others:
                continue
            others.with_context(disable_cancel_warning=True).action_cancel()
            for other in others:
                other.message_post(
                    body=self.env._(
                        "Cancelled: %(order)s of the same opportunity was confirmed.",
                        order=order.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _action_cancel(self):
        res = super()._action_cancel()
        # sudo: the opportunity may belong to another salesperson
        self.opportunity_id.sudo()._propose_lost_if_no_quotation_left()
        return res

    @api.model
    def _cron_propose_lost_expired_quotations(self):
        """Flag the opportunities whose quotations all expired."""
        orders = self.search(
            [
                ("state", "in", ("draft", "sent")),
                ("validity_date", "<", fields.Date.context_today(self)),
                ("opportunity_id", "!=", False),
                ("opportunity_id.lost_proposed", "=", False),
            ]
        )
        orders.opportunity_id._propose_lost_if_no_quotation_left()
