import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { debounce } from "@web/core/utils/timing";

/**
 * Registration form of the distributor portal: searchable product picker,
 * add/remove product rows, line totals and the expected revenue following the
 * lines, and the conflict check while typing (the server answers only a
 * neutral status and message). Every text shown comes from the server,
 * already in the user's language.
 */
publicWidget.registry.CrmDistributorRegistrationForm = publicWidget.Widget.extend({
    selector: "form.o_registration_form",
    events: {
        "input .o_product_search": "_onProductSearch",
        "change .o_line_product": "_onProductChange",
        "input .o_line_quantity": "_updateTotals",
        "input .o_line_price": "_onPriceInput",
        "click .o_line_add": "_onAddLine",
        "click .o_line_remove": "_onRemoveLine",
        "input .o_registration_check_input": "_onCheckInput",
    },

    start() {
        this.linesEl = this.el.querySelector(".o_registration_lines");
        this._checkDebounced = debounce(this._check.bind(this), 400);
        this._checkSequence = 0;
        this._updateTotals();
        return this._super(...arguments);
    },

    //--------------------------------------------------------------------------
    // Products
    //--------------------------------------------------------------------------

    _onProductSearch(ev) {
        const input = ev.currentTarget;
        const select = input.closest(".o_registration_line").querySelector(".o_line_product");
        const terms = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        let first = null;
        for (const option of select.options) {
            if (!option.value) {
                continue;
            }
            const text = option.textContent.toLowerCase();
            const visible = terms.every((term) => text.includes(term));
            option.hidden = !visible;
            option.disabled = !visible;
            if (visible && !first) {
                first = option;
            }
        }
        if (terms.length && first && (!select.value || select.selectedOptions[0]?.hidden)) {
            select.value = first.value;
            this._fillPrice(select);
        }
        this._updateTotals();
    },

    _onProductChange(ev) {
        this._fillPrice(ev.currentTarget);
        this._updateTotals();
    },

    _fillPrice(select) {
        const row = select.closest(".o_registration_line");
        const price = row.querySelector(".o_line_price");
        const quantity = row.querySelector(".o_line_quantity");
        const option = select.selectedOptions[0];
        // The list price fills the price until the distributor types its own.
        if (option && option.value && (!price.value || price.dataset.auto)) {
            price.value = option.dataset.price || "";
            price.dataset.auto = "1";
        }
        if (option && option.value && !quantity.value) {
            quantity.value = "1";
        }
    },

    _onPriceInput(ev) {
        delete ev.currentTarget.dataset.auto;
        this._updateTotals();
    },

    _rows() {
        return [...this.el.querySelectorAll(".o_registration_line")];
    },

    _onAddLine() {
        const rows = this._rows();
        const maxLines = parseInt(this.linesEl.dataset.maxLines || "50");
        if (!rows.length || rows.length >= maxLines) {
            return;
        }
        const last = rows[rows.length - 1];
        const row = last.cloneNode(true);
        for (const el of row.querySelectorAll("input, select")) {
            el.value = "";
            el.classList.remove("is-invalid");
            delete el.dataset.auto;
        }
        for (const option of row.querySelectorAll("option")) {
            option.hidden = false;
            option.disabled = false;
            option.selected = !option.value;
        }
        row.querySelector(".invalid-feedback")?.remove();
        last.after(row);
        this._renumber();
        this._updateTotals();
        row.querySelector(".o_product_search").focus();
    },

    _onRemoveLine(ev) {
        const row = ev.currentTarget.closest(".o_registration_line");
        if (this._rows().length > 1) {
            row.remove();
        } else {
            for (const el of row.querySelectorAll("input, select")) {
                el.value = "";
            }
        }
        this._renumber();
        this._updateTotals();
    },

    _renumber() {
        this._rows().forEach((row, index) => {
            row.querySelector(".o_line_product").name = `line_product_id_${index}`;
            row.querySelector(".o_line_quantity").name = `line_quantity_${index}`;
            row.querySelector(".o_line_price").name = `line_price_unit_${index}`;
        });
    },

    _formatAmount(value) {
        const data = this.linesEl.dataset;
        const digits = parseInt(data.currencyDigits || "2");
        const lang = (document.documentElement.lang || "en-US").replace("_", "-");
        let text;
        try {
            text = value.toLocaleString(lang, {
                minimumFractionDigits: digits,
                maximumFractionDigits: digits,
            });
        } catch {
            text = value.toFixed(digits);
        }
        const symbol = data.currencySymbol || "";
        return data.currencyPosition === "after" ? `${text} ${symbol}` : `${symbol} ${text}`;
    },

    _updateTotals() {
        if (!this.linesEl) {
            return;
        }
        let total = 0;
        let hasLines = false;
        for (const row of this._rows()) {
            const product = row.querySelector(".o_line_product").value;
            const quantity = parseFloat(row.querySelector(".o_line_quantity").value);
            const price = parseFloat(row.querySelector(".o_line_price").value);
            const cell = row.querySelector(".o_line_total");
            if (product && Number.isFinite(quantity) && Number.isFinite(price)) {
                const subtotal = quantity * price;
                total += subtotal;
                hasLines = true;
                cell.textContent = this._formatAmount(subtotal);
            } else {
                cell.textContent = "";
            }
        }
        this.el.querySelector(".o_lines_total").textContent = this._formatAmount(total);
        const revenue = this.el.querySelector(".o_expected_revenue");
        if (revenue) {
            revenue.readOnly = hasLines;
            if (hasLines) {
                revenue.value = total.toFixed(parseInt(this.linesEl.dataset.currencyDigits || "2"));
            }
        }
    },

    //--------------------------------------------------------------------------
    // Conflict check while typing
    //--------------------------------------------------------------------------

    _onCheckInput() {
        this._checkDebounced();
    },

    async _check() {
        const name = this.el.querySelector("input[name='partner_name']")?.value || "";
        const vat = this.el.querySelector("input[name='vat']")?.value || "";
        const sequence = ++this._checkSequence;
        let result;
        try {
            result = await rpc("/my/registrations/check", { partner_name: name, vat: vat });
        } catch {
            return;
        }
        if (sequence !== this._checkSequence) {
            return; // a newer check is on its way
        }
        const box = this.el.querySelector(".o_registration_check");
        if (!box) {
            return;
        }
        box.classList.remove("text-danger", "text-warning", "text-muted");
        box.dataset.status = result.status;
        if (result.message) {
            box.textContent = result.message;
            box.classList.remove("d-none");
            box.classList.add(
                result.status === "protected"
                    ? "text-danger"
                    : result.status === "review"
                      ? "text-warning"
                      : "text-muted"
            );
        } else {
            box.textContent = "";
            box.classList.add("d-none");
        }
    },
});

export default publicWidget.registry.CrmDistributorRegistrationForm;
