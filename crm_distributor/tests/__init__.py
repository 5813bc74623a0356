# test_match_*.py and match_common.py move to crm_match (issue 12): not imported here.
from . import test_access
from . import test_back_office_tour
from . import test_concurrency
from . import test_portal
from . import test_portal_upload
from . import test_registration_upload
from . import test_registration_workflow
from . import test_spreadsheet
from . import test_tools
from . import test_tours
from . import test_trade_fair_import
from . import test_workflow_access
from . import test_portal_routes
from . import test_portal_tours
from . import test_input_rules
from . import test_upload_privacy
from . import test_match_registration
