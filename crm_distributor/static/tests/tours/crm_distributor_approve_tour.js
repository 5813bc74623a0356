import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_distributor_approve_tour", {
    url: "/odoo/action-crm_distributor.crm_deal_registration_action",
    steps: () => [
        {
            content: "Open the submitted registration from the kanban",
            trigger: ".o_kanban_record:contains('旅游审批测试有限公司')",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view button[name='action_approve']",
            run: "click",
        },
        {
            content: "It is converted: an opportunity exists",
            trigger: ".o_statusbar_status [aria-checked='true']:contains('Converted')",
        },
        {
            trigger: ".o_form_view button[name='action_view_lead']",
        },
    ],
});
