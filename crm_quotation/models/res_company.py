from odoo import fields, models
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_control_policy = fields.Selection(
        selection=[
            ("off", "Off"),
            ("warn", "Warn"),
            ("block", "Block"),
        ],
        string="Credit Control",
        required=True,
        default="off",
        help="What happens when a sales order is confirmed for a customer over its "
        "credit limit or with old overdue invoices: nothing, a warning in the "
        "order's chatter, or the confirmation is refused until a credit manager "
        "approves the order.",
    )
    credit_overdue_days = fields.Integer(
        string="Overdue Tolerance (Days)",
        default=30,
        help="Confirmation is refused when the customer has an invoice overdue by more "
        "than this many days. 0 disables this rule.",
    )
    quotation_keep_others = fields.Boolean(
        string="Keep Other Quotations",
        default=True,
        help="When a quotation of an opportunity is confirmed, keep its other open "
        "quotations instead of cancelling them.",
    )
    distributor_opportunity_type_id = fields.Many2one(
        comodel_name="crm.opportunity.type",
        string="Distributor Opportunity Type",
        help="Type given to the opportunities created from an approved deal registration.",
    )

    def _demo_set_currency(self, currency_id):
        """Demo data only: the main company of the story invoices in ``currency_id``.

        The ORM refuses to change the currency of a company with journal items,
        and ``account``'s demo has already posted some in the default currency;
        those demo entries keep their amounts. Its default pricelist follows.
        """
        currency = self.env["res.currency"].browse(currency_id)
        for company in self.filtered(lambda company: company.currency_id != currency):
            self.env.cr.execute(
                SQL(
                    "UPDATE res_company SET currency_id = %s WHERE id = %s",
                    currency.id,
                    company.id,
                )
            )
            company.invalidate_recordset(["currency_id"])
            # sudo: demo data, the pricelists of the company follow its currency
            self.env["product.pricelist"].sudo().search(
                [("company_id", "in", (company.id, False)), ("currency_id", "!=", currency.id)]
            ).write({"currency_id": currency.id})
