from collections import defaultdict
from contextlib import contextmanager
from dataclasses import replace

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount, format_datetime

from ..tools import credit as credit_tools

# context key: the lines are written through their order, which checks the credit once
CREDIT_CHECKED = "crm_quotation_credit_checked"
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
        confirmed = any(vals.get("state") == "sale" for vals in vals_list)
        with self._credit_checked_change(confirmed or self.browse()) as checked:
            orders = super(SaleOrder, self.with_context(**{CREDIT_CHECKED: True})).create(vals_list)
            orders = orders.with_env(self.env)
            # an order created already confirmed (RPC, import) passes the same check
            checked["confirming"] = orders.filtered(lambda order: order.state == "sale")
        leads = orders.opportunity_id.filtered("lost_proposed")
        # sudo: a new quotation revives the opportunity even if another user owns it
        leads.sudo().action_dismiss_lost_proposal()
        return orders

    def write(self, vals):
        self._check_credit_approval_write(vals)
        confirming = self.browse()
        if vals.get("state") == "sale":
            confirming = self.filtered(lambda order: order.state != "sale")
        before = (self - confirming)._get_confirmed_amounts()
        customers = {}
        if "partner_id" in vals:
            customers = {
                order: order.partner_id.commercial_partner_id
                for order in self.filtered("credit_approval_user_id")
            }
        if "partner_id" in vals:
            customers.update(
                {
                    order: order.partner_id.commercial_partner_id
                    for order in self.browse(before)
                    if order not in customers
                }
            )
        with self._credit_checked_change(
            confirming | self.browse(before), confirming=confirming, before=before
        ) as checked:
            # the lines written through the order are checked here, once, as a whole
            res = super(SaleOrder, self.with_context(**{CREDIT_CHECKED: True})).write(vals)
            if customers:
                self._withdraw_credit_approval_of_other_customer(customers)
                # a confirmed order moved to another customer uses that one's credit
                checked["confirming"] |= self.browse(before).filtered(
                    lambda order: order.partner_id.commercial_partner_id != customers[order]
                )
        return res

    @contextmanager
    def _credit_checked_change(self, needed, confirming=None, before=None):
        """Apply the credit policy to the change made in the ``with`` block.

        The block runs in a savepoint: when the policy refuses, nothing of the
        change is left, in the database nor in the cache, even for a caller that
        catches the error.

        :param needed: the orders the change may confirm or enlarge, or True when
            they are not known yet (creation)
        :param confirming: orders being confirmed (or set in the yielded dict)
        :param before: ``{order id: total}`` of confirmed orders before the change
        """
        checked = {"confirming": confirming or self.browse(), "before": before or {}}
        if needed is True:
            # sudo: which companies control credit is configuration, whoever creates
            needed = (
                self.env["res.company"]
                .sudo()
                .search_count([("credit_control_policy", "!=", "off")], limit=1)
            )
        else:
            needed = needed.filtered(lambda order: order.company_id.credit_control_policy != "off")
        if not needed:
            yield checked
            return
        with self.env.cr.savepoint():
            yield checked
            checked["confirming"]._check_credit()
            self.browse()._check_credit_growth(checked["before"])

    @api.depends("company_id", "partner_id", "amount_total")
    def _compute_partner_credit_warning(self):
        # sudo: with the company's "Sales Credit Limit" option, the stock warning
        # reads the customer's credit limit and amounts to invoice, accounting
        # fields a salesperson may not read; the warning itself is for them
        return super(SaleOrder, self.sudo())._compute_partner_credit_warning()

    def _compute_json_popover(self):
        if self.env["stock.move"].has_access("read"):
            return super()._compute_json_popover()
        # sudo: the late-delivery popover reads the deliveries' moves; a finance
        # reader opening an order sees which delivery is late, nothing more
        return super(SaleOrder, self.sudo())._compute_json_popover()

    def _withdraw_credit_approval_of_other_customer(self, customers):
        withdrawn = self.filtered(
            lambda order: order in customers
            and order.credit_approval_user_id
            and order.partner_id.commercial_partner_id != customers[order]
        )
        if not withdrawn:
            return
        # sudo: withdrawing an approval given for another customer is not approving
        withdrawn.sudo().write(dict.fromkeys(CREDIT_APPROVAL_FIELDS, False))
        for order in withdrawn:
            order.message_post(
                body=self.env._("Credit approval withdrawn: the customer of the order changed."),
                subtype_xmlid="mail.mt_note",
            )

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
        # the credit check runs in write(), where the state becomes "sale"
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

    def _get_credit_amount(self, amount=None):
        """``amount`` (default: the order total) in the company currency, taxes included."""
        self.ensure_one()
        return self.currency_id._convert(
            self.amount_total if amount is None else amount,
            self.company_id.currency_id,
            self.company_id,
            fields.Date.context_today(self),
        )

    def _get_confirmed_amounts(self):
        """``{order id: total}`` of the confirmed orders, to detect an order that grows."""
        return {order.id: order.amount_total for order in self if order.state == "sale"}

    def _credit_approval_covers(self):
        self.ensure_one()
        return credit_tools.approval_covers(
            self.credit_approval_amount,
            self.credit_approval_currency_id,
            self.amount_total,
            self.currency_id,
            rounding=self.currency_id.rounding,
        )

    def _check_credit_growth(self, before):
        """Check the confirmed orders whose total grew since ``before`` (line edits)."""
        grown = (
            self.browse(before)
            .exists()
            .filtered(
                lambda order: order.state == "sale"
                and order.currency_id.compare_amounts(order.amount_total, before[order.id]) > 0
            )
        )
        grown._check_credit(previous=before)

    def _check_credit(self, previous=None):
        """Apply the company's credit policy to confirmed orders; raise when it blocks.

        Every path that confirms an order (``action_confirm``, a write or create of
        ``state``, automated actions, imports) or makes a confirmed order bigger
        (line edits and additions, through the order or the lines) ends here,
        after the change and before the transaction commits. The customer's row
        is locked first, so that two confirmations for one customer at the same
        moment are serialised: the second one sees the first.

        :param dict previous: ``{order id: total before}`` of confirmed orders that
            grew; the other orders are checked as newly confirmed
        """
        previous = previous or {}
        to_check = self.filtered(
            lambda order: order.state == "sale" and order.company_id.credit_control_policy != "off"
        )
        if not to_check:
            return
        # the message is for the user, also through an external RPC without a context lang
        lang = self.env.context.get("lang") or self.env.user.lang
        for company, orders in to_check.grouped("company_id").items():
            orders.partner_id.commercial_partner_id._lock_credit()
            positions = orders.partner_id._get_credit_positions(company)
            added = {
                order: order._get_credit_amount(order.amount_total - previous.get(order.id, 0.0))
                for order in orders
            }
            # the positions count the orders of this batch already: take them out,
            # then add them back one by one, as if they were confirmed in turn
            in_batch = defaultdict(float)
            for order in orders:
                in_batch[order.partner_id.commercial_partner_id] -= added[order]
            for order in orders:
                partner = order.partner_id.commercial_partner_id
                position = positions[order.partner_id]
                position = replace(position, uninvoiced=position.uninvoiced + in_batch[partner])
                in_batch[partner] += added[order]
                decision = credit_tools.evaluate(
                    position,
                    added[order],
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
                    decision, position, added[order], growing=order.id in previous
                )
                if company.credit_control_policy == "block":
                    raise UserError(message)
                order.message_post(body=message, subtype_xmlid="mail.mt_note")

    def _get_credit_block_message(self, decision, position, amount, growing=False):
        """What blocks (or warns about) this order and what to do, in the user's language."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if growing:
            intro = self.env._(
                "%(order)s cannot grow by %(amount)s: %(partner)s would be over its credit.",
                order=self.name,
                amount=format_amount(self.env, amount, self.company_id.currency_id),
                partner=partner.display_name,
            )
        else:
            intro = self.env._(
                "%(order)s cannot be confirmed: %(partner)s would be over its credit.",
                order=self.name,
                partner=partner.display_name,
            )
        parts = [intro]
        parts += partner._get_credit_situation_lines(
            self.company_id, position, amount, reasons=decision.reasons
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
        if growing:
            parts.append(
                self.env._(
                    "What to do: keep the order at its amount, or ask a credit manager to "
                    "approve the new amount of this order (Approve Credit) before changing it."
                )
            )
        else:
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

    def _approve_credit(self, reason, amount=None):
        """Record a credit manager's approval of this order, up to ``amount``.

        ``amount`` (order currency) defaults to the order's current total; a
        confirmed order may be approved for a bigger amount before it grows.
        """
        self.ensure_one()
        if self.state not in ("draft", "sent", "sale"):
            raise UserError(self.env._("A cancelled order cannot be approved for credit."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the credit approval."))
        amount = self.amount_total if amount is None else amount
        if self.currency_id.compare_amounts(amount, self.amount_total) < 0:
            raise UserError(
                self.env._(
                    "The approved amount (%(approved)s) cannot be less than the order "
                    "total (%(amount)s).",
                    approved=format_amount(self.env, amount, self.currency_id),
                    amount=format_amount(self.env, self.amount_total, self.currency_id),
                )
            )
        now = fields.Datetime.now()
        self.write(
            {
                "credit_approval_amount": amount,
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
                amount=format_amount(self.env, amount, self.currency_id),
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
