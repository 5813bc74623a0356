{
    "name": "Channel CRM: Service Bridge",
    "summary": "Service reuses the installed base, serials and warranty entered by sales and production; one timeline of visits",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Channel CRM developers",
    "website": "https://github.com/channel-crm/channel-crm",
    "license": "LGPL-3",
    "depends": [
        "crm_quotation",
        "stock",
    ],
    "data": [
        "security/crm_service_bridge_security.xml",
        "security/ir.model.access.csv",
    ],
    "demo": [],
    "installable": True,
    "application": False,
}
