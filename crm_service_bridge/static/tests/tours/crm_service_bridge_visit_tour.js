/** @odoo-module **/

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// A salesperson plans a visit to a customer a colleague saw a few days ago:
// the form says so before the visit is saved.
registry.category("web_tour.tours").add("crm_service_bridge_visit_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_service_bridge.service_menu_root']",
            content: "Open Service",
            run: "click",
        },
        {
            trigger: ".o_main_navbar a[data-menu-xmlid='crm_service_bridge.crm_visit_menu']",
            content: "Open the visits",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('首次拜访')",
            content: "The colleague's visit is listed",
        },
        {
            trigger: ".o_list_button_add",
            content: "Plan a visit",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input",
            content: "Subject",
            run: "edit 拜访二号厂区",
        },
        {
            trigger: ".o_field_widget[name=partner_id] input",
            content: "Customer",
            run: "edit 测试客户工厂",
        },
        {
            trigger: ".ui-autocomplete a:contains('测试客户工厂有限公司')",
            run: "click",
        },
        {
            trigger: ".modal:contains('Someone visited this customer recently') .modal-body:contains('销售 张伟')",
            content: "A warning names the colleague",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            content: "Noted",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_form_view .alert-warning:contains('销售 张伟')",
            content: "The colleague's recent visit is shown",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
            content: "The visit is saved",
        },
    ],
});
