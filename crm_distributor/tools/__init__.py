"""Plain Python domain logic of crm_distributor (no Odoo import)."""
