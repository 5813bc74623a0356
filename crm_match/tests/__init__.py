from . import test_match_engine
from . import test_match_lead_duplicates
from . import test_match_linear
from . import test_match_normalize
from . import test_match_quality
from . import test_match_scoring
from . import test_match_search
