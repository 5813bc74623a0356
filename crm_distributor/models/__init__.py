from . import res_partner
from . import crm_deal_registration
from . import crm_deal_registration_line
from . import crm_lead
from . import crm_registration_upload
from . import crm_registration_upload_line
