# This umodule is a MicroPython reference to cryptolib
from cryptolib import *
