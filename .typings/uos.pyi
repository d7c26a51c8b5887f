# This umodule is a MicroPython reference to os
from os import *
