{
    "name": "Channel CRM: Customer Matching",
    "summary": "Recognise the same customer however its name, phone or e-mail is written; "
    "fast customer search by characters, pinyin and initials",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Channel CRM developers",
    "website": "https://github.com/channel-crm/channel-crm",
    "license": "LGPL-3",
    "depends": [
        "crm",
    ],
    "external_dependencies": {
        "python": [
            "anyascii",
            "cleanco",
            "opencc",
            "phonenumbers",
            "pypinyin",
            "rapidfuzz",
            "python-stdnum",
        ],
    },
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/crm_match_views.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
