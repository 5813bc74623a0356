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
        "security/crm_registration_upload_security.xml",
        "security/ir.model.access.csv",
        "data/crm_registration_upload_data.xml",
        "wizards/crm_trade_fair_import_views.xml",
        "views/crm_registration_upload_views.xml",
        "views/portal_upload_templates.xml",
        "views/crm_registration_upload_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_distributor/static/tests/tours/*.js",
        ],
    },
    "demo": [],
    "installable": True,
    "application": False,
}
