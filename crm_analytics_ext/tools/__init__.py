from . import rfm
