from . import serial
from . import warranty
from . import sell_out_check
