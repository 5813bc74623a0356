from . import crm_match_mixin
from . import crm_match_engine
from . import res_partner
from . import crm_lead
