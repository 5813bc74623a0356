import { registry } from "@web/core/registry";

/**
 * The distributor's day in the portal, in Chinese (the user's language):
 * home with counts → new registration with products (search, add a row,
 * totals, revenue following the lines) and the conflict check while typing →
 * submit → the registration's timeline → end customers → report a sale.
 */
function checkValue(selector, expected) {
    const el = document.querySelector(selector);
    if (!el || el.value !== expected) {
        throw new Error(`${selector}: expected ${expected}, got ${el && el.value}`);
    }
}

function selectOptionContaining(selectSelector, text) {
    const select = document.querySelector(selectSelector);
    const option = [...select.options].find((o) => o.textContent.includes(text));
    if (!option) {
        throw new Error(`no option containing ${text}`);
    }
    select.value = option.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
}

registry.category("web_tour.tours").add("crm_distributor_portal_zh_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The home speaks Chinese and shows the registration counts",
            trigger: ".o_registration_dashboard .o_dashboard_protected:contains('已批准并受保护')",
        },
        {
            trigger: ".o_registration_dashboard .o_dashboard_expiring",
        },
        {
            content: "New registration",
            trigger: ".o_registration_dashboard a.o_registration_new:contains('新建报备')",
            run: "click",
        },
        {
            content: "No real company as the placeholder",
            trigger: "input[name='partner_name'][placeholder='例如：某某科技有限公司']",
        },
        {
            content: "Type a name another distributor protects",
            trigger: "input[name='partner_name']",
            run: "edit 东岳环保设备有限公司",
        },
        {
            content: "Told before submitting, neutrally",
            trigger: ".o_registration_check:contains('已为其他合作伙伴保护')",
        },
        {
            content: "Type another customer",
            trigger: "input[name='partner_name']",
            run: "edit 青禾农业科技有限公司",
        },
        {
            content: "Nothing to say about it",
            trigger: ".o_registration_check.d-none:not(:visible)",
        },
        {
            trigger: "input[name='contact_name']",
            run: "edit 周经理",
        },
        {
            trigger: "input[name='mobile']",
            run: "edit 13900139001",
        },
        {
            content: "Search a product by its code",
            trigger: ".o_registration_line:eq(0) .o_product_search",
            run: "edit TOUR-INV",
        },
        {
            content: "Picked, with its list price",
            trigger: ".o_registration_line:eq(0) .o_line_price:value(5000)",
        },
        {
            trigger: ".o_registration_line:eq(0) .o_line_quantity",
            run: "edit 2",
        },
        {
            content: "Add a row",
            trigger: "button.o_line_add",
            run: "click",
        },
        {
            trigger: ".o_registration_line:eq(1) .o_product_search",
            run: "edit 储能",
        },
        {
            trigger: ".o_registration_line:eq(1) .o_line_quantity",
            run: "edit 3",
        },
        {
            content: "Line total",
            trigger: ".o_registration_line:eq(1) .o_line_total:contains('6,000.00')",
        },
        {
            content: "The expected revenue follows the lines",
            trigger: ".o_lines_total:contains('16,000.00')",
            run() {
                checkValue("input.o_expected_revenue", "16000.00");
            },
        },
        {
            content: "Submit",
            trigger: "button.o_registration_submit",
            run: "click",
        },
        {
            content: "The registration's page with its status timeline",
            trigger: ".o_registration_timeline .o_timeline_step.o_timeline_current:contains('渠道经理批准')",
        },
        {
            trigger: ".o_registration_timeline .o_timeline_step.o_timeline_done:contains('已提交')",
        },
        {
            content: "Back home",
            trigger: "a[href='/my/home']",
            run: "click",
        },
        {
            content: "End customers",
            trigger: "a[href='/my/end-customers']",
            run: "click",
        },
        {
            content: "The protected end customer, with a countdown",
            trigger: ".o_end_customer:contains('蓝海精密机械有限公司')",
        },
        {
            content: "Report a sale for it",
            trigger: ".o_end_customer:contains('蓝海精密机械有限公司') a.o_end_customer_sell_out",
            run: "click",
        },
        {
            trigger: "form.o_sell_out_form select[name='product_id']",
            run() {
                selectOptionContaining("form.o_sell_out_form select[name='product_id']", "TOUR-INV");
            },
        },
        {
            trigger: "form.o_sell_out_form input[name='quantity']",
            run: "edit 2",
        },
        {
            trigger: "form.o_sell_out_form textarea[name='serial_numbers']",
            run: "edit SN-TOUR-1",
        },
        {
            trigger: "form.o_sell_out_form button[type='submit']",
            run: "click",
        },
        {
            content: "Recorded",
            trigger: ".alert-success:contains('您的销售已记录')",
        },
    ],
});
