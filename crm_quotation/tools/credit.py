"""Credit arithmetic of a customer, free of Odoo (unit-tested on its own).

All amounts are in the company currency. ``limit`` 0 (or None) means that no
credit limit is set for the customer.
"""

from dataclasses import dataclass, field

NO_LIMIT = "no_limit"
OVER_LIMIT = "over_limit"
OVERDUE = "overdue"


@dataclass(frozen=True)
class CreditPosition:
    """What a customer owes and may still buy on credit."""

    limit: float
    receivable: float
    uninvoiced: float
    overdue_amount: float = 0.0
    overdue_days: int = 0

    @property
    def has_limit(self):
        return bool(self.limit) and self.limit > 0

    @property
    def used(self):
        return self.receivable + self.uninvoiced

    @property
    def available(self):
        return self.limit - self.used if self.has_limit else 0.0

    def after(self, amount):
        """Available credit once ``amount`` is added (negative: over the limit)."""
        return self.available - amount if self.has_limit else 0.0


@dataclass(frozen=True)
class CreditDecision:
    """Reasons that forbid an amount; empty when the amount is allowed."""

    reasons: tuple = field(default_factory=tuple)

    @property
    def allowed(self):
        return not self.reasons


def evaluate(position, amount, max_overdue_days=0, rounding=0.01):
    """Decide whether ``amount`` may be added to ``position``.

    :param CreditPosition position: the customer's credit position
    :param float amount: amount of the new order, company currency, taxes included
    :param int max_overdue_days: block when an invoice is overdue by more than
        this many days; 0 disables the overdue rule
    :param float rounding: the currency rounding, to ignore rounding noise
    """
    reasons = []
    if not position.has_limit:
        reasons.append(NO_LIMIT)
    elif position.after(amount) < -rounding / 2:
        reasons.append(OVER_LIMIT)
    if max_overdue_days and position.overdue_amount > rounding / 2:
        if position.overdue_days > max_overdue_days:
            reasons.append(OVERDUE)
    return CreditDecision(reasons=tuple(reasons))


def approval_covers(approved_amount, approved_currency, amount, currency, rounding=0.01):
    """An approval covers an order for its currency and at most its amount."""
    if approved_currency != currency or not approved_amount:
        return False
    return amount <= approved_amount + rounding / 2
