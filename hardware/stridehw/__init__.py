"""StrideKit hardware docs generator (used by hardware/build.py).

Modules: ``fw`` (typed views of the firmware's board.py and layouts.py), ``outline``
(EU sizes and the insole outline), ``parts`` (builds and BOM), ``pintable``,
``wiring`` (schemdraw diagrams), ``templates`` (1:1 insole SVGs), ``power``.
"""
