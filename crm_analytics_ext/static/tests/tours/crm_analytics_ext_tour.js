/** @odoo-module **/

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// A sales manager working in Chinese opens Channel Analytics: the dashboard
// first, then the customer value pivot, drills into the champions segment
// and prints the year-end review of a customer.
registry.category("web_tour.tours").add("crm_analytics_ext_customer_value_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_analytics_ext.channel_analytics_menu_root']",
            content: "Open Channel Analytics",
            run: "click",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o-figure",
            content: "The dashboard shows its charts",
            // the spreadsheet bundle is loaded lazily, slow on a busy machine
            timeout: 60000,
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='crm_analytics_ext.crm_analytics_customer_menu']",
            content: "Open Customer Value (客户价值)",
            run: "click",
        },
        {
            trigger: ".o_pivot_view .o_pivot_header_cell_closed:contains('重要价值客户')",
            content: "Customers are grouped by segment, in Chinese",
        },
        {
            trigger: ".o_pivot_view tr:has(.o_pivot_header_cell_closed:contains('重要价值客户')) td.o_pivot_cell_value:last",
            content: "Drill into the champions",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td[name='partner_id']:contains('Tour Champion Robotics')",
            content: "The champion is listed with its scores",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Champion Robotics') td[name='stage']:contains('活跃')",
            content: "and its lifecycle stage",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Champion Robotics') .o_list_record_selector input",
            content: "Select the customer",
            run: "click",
        },
        {
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-print)",
            content: "Open the print menu",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('年度回顾')",
            content: "Print the year-end review",
            run: "click",
        },
        {
            trigger: ".o_report_iframe, .o_notification:contains('wkhtmltopdf')",
            content: "The year-end review is rendered",
            timeout: 30000,
        },
    ],
});
