from . import product_template
from . import crm_visit
from . import res_partner
from . import crm_lead
