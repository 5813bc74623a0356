from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.warranty import warranty_status

WARRANTY_REASONS = [
    ("running", "Under warranty"),
    ("expired", "Warranty expired"),
    ("not_started", "Warranty not started (unit not delivered or not yet sold out)"),
    ("no_unit", "No unit identified"),
]


class CrmServiceRequest(models.Model):
    """A customer asks for service on a unit.

    Starts from a serial, a customer or an order and fills itself from the
    installed base: nobody types what the company already knows. The work
    itself is Odoo's ``repair.order`` (workshop) or a visit (on site).
    """

    _name = "crm.service.request"
    _description = "Service Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    state = fields.Selection(
        selection=[
            ("new", "New"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        default="new",
        required=True,
        tracking=True,
        index=True,
    )
    request_type = fields.Selection(
        selection=[
            ("workshop", "Repair in Workshop"),
            ("onsite", "On-site Intervention"),
        ],
        string="Type",
        default="workshop",
        required=True,
    )
    description = fields.Text(string="Problem")
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Assigned To",
        tracking=True,
        domain="[('share', '=', False)]",
    )
    # what the request starts from
    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Serial Number",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        compute="_compute_lot_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        index=True,
        tracking=True,
        compute="_compute_from_unit",
        store=True,
        readonly=False,
        precompute=True,
    )
    sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Sales Order",
        index="btree_not_null",
        compute="_compute_from_unit",
        store=True,
        readonly=False,
        precompute=True,
    )
    # filled from the unit
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Commercial Entity",
        store=True,
        index=True,
    )
    product_id = fields.Many2one(
        related="lot_id.product_id",
        store=True,
    )
    distributor_id = fields.Many2one(
        related="lot_id.distributor_id",
        store=True,
        index="btree_not_null",
    )
    delivery_date = fields.Date(related="lot_id.first_delivery_date")
    sell_out_date = fields.Date(related="lot_id.sell_out_date")
    warranty_end = fields.Date(related="lot_id.warranty_end")
    warranty_basis = fields.Selection(related="lot_id.warranty_basis")
    under_warranty = fields.Boolean(
        compute="_compute_warranty",
        store=True,
        help="Decided from the unit on the day the request was opened.",
    )
    warranty_reason = fields.Selection(
        selection=WARRANTY_REASONS,
        string="Warranty Status",
        compute="_compute_warranty",
        store=True,
    )
    opened_by_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Opened By",
        help="The portal user (customer or distributor) who opened the request.",
    )
    # the work
    repair_ids = fields.One2many(
        comodel_name="repair.order",
        inverse_name="service_request_id",
        string="Repairs",
    )
    repair_count = fields.Integer(compute="_compute_repair_count")
    visit_id = fields.Many2one(
        comodel_name="crm.visit",
        string="Visit",
        readonly=True,
        copy=False,
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("sale_order_id", "partner_id")
    def _compute_lot_id(self):
        """From an order or a customer: their unit, when there is exactly one."""
        for request in self:
            if request.lot_id:
                continue
            domain = request._get_candidate_unit_domain()
            if domain:
                units = self.env["stock.lot"].search(domain, limit=2)
                request.lot_id = units if len(units) == 1 else False

    def _get_candidate_unit_domain(self):
        self.ensure_one()
        if self.sale_order_id:
            return [("unit_sale_order_id", "=", self.sale_order_id.id)]
        if self.partner_id:
            return [("end_customer_id", "=", self.partner_id.commercial_partner_id.id)]
        return []

    @api.depends("lot_id")
    def _compute_from_unit(self):
        for request in self:
            unit = request.lot_id
            if not unit:
                continue
            request.partner_id = unit.end_customer_id or unit.distributor_id or request.partner_id
            request.sale_order_id = unit.unit_sale_order_id or request.sale_order_id

    @api.depends("lot_id.warranty_end")
    def _compute_warranty(self):
        for request in self:
            if not request.lot_id:
                request.under_warranty, request.warranty_reason = False, "no_unit"
                continue
            today = fields.Date.context_today(request, request.create_date or fields.Datetime.now())
            request.under_warranty, request.warranty_reason = warranty_status(
                request.lot_id.warranty_end, today
            )

    def _compute_repair_count(self):
        counts = dict(
            self.env["repair.order"]._read_group(
                [("service_request_id", "in", self.ids)], ["service_request_id"], ["__count"]
            )
        )
        for request in self:
            request.repair_count = counts.get(request, 0)

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # sudo: the sequence is configuration, read to number the request
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = sequence.next_by_code("crm.service.request") or "/"
        return super().create(vals_list)

    @api.model
    def _create_from_portal(self, unit, description, request_type):
        """A portal user (end customer or distributor) asks for service on ``unit``.

        ``unit`` was checked against the user's record rules by the caller.
        """
        description = (description or "").strip()
        if not description:
            raise UserError(self.env._("Describe the problem."))
        if request_type not in ("workshop", "onsite"):
            request_type = "workshop"
        # sudo: portal users may create requests on their units only; the values
        # come from the checked unit, not from the form
        return self.sudo().create(
            {
                "lot_id": unit.id,
                "company_id": unit.company_id.id or self.env.company.id,
                "description": description,
                "request_type": request_type,
                "opened_by_partner_id": self.env.user.partner_id.id,
            }
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _prepare_repair_values(self):
        self.ensure_one()
        return {
            "service_request_id": self.id,
            "product_id": self.product_id.id,
            "lot_id": self.lot_id.id,
            "partner_id": self.partner_id.id,
            "under_warranty": self.under_warranty,
            "company_id": self.company_id.id,
            "internal_notes": self.description,
        }

    def action_create_repair(self):
        """The workshop job: a repair order with the unit, customer and warranty."""
        for request in self:
            if not request.lot_id:
                raise UserError(self.env._("Identify the unit (serial number) first."))
        repairs = self.env["repair.order"].create(
            [request._prepare_repair_values() for request in self]
        )
        self.write({"state": "in_progress"})
        if len(repairs) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "repair.order",
                "res_id": repairs.id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        return True

    def _prepare_visit_values(self):
        self.ensure_one()
        return {
            "name": self.env._("On-site service %(name)s", name=self.name),
            "partner_id": self.partner_id.id,
            "user_id": (self.user_id or self.env.user).id,
            "visit_type": "service",
            "company_id": self.company_id.id,
            "service_request_id": self.id,
            "note": self.description,
        }

    def action_plan_visit(self):
        """The on-site job: a visit, with who else saw the customer recently."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Set the customer first."))
        visit = self.env["crm.visit"].create(self._prepare_visit_values())
        self.write({"visit_id": visit.id, "state": "in_progress"})
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.visit",
            "res_id": visit.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancel"})

    def action_view_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("repair.action_repair_order_tree")
        action["domain"] = [("service_request_id", "=", self.id)]
        return action

    def action_view_timeline(self):
        self.ensure_one()
        return self.commercial_partner_id.action_view_timeline()
