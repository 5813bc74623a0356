/** @odoo-module **/

import { registry } from "@web/core/registry";

// A distributor uploads a CSV of two customers (one protected elsewhere),
// reads the triage and submits the new row.
const CSV = [
    "客户名称,统一社会信用代码,联系人,手机",
    "巡检测试客户有限公司,,张三,13811112222",
    "杭州远景（另一写法）,91330100MA2B3C4D5N,李四,13933334444",
].join("\r\n");

registry.category("web_tour.tours").add("crm_distributor_portal_upload", {
    url: "/my/registrations/upload",
    steps: () => [
        {
            content: "Both templates can be downloaded",
            trigger: "a.o_upload_template_zh + a.o_upload_template_en",
        },
        {
            content: "Choose the file",
            trigger: "input#upload_file",
            run() {
                const file = new File(["\ufeff" + CSV], "tour_customers.csv", { type: "text/csv" });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                this.anchor.files = transfer.files;
            },
        },
        {
            content: "Upload and check",
            trigger: "button.o_upload_submit",
            run: "click",
        },
        {
            content: "The file is read in the background: the page shows the progress",
            trigger: ".o_upload_progress",
        },
    ],
});

// Once the background job has read and triaged the file (run by the test).
registry.category("web_tour.tours").add("crm_distributor_portal_upload_triage", {
    steps: () => [
        {
            content: "The new customer is ready to submit",
            trigger: "tr.o_upload_line_new:contains(巡检测试客户有限公司) input.o_upload_line_check:checked",
        },
        {
            content: "The protected customer is a conflict, without naming the other partner",
            trigger: "tr.o_upload_line_conflict .o_upload_reason:contains(Already protected for another partner.)",
        },
        {
            content: "Submit the selected rows",
            trigger: "button.o_upload_confirm",
            run: "click",
        },
        {
            content: "One registration was submitted",
            trigger: ".o_upload_confirmed:contains(Submitted rows: 1.)",
        },
    ],
});
