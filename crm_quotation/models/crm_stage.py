from odoo import fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    opportunity_type_ids = fields.Many2many(
        comodel_name="crm.opportunity.type",
        relation="crm_opportunity_type_stage_rel",
        column1="stage_id",
        column2="opportunity_type_id",
        string="Opportunity Types",
        help="Types whose pipeline shows this stage. A stage without type belongs to the "
        "general pipeline, for opportunities without type.",
    )
    default_probability = fields.Float(
        string="Default Probability (%)",
        help="Probability given to an opportunity of a type when it enters this stage; "
        "0 keeps the computed probability.",
    )

    _sql_constraints = [
        (
            "default_probability_range",
            "CHECK(default_probability >= 0 AND default_probability <= 100)",
            "The default probability of a stage must be between 0 and 100.",
        ),
    ]
