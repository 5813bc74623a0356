{
    "name": "Channel CRM: Service Bridge",
    "summary": "Installed base, serials and warranty for service; visit timeline",
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
