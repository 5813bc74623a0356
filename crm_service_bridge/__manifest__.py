{
    "name": "Channel CRM: Service Bridge",
    "summary": "Installed base, serials and warranty for service; visit timeline",
    "version": "18.0.1.1.0",
    "category": "Sales/CRM",
    "author": "Channel CRM developers",
    "website": "https://github.com/channel-crm/channel-crm",
    "license": "LGPL-3",
    # crm.sell.out, the Channel CRM category and is_distributor come from crm_distributor;
    # stock.move.sale_line_id from sale_stock; repair.order from repair.
    "depends": [
        "crm_distributor",
        "crm_match",
        "repair",
        "sale_stock",
    ],
    "data": [
        "security/crm_service_bridge_security.xml",
        "security/ir.model.access.csv",
        "data/crm_service_bridge_data.xml",
        "data/crm_service_request_data.xml",
        "report/crm_installed_base_report_views.xml",
        "views/crm_visit_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/product_template_views.xml",
        "views/stock_lot_views.xml",
        "views/crm_service_request_views.xml",
        "views/crm_sell_out_views.xml",
        "views/crm_customer_timeline_views.xml",
        "views/res_company_views.xml",
        "views/calendar_event_views.xml",
        "views/portal_templates.xml",
        "views/crm_service_bridge_menus.xml",
    ],
    "demo": [
        "demo/crm_service_bridge_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_service_bridge/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
