# Micropython v1.29.0 frozen stubs
from _typeshed import Incomplete
from neopixel import NeoPixel

class APA106(NeoPixel):
    ORDER: Incomplete
