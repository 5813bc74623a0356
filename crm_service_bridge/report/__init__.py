from . import crm_installed_base_report
from . import crm_customer_timeline
