/** @odoo-module **/

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// The service desk (in Chinese) takes a call: types the serial as the customer
// reads it, the request fills itself, and the repair is created under warranty.
registry.category("web_tour.tours").add("crm_service_bridge_service_desk_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_service_bridge.service_menu_root']",
            content: "Open Service",
            run: "click",
        },
        {
            trigger:
                ".o_main_navbar a[data-menu-xmlid='crm_service_bridge.crm_service_request_menu']:contains('服务请求')",
            content: "Service requests, in Chinese",
            run: "click",
        },
        {
            trigger: ".o_list_button_add",
            content: "New request",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=lot_id] input",
            content: "The serial, typed as read on the phone",
            run: "edit tr6 u 0001",
        },
        {
            trigger: ".ui-autocomplete a:contains('TR6-U-0001')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=partner_id] input:value(佛山精工五金制品有限公司)",
            content: "The end customer is filled from the unit",
        },
        {
            trigger: ".o_field_widget[name=warranty_reason]:contains('保修期内')",
            content: "Under warranty, and why",
        },
        {
            trigger: ".o_field_widget[name=description] textarea",
            run: "edit 示教器无法开机",
        },
        {
            trigger: "button[name=action_create_repair]:contains('创建维修')",
            content: "Create the repair",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=under_warranty] input:checked",
            content: "The repair is under warranty, decided from the unit",
        },
    ],
});
