# This umodule is a MicroPython reference to ssl
from ssl import *
