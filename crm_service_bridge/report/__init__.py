from . import crm_installed_base_report
