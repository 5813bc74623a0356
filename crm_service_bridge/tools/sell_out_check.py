"""The outcome of one serial named in a distributor's sell-out (pure function).

``unit`` is ``None`` when no unit has the serial, else a mapping with the
unit's ``product_id``, ``custody_state`` and ``distributor_id`` (ids).
"""

MATCHED = "matched"
UNKNOWN = "unknown"
WRONG_PRODUCT = "wrong_product"
OTHER_DISTRIBUTOR = "other_distributor"
ALREADY_SOLD = "already_sold"
OUT_OF_TERRITORY = "out_of_territory"

EXCEPTIONS = (UNKNOWN, WRONG_PRODUCT, OTHER_DISTRIBUTOR, ALREADY_SOLD, OUT_OF_TERRITORY)


def classify_serial(unit, product_id, distributor_id, in_territory, seen_before=False):
    """The first rule that fails decides; a serial passing all of them is matched.

    Order: the serial exists, is the product reported, was not already sold
    out (or named twice in the same report), is held by this distributor
    (else it is at another distributor or was never shipped to this one:
    goods sold outside their channel), and the end customer is in the
    distributor's territory.
    """
    if unit is None:
        return UNKNOWN
    if product_id and unit["product_id"] != product_id:
        return WRONG_PRODUCT
    if seen_before or unit["custody_state"] == "customer":
        return ALREADY_SOLD
    if unit["custody_state"] != "distributor" or unit["distributor_id"] != distributor_id:
        return OTHER_DISTRIBUTOR
    if not in_territory:
        return OUT_OF_TERRITORY
    return MATCHED


def in_territory(state_ids, country_ids, partner_state_id, partner_country_id):
    """No territory set: anywhere. Else the customer's state or country is in it."""
    if not state_ids and not country_ids:
        return True
    return bool(
        (partner_state_id and partner_state_id in state_ids)
        or (partner_country_id and partner_country_id in country_ids)
    )
