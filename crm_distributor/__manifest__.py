{
    "name": "Channel CRM: Distributors and Deal Registration",
    "summary": "Distributors register end customers and deals in the portal; conflict detection that understands Chinese names",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Channel CRM developers",
    "website": "https://github.com/channel-crm/channel-crm",
    "license": "LGPL-3",
    "depends": [
        "crm",
        "portal",
        "product",
        "utm",
    ],
    "data": [
        "security/crm_distributor_security.xml",
        "security/ir.model.access.csv",
        "data/crm_distributor_data.xml",
        "wizards/crm_deal_registration_reason_wizard_views.xml",
        "views/crm_distributor_tier_views.xml",
        "views/res_partner_views.xml",
        "views/crm_deal_registration_views.xml",
        "views/crm_sell_out_views.xml",
        "views/crm_lead_views.xml",
        "views/portal_templates.xml",
        "views/crm_distributor_menus.xml",
    ],
    "demo": [
        "demo/crm_distributor_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_distributor/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
