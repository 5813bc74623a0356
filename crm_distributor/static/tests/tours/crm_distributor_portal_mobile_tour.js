import { registry } from "@web/core/registry";

/**
 * The same day on a 390 px phone: the New and Upload actions stay visible
 * (not folded into the search bar's menu), lists render as cards, the form
 * with its product rows works, and no "True" alert sits above the form.
 */
function assertHidden(selector) {
    const el = document.querySelector(selector);
    if (el && el.offsetParent !== null) {
        throw new Error(`${selector} should be hidden on a phone`);
    }
}

registry.category("web_tour.tours").add("crm_distributor_portal_mobile_tour", {
    url: "/my/registrations",
    steps: () => [
        {
            content: "New is visible without opening any menu",
            trigger: ".o_registration_actions a.o_registration_new:visible:contains('新建报备')",
        },
        {
            content: "Upload is visible too",
            trigger: ".o_registration_actions a.o_registration_upload:visible",
        },
        {
            content: "Registrations as cards, the table hidden",
            trigger: ".o_registration_cards .o_registration_card:visible:contains('蓝海精密机械有限公司')",
            run() {
                assertHidden(".o_portal_my_doc_table");
            },
        },
        {
            content: "The card shows the protection countdown",
            trigger: ".o_registration_card:contains('蓝海精密机械有限公司') .o_registration_countdown:visible",
        },
        {
            content: "Open it",
            trigger: ".o_registration_card:contains('蓝海精密机械有限公司')",
            run: "click",
        },
        {
            content: "Its timeline",
            trigger: ".o_registration_timeline .o_timeline_step:visible:contains('保护期至')",
        },
        {
            content: "Back to the list",
            trigger: ".breadcrumb a[href='/my/registrations']",
            run: "click",
        },
        {
            trigger: ".o_registration_actions a.o_registration_new:visible",
            run: "click",
        },
        {
            content: "No alert reading True above the form",
            trigger: "form.o_registration_form",
            run() {
                for (const alert of document.querySelectorAll(".alert")) {
                    if (alert.textContent.trim() === "True") {
                        throw new Error("an alert reads True");
                    }
                }
            },
        },
        {
            trigger: "input[name='partner_name']",
            run: "edit 白鹭智能家居有限公司",
        },
        {
            trigger: "input[name='mobile']",
            run: "edit 13900139002",
        },
        {
            trigger: ".o_registration_line:eq(0) .o_product_search",
            run: "edit TOUR-BAT",
        },
        {
            trigger: "button.o_line_add:visible",
            run: "click",
        },
        {
            trigger: ".o_registration_line:eq(1) .o_product_search",
            run: "edit TOUR-INV",
        },
        {
            trigger: ".o_lines_total:contains('7,000.00')",
        },
        {
            trigger: "button.o_registration_submit:visible",
            run: "click",
        },
        {
            trigger: ".o_registration_timeline:visible",
        },
        {
            content: "End customers as cards, Report a Sale visible",
            trigger: "a[href='/my/home']",
            run: "click",
        },
        {
            trigger: "a[href='/my/end-customers']",
            run: "click",
        },
        {
            trigger: ".o_end_customer_actions a.o_sell_out_new:visible",
        },
        {
            trigger: ".o_end_customer.card:visible:contains('蓝海精密机械有限公司') a.o_end_customer_sell_out:visible",
        },
    ],
});
