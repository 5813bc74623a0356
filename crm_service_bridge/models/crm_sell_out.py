from collections import defaultdict

from odoo import api, fields, models

from ..tools import sell_out_check
from ..tools.serial import serial_key, split_serials
from ..tools.warranty import warranty_from_sell_out


class CrmSellOut(models.Model):
    """A sell-out names serials: each is checked against the installed units."""

    _inherit = "crm.sell.out"

    serial_ids = fields.One2many(
        comodel_name="crm.sell.out.serial",
        inverse_name="sell_out_id",
        string="Serials",
    )
    serial_exception_count = fields.Integer(
        string="Serial Exceptions",
        compute="_compute_serial_counts",
    )
    serial_matched_count = fields.Integer(
        string="Serials Matched",
        compute="_compute_serial_counts",
    )

    @api.depends("serial_ids.outcome")
    def _compute_serial_counts(self):
        for sell_out in self:
            outcomes = sell_out.serial_ids.mapped("outcome")
            sell_out.serial_matched_count = outcomes.count(sell_out_check.MATCHED)
            sell_out.serial_exception_count = len(outcomes) - sell_out.serial_matched_count

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        sell_outs = super().create(vals_list)
        sell_outs.filtered("serial_numbers")._check_serial_numbers()
        return sell_outs

    def write(self, vals):
        result = super().write(vals)
        if "serial_numbers" in vals:
            self._check_serial_numbers()
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_serial_numbers(self):
        """Check the serials named in ``serial_numbers`` of all ``self`` at once.

        Every entry point (portal form, upload, back office, import) writes
        ``serial_numbers``, so every one of them lands here. Matched lines
        stay (their units have moved); the others are checked again.
        """
        Serial = self.env["crm.sell.out.serial"]
        self.serial_ids.filtered(lambda line: line.outcome != sell_out_check.MATCHED).unlink()
        reported = []
        for sell_out in self:
            done = set(sell_out.serial_ids.mapped("serial_key"))
            for name in split_serials(sell_out.serial_numbers):
                if serial_key(name) not in done:
                    reported.append((sell_out, name))
        lines = Serial.create(Serial._prepare_checked_lines(reported))
        matched = lines.filtered(lambda line: line.outcome == sell_out_check.MATCHED)
        # ids in lists: a union per serial would be quadratic on a 10,000-serial report
        by_sell_out = defaultdict(list)
        for line in matched:
            by_sell_out[line.sell_out_id].append(line.lot_id.id)
        for sell_out, unit_ids in by_sell_out.items():
            sell_out._apply_matched_serials(self.env["stock.lot"].browse(unit_ids))
        (lines - matched).sell_out_id._notify_serial_exceptions()
        return lines

    def _get_warranty_cap_months(self, product):
        """Months after the delivery to the distributor beyond which the warranty
        starts anyway: the product's own cap, else the company's policy."""
        self.ensure_one()
        return product.product_tmpl_id.warranty_cap_months or (
            self.company_id.service_warranty_cap_months
        )

    def _apply_matched_serials(self, units):
        """Matched units move to the end customer; warranty from the sell-out date,
        capped. One write per warranty start (usually one)."""
        self.ensure_one()
        # sudo: the distributor reporting (portal) cannot write units; what is
        # written was decided by the serial check above
        units = units.sudo()
        customer = self.partner_id.commercial_partner_id
        by_start = defaultdict(list)
        for unit in units:
            start, basis = warranty_from_sell_out(
                unit.first_delivery_date, self.date, self._get_warranty_cap_months(unit.product_id)
            )
            by_start[start, basis].append(unit.id)
        for (start, basis), unit_ids in by_start.items():
            units.browse(unit_ids)._set_custody(
                {
                    "custody_state": "customer",
                    "end_customer_id": customer.id,
                    "sell_out_date": self.date,
                    "warranty_start": start,
                    "warranty_basis": basis,
                },
                customer,
                "sell_out",
                self.date,
                self,
            )

    def _notify_serial_exceptions(self):
        """Tell the channel manager about the exceptions of each sell-out, once per
        check; the lines wait in "Serial Exceptions" (not reviewed) for review."""
        for sell_out in self:
            manager = sell_out.channel_manager_id
            count = sell_out.serial_exception_count
            if not count:
                continue
            # sudo: a distributor (portal) reporting cannot post for the channel
            # manager; the message only counts the exceptions
            sell_out.sudo().message_post(
                body=self.env._(
                    "%(count)s reported serial(s) do not match the installed base: "
                    "see Serial Exceptions.",
                    count=count,
                ),
                partner_ids=manager.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )

    def action_view_serial_exceptions(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_service_bridge.crm_sell_out_serial_action"
        )
        action["domain"] = [("sell_out_id", "in", self.ids)]
        return action
