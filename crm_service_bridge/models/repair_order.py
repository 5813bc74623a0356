from odoo import fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    service_request_id = fields.Many2one(
        comodel_name="crm.service.request",
        string="Service Request",
        index="btree_not_null",
        copy=False,
    )
