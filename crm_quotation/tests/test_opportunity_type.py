from odoo import Command
from odoo.tests import Form, tagged, users

from .common import CrmQuotationCommon


@tagged("post_install", "-at_install")
class TestOpportunityType(CrmQuotationCommon):
    def test_pipeline_shows_the_stages_of_the_type(self):
        Lead = self.env["crm.lead"]
        stages = Lead.with_context(
            default_opportunity_type_id=self.type_project.id
        )._read_group_stage_ids(self.env["crm.stage"], [])
        self.assertEqual(stages, self.type_project.stage_ids.sorted())
        # the same through the domain of the pipeline, as the kanban asks it
        self._create_opportunity(opportunity_type_id=self.type_project.id)
        groups = Lead.web_read_group(
            domain=[("opportunity_type_id", "=", self.type_project.id)],
            fields=["stage_id"],
            groupby=["stage_id"],
        )["groups"]
        self.assertEqual(
            [group["stage_id"][0] for group in groups], self.type_project.stage_ids.sorted().ids
        )
        # the general pipeline does not show the typed stages without records
        general = Lead._read_group_stage_ids(self.env["crm.stage"], [])
        self.assertFalse(general & self.type_repeat.stage_ids)

    @users("cq_salesman")
    def test_new_opportunity_first_stage_and_probability(self):
        lead = self._create_opportunity(opportunity_type_id=self.type_project.id).with_env(self.env)
        self.assertEqual(lead.stage_id.name, "Qualification")
        self.assertEqual(lead.stage_id.opportunity_type_ids, self.type_project)
        self.assertEqual(lead.probability, 10)
        negotiation = self.type_project.stage_ids.filtered(lambda s: s.name == "Negotiation")
        lead.stage_id = negotiation
        self.assertEqual(lead.probability, 80)

    @users("cq_salesman")
    def test_change_type_maps_stage(self):
        lead = self._create_opportunity(opportunity_type_id=self.type_project.id).with_env(self.env)
        proposal = self.type_project.stage_ids.filtered(lambda s: s.name == "Proposal")
        lead.stage_id = proposal
        with Form(lead) as form:
            form.opportunity_type_id = self.type_repeat
        self.assertEqual(lead.stage_id.name, "Proposal")
        self.assertEqual(lead.stage_id.opportunity_type_ids, self.type_repeat)
        self.assertEqual(lead.probability, 70)
        # no stage of that name: the first stage of the type
        lead.stage_id = self.type_repeat.stage_ids.filtered(lambda s: s.name == "Request")
        lead.opportunity_type_id = self.type_project
        self.assertEqual(lead.stage_id.name, "Qualification")
        self.assertEqual(lead.probability, 10)

    def test_won_goes_to_the_won_stage_of_the_type(self):
        lead = self._create_opportunity(opportunity_type_id=self.type_repeat.id)
        lead.action_set_won()
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual(lead.stage_id.opportunity_type_ids, self.type_repeat)
        self.assertEqual(lead.probability, 100)

    def test_untyped_opportunity_keeps_the_stock_stages(self):
        lead = self._create_opportunity()
        self.assertFalse(lead.stage_id.opportunity_type_ids)

    def test_untyped_opportunity_ignores_stage_default_probability(self):
        stage = self.env["crm.stage"].create(
            {"name": "General 35", "sequence": 600, "default_probability": 35}
        )
        typed = self._create_opportunity(opportunity_type_id=self.type_project.id)
        untyped = self._create_opportunity()
        (typed | untyped).write({"stage_id": stage.id})
        self.assertEqual(typed.probability, 35)
        self.assertFalse(untyped.opportunity_type_id)
        self.assertNotEqual(untyped.probability, 35)

    def test_registration_gives_distributor_type_and_lines(self):
        self.company.distributor_opportunity_type_id = self.type_repeat
        registration = self.env["crm.deal.registration"].create(
            {
                "distributor_id": self.distributor.id,
                "partner_name": "宁波海天注塑 (Ningbo Haitian Injection)",
                "partner_id": self.customer.id,
                "expected_revenue": 900.0,
                "line_ids": [
                    Command.create(
                        {"product_id": self.product_a.id, "quantity": 3, "price_unit": 90.0}
                    ),
                    Command.create({"product_id": self.product_b.id, "quantity": 2}),
                ],
            }
        )
        values = registration._prepare_lead_values()
        self.assertEqual(values["opportunity_type_id"], self.type_repeat.id)
        lead = self.env["crm.lead"].create(values)
        self.assertEqual(lead.opportunity_type_id, self.type_repeat)
        self.assertEqual(lead.stage_id.name, "Request")
        self.assertEqual(lead.distributor_id, self.distributor)
        self.assertEqual(lead.line_ids.product_id, self.product_a | self.product_b)
        line_a = lead.line_ids.filtered(lambda line: line.product_id == self.product_a)
        self.assertEqual(line_a.product_uom_qty, 3)
        self.assertEqual(line_a.price_unit, 90.0)
        # without a configured type, no type is forced
        self.company.distributor_opportunity_type_id = False
        self.assertNotIn("opportunity_type_id", registration._prepare_lead_values())
