{
    "name": "Channel CRM: Analytics",
    "summary": "Customer value (RFM), lifecycle, funnel and channel analytics",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Channel CRM developers",
    "website": "https://github.com/channel-crm/channel-crm",
    "license": "LGPL-3",
    "depends": [
        "crm_quotation",
        "sale_margin",
    ],
    "data": [
        "security/crm_analytics_ext_security.xml",
        "security/ir.model.access.csv",
        "report/crm_customer_value_report_views.xml",
        "views/crm_analytics_ext_menus.xml",
    ],
    "demo": [
        "demo/crm_analytics_ext_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_analytics_ext/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
