import { registry } from "@web/core/registry";

// The channel manager's day (issue 13), in zh_CN: the registrations open on
// "to review", the conflict review shows the registration beside each match,
// the manager decides it is a different customer and approves.
registry.category("web_tour.tours").add("crm_distributor_review_tour", {
    url: "/odoo/action-crm_distributor.crm_deal_registration_action",
    steps: () => [
        {
            content: "The kanban opens on the registrations to review (filter facet shown)",
            trigger: ".o_searchview_facet .o_facet_value:contains('待审核')",
        },
        {
            content: "Columns in workflow order: draft, submitted, returned",
            trigger: ".o_kanban_renderer .o_kanban_group:nth-child(1) .o_column_title:contains('草稿')",
        },
        {
            content: "Open the submitted registration",
            trigger: ".o_kanban_record:contains('苏州花光精工有限公司')",
            run: "click",
        },
        {
            content: "It needs a conflict review: open it",
            trigger: ".o_form_view .o_form_statusbar button[name='action_open_review']",
            run: "click",
        },
        {
            content: "The match is listed beside the registration: name, holder, protection, score",
            trigger:
                ".o_crm_registration_review .o_field_one2many .o_data_row:contains('苏州华光精工有限公司'):contains('Test Distributor B')",
        },
        {
            content: "Decide: a different customer",
            trigger: ".o_form_view button[name='action_link_new_customer']",
            run: "click",
        },
        {
            content: "Confirm the decision",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Approve",
            trigger: ".o_form_view button[name='action_approve']:enabled",
            run: "click",
        },
        {
            content: "Converted in one step",
            trigger: ".o_statusbar_status button[data-value='converted'][aria-checked='true']",
        },
    ],
});
