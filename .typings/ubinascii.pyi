# This umodule is a MicroPython reference to binascii
from binascii import *
