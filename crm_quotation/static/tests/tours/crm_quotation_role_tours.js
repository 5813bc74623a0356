import { registry } from "@web/core/registry";

// Salesperson: opportunity with product lines -> readiness panel -> new quotation
// -> confirmation refused by the credit policy (block), with what to do.
registry.category("web_tour.tours").add("crm_quotation_salesperson_credit_blocked", {
    steps: () => [
        {
            content: "The opportunity shows its product lines",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(Inverter A)",
        },
        {
            content: "Open the readiness panel",
            trigger: ".o_notebook .nav-link:contains(Readiness)",
            run: "click",
        },
        {
            content: "The deal is over the customer's limit: the alert is red",
            trigger: ".o_crm_readiness_credit_danger:contains(over the limit by)",
        },
        {
            content: "The stock of the line per warehouse",
            trigger: ".o_crm_readiness_stock_table td:contains(Inverter A)",
        },
        {
            content: "Create the quotation from the opportunity",
            trigger: "button[name=action_sale_quotations_new]",
            run: "click",
        },
        {
            content: "The quotation opens with the product of the opportunity",
            trigger: ".o_field_widget[name=order_line] .o_data_row:contains(Inverter A)",
        },
        {
            content: "Try to confirm",
            trigger: ".o_form_view button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Refused, with what to do",
            trigger: ".modal-body:contains(ask a credit manager to approve this order)",
        },
        {
            content: "Close the message",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Still a quotation",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Quotation)",
        },
    ],
});

// Credit manager: approves the order with a reason, then confirms it.
registry.category("web_tour.tours").add("crm_quotation_credit_manager_approves", {
    steps: () => [
        {
            content: "Approve the credit of the order",
            trigger: ".o_form_view button[name=action_open_credit_approval]",
            run: "click",
        },
        {
            content: "The wizard shows the credit situation",
            trigger: ".modal .o_field_widget[name=credit_warning]:contains(Credit limit)",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit 30% prepayment received",
        },
        {
            content: "Approve",
            trigger: ".modal button[name=action_approve]",
            run: "click",
        },
        {
            content: "Back on the order",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Confirm the order",
            trigger: ".o_form_view button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
        },
    ],
});

// Finance reader: the orders of opportunities, opened read-only.
registry.category("web_tour.tours").add("crm_quotation_finance_reader_orders", {
    steps: () => [
        {
            content: "Open an order of an opportunity",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "The order opens with its lines",
            trigger: ".o_form_view .o_field_widget[name=order_line] .o_data_row",
        },
        {
            content: "Read-only: no confirm, no save",
            trigger:
                ".o_form_view:not(:has(button[name=action_confirm])):not(:has(.o_form_button_save))",
        },
    ],
});

// Finance reader: the invoices of opportunities, without Upload nor sample data.
registry.category("web_tour.tours").add("crm_quotation_finance_reader_invoices", {
    steps: () => [
        {
            content: "The invoice list",
            trigger: ".o_list_view .o_data_row",
        },
        {
            content: "No Upload, no New, no sample data",
            trigger:
                ".o_control_panel:not(:has(button:contains(Upload))):not(:has(.o_list_button_add))",
        },
        {
            content: "Real records only",
            trigger: ".o_list_view:not(.o_view_sample_data)",
        },
    ],
});
