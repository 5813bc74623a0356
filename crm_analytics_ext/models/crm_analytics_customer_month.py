from odoo import api, fields, models
from odoo.tools import SQL


class CrmAnalyticsCustomerMonth(models.Model):
    """Confirmed sales per company, customer (commercial partner), salesperson, channel, month.

    The salesperson is a dimension here (salespeople read the facts of their own sales);
    the product facts leave it out to stay small (they are the managers').
    """

    _name = "crm.analytics.customer.month"
    _inherit = ["crm.analytics.fact.mixin"]
    _log_access = False
    _description = "Channel Analytics: Customer Month"
    _rec_name = "partner_id"
    _fact_key_column = "partner_id"

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        readonly=True,
        index=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        readonly=True,
        index=True,
    )
    order_count = fields.Integer(
        string="Orders",
        readonly=True,
    )

    @api.model
    def _get_fact_dimensions(self):
        return {
            **super()._get_fact_dimensions(),
            "partner_id": SQL("partner.commercial_partner_id"),
            "user_id": SQL("so.user_id"),
        }

    @api.model
    def _get_fact_measures(self):
        return {
            **super()._get_fact_measures(),
            "order_count": SQL("COUNT(DISTINCT so.id)"),
        }

    @api.model
    def _get_fact_dirty_from(self, dirty):
        return SQL(
            """
            FROM %s
            JOIN res_partner commercial ON commercial.id = dirty.key_id
            JOIN res_partner partner ON partner.commercial_partner_id = commercial.id
            JOIN sale_order so ON so.partner_id = partner.id
                              AND so.company_id = dirty.company_id
                              AND so.date_order >= dirty.month
                              AND so.date_order < dirty.month + interval '1 month'
            JOIN sale_order_line line ON line.order_id = so.id
            JOIN res_company company ON company.id = so.company_id
            LEFT JOIN crm_lead lead ON lead.id = so.opportunity_id
            """,
            dirty,
        )

    def _get_orders_domain(self):
        return [
            *super()._get_orders_domain(),
            ("user_id", "=", self.user_id.id),
            ("partner_id.commercial_partner_id", "=", self.partner_id.id),
        ]
