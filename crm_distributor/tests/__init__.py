from . import test_input_rules
from . import test_upload_privacy
