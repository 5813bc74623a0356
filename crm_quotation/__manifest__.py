{
    "name": "Channel CRM: Opportunity to Order",
    "summary": "Opportunity types with their own stages, product lines, quote-to-order handoff, "
    "credit and stock on the opportunity",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Channel CRM developers",
    "website": "https://github.com/channel-crm/channel-crm",
    "license": "LGPL-3",
    "maintainers": ["channel-crm"],
    "depends": [
        "crm_distributor",
        "sale_crm",
        "sale_stock",
        "account",
    ],
    "data": [
        "security/crm_quotation_security.xml",
        "security/ir.model.access.csv",
        "data/crm_opportunity_type_data.xml",
        "data/crm_lost_reason_data.xml",
        "data/ir_cron_data.xml",
        "wizards/sale_credit_approval_views.xml",
        "views/crm_opportunity_type_views.xml",
        "views/crm_stage_views.xml",
        "views/crm_lead_readiness_templates.xml",
        "views/crm_lead_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_quotation_menus.xml",
    ],
    "demo": [
        "demo/crm_quotation_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_quotation/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
