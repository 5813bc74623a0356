from . import crm_distributor_tier
from . import res_partner
from . import crm_deal_registration
from . import crm_deal_registration_line
from . import crm_deal_registration_match
from . import crm_sell_out
from . import crm_lead
