from . import test_portal
from . import test_portal_routes
from . import test_portal_tours
