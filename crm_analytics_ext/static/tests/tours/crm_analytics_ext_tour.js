/** @odoo-module **/

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// A sales manager opens Channel Analytics, reads the customer value pivot,
// then lists the customers of one segment.
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
            trigger: ".o_pivot_view .o_pivot",
            content: "The customer value pivot is shown",
        },
        {
            trigger: ".o_pivot_view .o_pivot_header_cell_closed:contains('Champions')",
            content: "Customers are grouped by segment",
        },
        {
            trigger: ".o_switch_view.o_list",
            content: "Switch to the list",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td[name='partner_id']:contains('Tour Champion Robotics')",
            content: "The test customer is listed with its scores",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Champion Robotics') td[name='segment']:contains('Champions')",
            content: "and its segment",
        },
    ],
});
