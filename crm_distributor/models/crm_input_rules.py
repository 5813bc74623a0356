from odoo import api, fields, models

from ..tools import input_rules

# Longest part of a refused value quoted back in a message.
QUOTE_CHARS = 40


class CrmInputRules(models.AbstractModel):
    """The Odoo side of tools/input_rules: checks a record's raw input with
    the plain rules and turns each refusal into a translated message that
    names the field (and the row, for files). Used by
    crm.deal.registration._prepare_values_from_input, crm.sell.out's and the
    importers; nothing else formats these messages."""

    _name = "crm.input.rules"
    _description = "Input Rules"

    @api.model
    def _quote(self, value):
        text = str(value)
        return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…"

    @api.model
    def _get_error_message(self, label, error):
        """Translated message of an input_rules.InputError for the field ``label``."""
        params = dict(error.params, field=label)
        if "value" in params:
            params["value"] = self._quote(params["value"])
        messages = {
            "required": lambda: self.env._("%(field)s is required.", **params),
            "too_long": lambda: self.env._(
                "%(field)s is too long: %(length)s characters, at most %(max_length)s.",
                **params,
            ),
            "credit_code": lambda: self.env._(
                "%(field)s: %(value)s is not a valid unified social credit code (18 characters).",
                **params,
            ),
            "email": lambda: self.env._(
                "%(field)s: %(value)s is not a valid e-mail address.", **params
            ),
            "phone": lambda: self.env._(
                "%(field)s: %(value)s is not a valid phone number.", **params
            ),
            "number": lambda: self.env._("%(field)s: %(value)s is not a number.", **params),
            "not_finite": lambda: self.env._(
                "%(field)s: %(value)s is not a finite number.", **params
            ),
            "not_positive": lambda: self.env._(
                "%(field)s must be greater than zero, not %(value)s.", **params
            ),
            "negative": lambda: self.env._("%(field)s cannot be negative (%(value)s).", **params),
            "too_big": lambda: self.env._(
                "%(field)s is too large: %(value)s (at most %(maximum)s).", **params
            ),
            "date": lambda: self.env._(
                "%(field)s is not a date: %(value)s (expected 2025-12-31).", **params
            ),
            "date_too_old": lambda: self.env._(
                "%(field)s %(value)s is not plausible: dates before %(minimum)s are refused.",
                **params,
            ),
            "date_too_late": lambda: self.env._(
                "%(field)s %(value)s is too far in the future (at the latest %(maximum)s).",
                **params,
            ),
        }
        return messages[error.key]() if error.key in messages else f"{label}: {error.key}"

    @api.model
    def _get_row_message(self, row, message):
        """A message about one row of a file: it always says which row."""
        return self.env._("Row %(row)s: %(message)s", row=row, message=message)

    @api.model
    def _check_input(self, model, raw, rules, region=None, labels=None):
        """(values, {field: translated message}) of ``raw`` checked against
        ``rules`` (tools/input_rules); the message names the field by its
        label on ``model`` (or ``labels``)."""
        values, errors = input_rules.check_values(
            raw,
            rules,
            region=region or input_rules.DEFAULT_REGION,
            today=self.env.context.get("input_today") or self._get_today(),
        )
        Model = self.env[model]
        labels = labels or {}
        messages = {}
        for field, error in errors.items():
            label = labels.get(field) or (
                Model._fields[field]._description_string(self.env)
                if field in Model._fields
                else field
            )
            messages[field] = self._get_error_message(label, error)
        return values, messages

    @api.model
    def _get_today(self):
        return fields.Date.context_today(self)
