from . import test_rfm
from . import test_lifecycle
from . import test_customer_value
from . import test_facts
from . import test_access
from . import test_ui
from . import test_reports
