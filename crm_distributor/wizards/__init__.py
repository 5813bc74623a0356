from . import crm_trade_fair_import
