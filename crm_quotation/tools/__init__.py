from . import credit
from . import history
