{
    "name": "Channel CRM: Opportunity to Order",
    "summary": "Opportunity types, product lines, quote to order, credit and stock",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Channel CRM developers",
    "website": "https://github.com/channel-crm/channel-crm",
    "license": "LGPL-3",
    "depends": [
        "crm_distributor",
        "sale_crm",
        "sale_stock",
        "account",
    ],
    "data": [
        "security/crm_quotation_security.xml",
        "security/ir.model.access.csv",
    ],
    "demo": [],
    "installable": True,
    "application": False,
}
