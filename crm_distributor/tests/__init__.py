from . import test_input_rules
