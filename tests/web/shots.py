"""Screenshot checks without an imaging library: decode Playwright's PNG (zlib + numpy)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

SHOT_DIR = Path(__file__).resolve().parents[2] / "build" / "web-shots"


def png_pixels(png: bytes) -> np.ndarray:
    """(H, W, C) uint8 of an 8-bit, non-interlaced RGB/RGBA PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    h = ch = 0
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos : pos + 8])
        body = png[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and ctype in (2, 6), (depth, ctype, interlace)
            ch = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(h, 1 + w * ch)
    out = np.zeros((h, w * ch), np.int32)
    prev = np.zeros(w * ch, np.int32)
    for y in range(h):
        f, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        cur = np.zeros(w * ch, np.int32)
        if f == 0:
            cur = line
        elif f == 2:
            cur = (line + prev) & 0xFF
        else:
            for x in range(w * ch):
                a = cur[x - ch] if x >= ch else 0
                b = prev[x]
                c = prev[x - ch] if x >= ch else 0
                if f == 1:
                    p = a
                elif f == 3:
                    p = (a + b) // 2
                else:  # Paeth
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    p = a if pa <= pb and pa <= pc else b if pb <= pc else c
                cur[x] = (line[x] + p) & 0xFF
        out[y] = cur
        prev = cur
    return out.reshape(h, w, ch).astype(np.uint8)


def check_shot(png: bytes, name: str) -> np.ndarray:
    """Save under build/web-shots and assert the picture is not blank."""
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    (SHOT_DIR / f"{name}.png").write_bytes(png)
    px = png_pixels(png)[:, :, :3]
    colours = len(np.unique(px.reshape(-1, 3)[::7], axis=0))
    assert px.std() > 10 and colours > 8, f"{name}: screenshot looks blank ({colours} colours)"
    return px
