from . import claim_key
from . import registration_input
