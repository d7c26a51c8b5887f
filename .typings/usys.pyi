# This umodule is a MicroPython reference to sys
from sys import *
