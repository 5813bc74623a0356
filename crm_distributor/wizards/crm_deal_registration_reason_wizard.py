from odoo import fields, models


class CrmDealRegistrationReasonWizard(models.TransientModel):
    """Asks the channel manager why a registration is returned or rejected."""

    _name = "crm.deal.registration.reason.wizard"
    _description = "Return or Reject a Deal Registration"

    registration_ids = fields.Many2many(
        comodel_name="crm.deal.registration",
        string="Registrations",
        required=True,
    )
    action = fields.Selection(
        selection=[
            ("return", "Return for Correction"),
            ("reject", "Reject"),
        ],
        string="Action",
        required=True,
        default="return",
    )
    reason = fields.Text(
        required=True,
        help="Sent to the distributor.",
    )

    def action_confirm(self):
        self.ensure_one()
        if self.action == "return":
            self.registration_ids.action_return(reason=self.reason)
        else:
            self.registration_ids.action_reject(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
