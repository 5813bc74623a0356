import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_distributor_portal_conflict_tour", {
    url: "/my/registrations",
    steps: () => [
        {
            content: "Start a new registration",
            trigger: "a.o_registration_new",
            run: "click",
        },
        {
            content: "Type a company name already protected for another distributor",
            trigger: "form.o_registration_form input[name='partner_name']",
            run: "edit 旅游冲突测试有限公司",
        },
        {
            content: "Contact",
            trigger: "form.o_registration_form input[name='contact_name']",
            run: "edit 钱先生",
        },
        {
            content: "A wrong e-mail first",
            trigger: "form.o_registration_form input[name='email_from']",
            run: "edit qian@",
        },
        {
            content: "Submit",
            trigger: "button.o_registration_submit",
            run: "click",
        },
        {
            content: "The message is shown beside the field, the name is kept",
            trigger: "input[name='email_from'].is-invalid + .invalid-feedback",
        },
        {
            trigger: "input[name='partner_name'][value='旅游冲突测试有限公司']",
        },
        {
            content: "Correct the e-mail",
            trigger: "form.o_registration_form input[name='email_from']",
            run: "edit qian@tour-conflict.example.com",
        },
        {
            content: "Submit again",
            trigger: "button.o_registration_submit",
            run: "click",
        },
        {
            content: "Told that another partner protects it (neither who nor until when)",
            trigger: ".o_registration_conflict:contains('Already protected for another partner.')",
        },
    ],
});
