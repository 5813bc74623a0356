from collections import defaultdict
from datetime import date

from odoo import fields, models
from odoo.osv import expression
from odoo.tools import SQL, format_amount, format_date

from ..tools import credit as credit_tools
from ..tools import history as history_tools
from ..tools.credit import CreditPosition


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _get_credit_receivable_domain(self, company):
        """Open receivables of customer invoices; refunds and payments are left out."""
        return [
            ("company_id", "=", company.id),
            ("partner_id", "in", self.ids),
            ("parent_state", "=", "posted"),
            ("account_id.account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("move_id.move_type", "in", ("out_invoice", "out_receipt")),
        ]

    def _get_credit_draft_invoice_domain(self, company):
        """Receivable lines of draft invoices and refunds made from sales orders.

        The order lines already count them as invoiced, but they are not
        receivables yet: they stay in the uninvoiced commitment until posted.
        """
        return [
            ("company_id", "=", company.id),
            ("partner_id", "in", self.ids),
            ("parent_state", "=", "draft"),
            ("account_id.account_type", "=", "asset_receivable"),
            ("move_id.move_type", "in", ("out_invoice", "out_refund")),
            ("move_id.line_ids.sale_line_ids", "!=", False),
        ]

    def _lock_credit(self):
        """Serialise the credit checks of these commercial partners.

        The rows are updated (not only locked): under Odoo's REPEATABLE READ, a
        second transaction that checks the same customer at the same moment then
        fails with a serialisation error and is retried by the server, and its
        retry sees the order the first one confirmed. Ids are sorted to avoid
        deadlocks between customers.
        """
        if not self.ids:
            return
        self.flush_recordset(["write_date"])
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET write_date = write_date WHERE id IN %s",
                tuple(sorted(self.ids)),
            )
        )

    def _get_credit_situation_lines(self, company, position, amount=0.0, reasons=None):
        """The credit situation of this commercial partner, one sentence per fact.

        The only place where credit figures are put into words: the order's
        block message, the approval wizard and the readiness panel use it.

        :param CreditPosition position: the partner's position, without ``amount``
        :param float amount: the order or deal being considered, company currency
        :param reasons: the reasons of a refusal (``tools.credit``); None: the
            figures only
        """
        self.ensure_one()
        currency = company.currency_id

        def fmt(value):
            return format_amount(self.env, value, currency)

        if not position.has_limit:
            return [
                self.env._(
                    "No credit limit is set for %(partner)s in %(company)s.",
                    partner=self.display_name,
                    company=company.name,
                )
            ]
        lines = [
            self.env._(
                "Credit limit %(limit)s, used %(used)s, available %(available)s.",
                limit=fmt(position.limit),
                used=fmt(position.used),
                available=fmt(position.available),
            )
        ]
        after = position.after(amount)
        if reasons is None or credit_tools.OVER_LIMIT in reasons:
            if currency.compare_amounts(after, 0.0) < 0:
                if currency.compare_amounts(amount, 0.0) > 0:
                    lines.append(
                        self.env._(
                            "%(amount)s more is over the limit by %(excess)s.",
                            amount=fmt(amount),
                            excess=fmt(-after),
                        )
                    )
                else:
                    lines.append(
                        self.env._("Already over the limit by %(excess)s.", excess=fmt(-after))
                    )
            elif currency.compare_amounts(amount, 0.0) > 0:
                lines.append(
                    self.env._(
                        "%(amount)s more leaves %(left)s.",
                        amount=fmt(amount),
                        left=fmt(after),
                    )
                )
        if position.overdue_amount and (reasons is None or credit_tools.OVERDUE in reasons):
            lines.append(
                self.env._(
                    "%(overdue)s is overdue for up to %(days)s days (tolerance: %(max)s days).",
                    overdue=fmt(position.overdue_amount),
                    days=position.overdue_days,
                    max=company.credit_overdue_days,
                )
            )
        return lines

    def _get_family_ids(self):
        """Ids of these partners and all their contacts, archived ones included (1 query)."""
        return (
            self.with_context(active_test=False)
            ._search([("id", "child_of", self.ids)])
            .get_result_ids()
        )

    def _get_credit_uninvoiced_domain(self, company, family_ids=None):
        """Lines of confirmed orders of these customers (and their contacts)."""
        if family_ids is None:
            family_ids = self._get_family_ids()
        return [
            ("company_id", "=", company.id),
            ("order_partner_id", "in", list(family_ids)),
            ("state", "=", "sale"),
            ("display_type", "=", False),
            ("product_uom_qty", ">", 0),
        ]

    def _get_credit_positions(self, company, family_ids=None):
        """Credit position of each commercial partner in ``company``, company currency.

        A constant number of queries whatever the customer's history: one
        aggregate of open receivables and of draft invoices of orders, one of
        overdue receivables, one of the confirmed, not yet invoiced order lines
        (taxes included), one for the contacts' commercial partners, plus one
        rate query per foreign currency.

        :param family_ids: ids of the commercial partners and their contacts, when
            the caller already has them
        :return: ``{partner: CreditPosition}`` for every partner of ``self``
        """
        partners = self.commercial_partner_id
        today = fields.Date.context_today(self)
        currency = company.currency_id
        # sudo: credit figures come from accounting, which salespeople cannot read,
        # and must cover every order of the customer, not only the user's own.
        MoveLine = self.env["account.move.line"].sudo()
        receivable_domain = partners._get_credit_receivable_domain(company)
        # posted receivables and draft invoices of orders, in the same query
        receivable = defaultdict(float)
        draft_invoiced = defaultdict(float)
        for partner, state, amount in MoveLine._read_group(
            domain=expression.OR(
                [receivable_domain, partners._get_credit_draft_invoice_domain(company)]
            ),
            groupby=["partner_id", "parent_state"],
            aggregates=["amount_residual:sum"],
        ):
            if state == "draft":
                draft_invoiced[partner] += amount
            else:
                receivable[partner] += amount
        overdue = {
            partner: (amount, oldest)
            for partner, amount, oldest in MoveLine._read_group(
                domain=receivable_domain
                + [("date_maturity", "<", today), ("amount_residual", ">", 0)],
                groupby=["partner_id"],
                aggregates=["amount_residual:sum", "date_maturity:min"],
            )
        }
        uninvoiced = partners._get_credit_uninvoiced_amounts(company, family_ids=family_ids)
        # sudo: the limit is a company-dependent accounting property
        limits = {
            partner: partner.credit_limit for partner in partners.with_company(company).sudo()
        }
        positions = {}
        for partner in partners:
            overdue_amount, oldest = overdue.get(partner, (0.0, None))
            positions[partner] = CreditPosition(
                limit=limits.get(partner, 0.0) or 0.0,
                receivable=currency.round(receivable.get(partner, 0.0)),
                uninvoiced=currency.round(
                    uninvoiced.get(partner.id, 0.0) + draft_invoiced.get(partner, 0.0)
                ),
                overdue_amount=currency.round(overdue_amount),
                overdue_days=(today - oldest).days if isinstance(oldest, date) else 0,
            )
        return {partner: positions[partner.commercial_partner_id] for partner in self}

    def _get_revenue_windows(self, company, last_start, previous_start, family_ids=None):
        """Untaxed revenue of these customers since ``last_start`` and in
        ``[previous_start, last_start)``, company currency.

        One scan of the confirmed orders, grouped by currency.
        """
        if family_ids is None:
            family_ids = self._get_family_ids()
        today = fields.Date.context_today(self)
        # sudo: the history covers every order of the customer, not only the user's own
        SaleOrder = self.env["sale.order"].sudo()
        SaleOrder.flush_model(
            ["partner_id", "state", "company_id", "date_order", "amount_untaxed", "currency_id"]
        )
        query = SaleOrder._search(
            self._get_purchase_domain(company, family_ids) + [("date_order", ">=", previous_start)]
        )
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
        for currency, (_currency_id, last_amount, previous_amount) in zip(
            currencies, rows, strict=True
        ):
            last += currency._convert(last_amount or 0.0, company.currency_id, company, today)
            previous += currency._convert(
                previous_amount or 0.0, company.currency_id, company, today
            )
        return last, previous

    def _get_purchase_domain(self, company, family_ids):
        return [
            ("partner_id", "in", list(family_ids)),
            ("state", "=", "sale"),
            ("company_id", "=", company.id),
        ]

    def _get_purchase_history(self, company, family_ids=None):
        """Last orders, top products and 12-month revenue of the customer, in 4 queries."""
        self.ensure_one()
        if family_ids is None:
            family_ids = self._get_family_ids()
        family_ids = list(family_ids)
        today = fields.Date.context_today(self)
        currency = company.currency_id
        last_start, previous_start = history_tools.period_bounds(today)
        # sudo: the history covers every order of the customer, not only the user's own
        last_orders = (
            self.env["sale.order"]
            .sudo()
            .search_fetch(
                self._get_purchase_domain(company, family_ids),
                ["name", "date_order", "amount_total", "currency_id"],
                order="date_order desc, id desc",
                limit=5,
            )
        )
        last, previous = self._get_revenue_windows(
            company, last_start, previous_start, family_ids=family_ids
        )
        # sudo: same as above
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

    def _get_credit_uninvoiced_amounts(self, company, family_ids=None):
        """Confirmed order amounts not yet invoiced, taxes included, per commercial partner.

        Ordered (not delivered) quantities count: the whole commitment of a
        confirmed order uses credit until it is invoiced.
        """
        today = fields.Date.context_today(self)
        # sudo: the credit covers every confirmed order of the customer, not only
        # those the user may read
        SaleLine = self.env["sale.order.line"].sudo()
        SaleLine.flush_model(
            [
                "company_id",
                "order_partner_id",
                "state",
                "display_type",
                "product_uom_qty",
                "qty_invoiced",
                "price_total",
                "currency_id",
            ]
        )
        query = SaleLine._search(self._get_credit_uninvoiced_domain(company, family_ids))
        table = query.table
        query.groupby = SQL(
            "%s, %s",
            SQL.identifier(table, "order_partner_id"),
            SQL.identifier(table, "currency_id"),
        )
        rows = self.env.execute_query(
            query.select(
                SQL.identifier(table, "order_partner_id"),
                SQL.identifier(table, "currency_id"),
                SQL(
                    "SUM(%s * GREATEST(%s - %s, 0) / %s)",
                    SQL.identifier(table, "price_total"),
                    SQL.identifier(table, "product_uom_qty"),
                    SQL.identifier(table, "qty_invoiced"),
                    SQL.identifier(table, "product_uom_qty"),
                ),
            )
        )
        currencies = self.env["res.currency"].browse({row[1] for row in rows})
        if len(self) == 1:
            # a single customer: every row belongs to it, no need to read the contacts
            commercial = {row[0]: self.id for row in rows}
        else:
            order_partners = self.browse({row[0] for row in rows})
            commercial = {
                partner.id: partner.commercial_partner_id.id for partner in order_partners
            }
        amounts = {}
        for partner_id, currency_id, amount in rows:
            converted = currencies.browse(currency_id)._convert(
                amount or 0.0, company.currency_id, company, today
            )
            key = commercial[partner_id]
            amounts[key] = amounts.get(key, 0.0) + converted
        return amounts
