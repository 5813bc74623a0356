from . import crm_deal_registration_reason_wizard
from . import crm_trade_fair_import
