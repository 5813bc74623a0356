from . import test_rfm
from . import test_customer_value_report
from . import test_ui
