"""When a unit's warranty starts and ends (pure functions, no ORM)."""

from dateutil.relativedelta import relativedelta

BASIS_DELIVERY = "delivery"
BASIS_SELL_OUT = "sell_out"
BASIS_SELL_OUT_CAPPED = "sell_out_capped"
BASIS_MANUAL = "manual"


def warranty_from_sell_out(delivery_date, sell_out_date, cap_months):
    """``(start, basis)`` of a unit sold out by a distributor.

    The warranty starts at the sell-out, but never later than the delivery to the
    distributor plus ``cap_months`` (0 or ``None``: no cap), so a unit kept
    on a shelf for years does not get a fresh warranty.
    """
    if cap_months and delivery_date:
        cap = delivery_date + relativedelta(months=cap_months)
        if sell_out_date > cap:
            return cap, BASIS_SELL_OUT_CAPPED
    return sell_out_date, BASIS_SELL_OUT


def warranty_end(start, months):
    """Last day covered: ``start`` plus ``months`` (no warranty: ``None``)."""
    if not start or not months:
        return None
    return start + relativedelta(months=months)


def warranty_status(end, today):
    """``(under_warranty, reason_code)``: ``no_unit``, ``not_started``, ``running``, ``expired``."""
    if not end:
        return False, "not_started"
    if end >= today:
        return True, "running"
    return False, "expired"
