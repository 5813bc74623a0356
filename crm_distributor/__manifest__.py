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
    ],
    "data": [
        "security/crm_distributor_security.xml",
        "security/ir.model.access.csv",
    ],
    "demo": [],
    "pre_init_hook": "pre_init_hook",
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
