"""Plain Python domain logic of crm_distributor (no Odoo import)."""

from . import claim_key
from . import input_rules
from . import row_keys
