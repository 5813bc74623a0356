"""Plain Python domain logic of crm_match (no Odoo import)."""
