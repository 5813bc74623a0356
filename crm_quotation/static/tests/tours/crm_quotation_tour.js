import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_quotation_opportunity_to_order", {
    steps: () => [
        {
            content: "The opportunity is open",
            trigger: ".o_form_view .o_field_widget[name=opportunity_type_id]",
        },
        {
            content: "Open the readiness panel",
            trigger: ".o_notebook .nav-link:contains(Readiness)",
            run: "click",
        },
        {
            content: "The panel shows the available credit",
            trigger: ".o_crm_readiness_credit_ok:contains(Credit of)",
        },
        {
            content: "The panel shows the stock of the line per warehouse",
            trigger: ".o_crm_readiness_stock_table td:contains(Inverter A)",
        },
        {
            content: "The panel shows the purchase history",
            trigger: ".o_crm_readiness_history:contains(Revenue, last 12 months)",
        },
        {
            content: "Create the quotation from the opportunity",
            trigger: "button[name=action_sale_quotations_new]",
            run: "click",
        },
        {
            content: "The quotation has the product of the opportunity",
            trigger: ".o_field_widget[name=order_line] .o_data_row:contains(Inverter A)",
        },
        {
            content: "Confirm the quotation",
            trigger: ".o_form_view button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
        },
    ],
});
