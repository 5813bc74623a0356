from . import test_tools
from . import test_opportunity_type
from . import test_lead_line
from . import test_quote_to_order
from . import test_credit_control
from . import test_readiness
from . import test_finance_access
from . import test_ui
