# Viper versions of the raw-sample encoder's two loops (SampleBlock version 4, the
# format in stridefw.sampleblock_fmt): add_sample stores one sample's values as 16
# bits each, and encode_block Rice-codes the block over them in place (the time
# channel's mode, each sub-block's pred and k, the params, the first values, unary
# codes and tails).
#
# Their plain-Python twins, sampleblock_py.add_sample_py and encode_block_py, are
# what CPython, the host's session writer (lists) and every port without the viper
# emitter use; sampleblock imports this module inside try/except (a viper decorator
# is a compile-time error where the emitter is missing, see kernel_vp.py).
# tests/mpy/test_unix32_sampleblock.py requires the same payloads, byte for byte,
# from both in micropython-unix32 and from CPython. encode_block takes its twin's
# steps and choices, computed with fewer operations (each costs several machine
# instructions in viper code, most of them loads and stores of locals):
# - a sub-block's values are read straight from buf (or _dt; grid offsets are first
#   written into _x as 16 bits each) in one pass, two values a turn, that gives their
#   z under preds 0, 1, 2, 5 and 4 as the value and its first, second and third
#   differences and the second less the neighbour's (the twin: a copy of the channel
#   into x, then a pass per pred); the params written meanwhile stay below the
#   channel's values (sampleblock._values_at);
# - the neighbour (pred 4) as its second differences, which its own pass leaves in
#   _xn, each written over the one before's once read (the twin keeps the neighbour's
#   values in _xn and swaps x and xn);
# - a z past ESC_BITS (which refuses pred 4 or 5) looked for only where the
#   sub-block's sum of z is 2**ESC_BITS or more; pred 4's z computed (and ignored)
#   where the channel has no neighbour rather than a second loop;
# - k0 by halving, and the bits at k0 - 1, k0 and k0 + 1 from one shift a value
#   (at k0 and k0 + 1 no value escapes), two values a turn, preds 0-2's chosen z
#   copied into zc on the way;
# - preds 4-5's candidates counted only where they can be taken: a bound under
#   their bits at each of the three k, from their sum of z alone, with the fewest
#   params' bits they can have, below the best so far (the twin counts them all;
#   on a simulated run's block at 8 cells 86 % of sub-blocks skip that pass);
# - the twin's _param_bits as tables by k's step, one for each group of preds and
#   for sub-block 0 (a viper call costs more);
# - unary codes and tails in one pass: the tails by a second bit writer from where
#   the unary codes end (the choices give their bits), both flushing two bytes at
#   a time;
# - z and t, the most used locals, are the viper function's two parameters: viper
#   keeps a function's first two locals in registers (when it has at most two
#   parameters), so encode_block passes the encoder in a module global.
#
# Why viper: as bytecode, encode_block_py costs 73.6M x86 instructions per full
# block (104 samples) at 8 cells + IMU and 92.6M at 16 (82 samples)
# (micropython-unix32, valgrind, a simulated run's block as stridekit.budget.timing
# counts it). Here: 0.78M and 0.98M, no allocation: on the chip at 80 MHz about
# 21-33 ms and 26-41 ms a block (`stride deploy --dry-run`, which counts 5,026 B of
# xtensawin code for the decorated functions; the module's .mpy is 9,698 B), of
# which preds 4 and 5 take about 0.15M (19 %: their z, and their candidates).
# add_sample: one call, no bytecode loop over the cells (a whole add(): 10.4k x86 at
# 8 cells, 11.0k at 16; with the twin 46.6k and 66.0k).
#
# Types, checked by SampleBlockEncoder._pick before add_sample is used: cells
# array('H'), imu array('h') or None (its 16 bits are stored as they are, so ptr16's
# unsigned reads need no sign extension there). encode_block reads e.buf (bytearray;
# its values byte by byte: e.vbase may be odd, and the chip faults on an unaligned
# 16-bit load) and e._dt array('H') (as bytes), writes the grid offsets into e._x,
# second differences into e._xn and z into e._zs and e._zc array('i') (ptr32 at
# their own, aligned, addresses; reads are signed machine words: IMU values and grid
# offsets are sign-extended by hand) and the params into e._par bytearray; e.nmax is
# each channel's stride in buf (values). Arithmetic: every value is 16-bit (a grid
# offset is coded only when all of them fit int16; their sum on the way, at most 103
# * 65535, fits a 32-bit int), so a residual is within +-3 * 65535 for preds 0-2 (z
# below 2**18) and +-4 * 65535 for 4 and 5 (z below 2**20, a sub-block's sum below
# 2**23; a pred is chosen only where its z are below 2**18, so then its sum is below
# 2**21); zz(r) = (r << 1) ^ (r >> 31) on a 32-bit int (>> is arithmetic) is the
# twin's zigzag. The bit accumulators (uint) hold fewer than 8 pending bits between
# fields (under 2**28 with the widest, the first value's 5 + 16 bits), and fewer than
# 16 between the unary codes and tails (a field there is at most 18 bits, an escape's
# flushed before). No bounds checks: SampleBlockEncoder.room() and
# sampleblock._values_at guarantee the space.
# ptr8 / ptr16 / ptr32 / uint are viper built-ins: they exist only inside a viper
# function.
# ruff: noqa: F821
import micropython
from micropython import const

# sampleblock_fmt's constants, copied: a const imported from another module would be
# a global lookup here, not a number folded into the code (the test checks they agree)
_IMU_N = const(6)
_HEAD = const(9)
_QMAX = const(12)
_ESC_BITS = const(18)
_K_MAX = const(15)


@micropython.viper
def add_sample(e, dt_us: int, cells, imu):
    """One sample's values into e.buf, 16 bits each at e.vbase + 2 * (channel * e.nmax + index)."""
    b = ptr8(e.buf)
    d = ptr16(e._dt)
    c = ptr16(cells)
    nc = int(e.n_cells)
    n = int(e.n)
    vb = int(e.vbase)
    nm = int(e.nmax)
    d[n] = dt_us
    j = 0
    while j < nc:
        v = int(c[j])
        o = vb + 2 * (j * nm + n)
        b[o] = v & 0xFF
        b[o + 1] = v >> 8
        j += 1
    if imu:  # None, or the 6 IMU axes (viper cannot compare with None)
        im = ptr16(imu)
        o = vb + 2 * (nc * nm + int(e._imu_n))
        j = 0
        while j < _IMU_N:
            v = int(im[j])
            b[o] = v & 0xFF
            b[o + 1] = (v >> 8) & 0xFF
            o += 2 * nm
            j += 1


_E = None  # the encoder while encode_block runs


def encode_block(e):
    """Compress e's block into e.buf (over the stored values); the payload length."""
    global _E
    _E = e
    try:
        n = _encode(0, 0)
    finally:
        _E = None
    if not n:  # a payload has its head at least: _encode did not see e
        raise RuntimeError("SampleBlock encoder not handed to _encode")
    return n


@micropython.viper
def _encode(z: int, t: int) -> int:
    # z and t, the most used locals, are parameters so that they are the first two
    # locals, the ones viper keeps in registers; the encoder comes as _E
    e = _E
    if not e:  # only encode_block calls this, with _E set
        return 0
    b = ptr8(e.buf)
    xa = int(ptr8(e._x))  # addresses: pointers advance by int arithmetic below
    zsa = int(ptr32(e._zs))
    xn = int(ptr32(e._xn))
    zca = int(ptr32(e._zc))
    par = ptr8(e._par)
    # the params' bits at k, at 15 + k - kb (k - kb in -15..25, below): 1 at k = kb,
    # 3 at kb +- 1, else 8 (preds 0-3) or 12 (4, 5); then, for sub-block 0 (kb -9),
    # 6 and 10
    pbt = int(
        ptr8(
            b"\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x03\x01\x03"
            b"\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08"
            b"\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08"
            b"\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x03\x01\x03"
            b"\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c"
            b"\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c\x0c"
            b"\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06\x03\x01\x03"
            b"\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06"
            b"\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06"
            b"\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x03\x01\x03"
            b"\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a"
            b"\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a"
        )
    )
    dts = ptr16(e._dt)
    n = int(e.n)
    m = int(e._imu_n)
    nc = int(e.n_cells)
    period = int(e.period_us)
    vb = int(e.vbase)
    nm = int(e.nmax)
    dts[0] = period
    # the time channel: none when every dt_us is the period (nz 0), else grid
    # offsets when every one fits int16 (written into _x as 16 bits each on the
    # way, for the time channel's pass below), else dt_us
    nz = 0
    out = 0
    g = 0
    src = ptr8(xa)
    i = 1
    while i < n:
        t = int(dts[i]) - period
        nz |= t
        g += t
        if uint(g + 0x8000) > uint(0xFFFF):
            out = 1
        src[0] = g
        src[1] = g >> 8
        src = ptr8(int(src) + 2)
        i += 1
    flags = 0
    if nz:
        flags = 9
        if out:
            flags = 1
    o = _HEAD
    if m == n:
        flags |= 2
    elif m:
        flags |= 4
        o += (n + 7) >> 3
    b[8] = flags
    acc = uint(0)  # bits not yet written, LSB first; nb of them (< 8 between fields)
    nb = 0
    ch = 1
    if flags & 1:
        ch = 0  # 0: time, 1..nc: cells, then IMU axes
    last = nc
    if m:
        last += _IMU_N
    while ch <= last:
        # src: the channel's coded values, 16 bits each (LSB first, two's complement
        # when signed: sx 0x8000), read straight from where they are; init
        if ch == 0:
            c = n - 1
            if flags & 8:  # the grid offsets, in _x (above)
                init = 0
                sx = 0x8000
                src = ptr8(xa)
            else:
                init = period
                sx = 0
                src = ptr8(int(dts) + 2)
        else:
            c = n - 1
            sx = 0
            if ch > nc:
                c = m - 1
                sx = 0x8000
            at = vb + 2 * (ch - 1) * nm
            init = int(b[at]) | (int(b[at + 1]) << 8)  # the first value
            init = (init ^ sx) - sx
            z = (init << 1) ^ (init >> 31)
            if not sx:
                z = init
            w = 0  # its bit length, in 5 bits, then its bits
            while z >> w:
                w += 1
            acc |= uint(w | (z << 5)) << nb
            nb += 5 + w
            while nb >= 8:
                b[o] = acc
                acc >>= 8
                nb -= 8
                o += 1
            src = ptr8(int(b) + at + 2)
        sh = sx >> 15  # pred 0's z: zz(value) when signed, else the value
        nsub = (c + 7) >> 3  # sub-blocks of SUB = 8 values
        # pred 4 only where the channel has a neighbour (cells 1.., IMU axes 1..):
        # elsewhere its bit in bad (below) is set from the start
        nbad = 16
        if ch >= 2 and ch != nc + 1:
            nbad = 0
        # Each sub-block's (pred, k): the pred with the least sum of z among 0-2 and
        # among 4-5 (the first on a tie), each at its k0 - 1, k0, k0 + 1, the
        # sub-block before's (pred, k) and pred 3, the one whose bits and params'
        # bits are fewest (the first on a tie), never a Rice choice over 16 bits a
        # value. zs: the sub-block's z under each
        # pred (p * 8 words on for pred p); zc: the chosen z of every value. The
        # params go out here: they stay below the channel's values
        # (sampleblock._values_at), which src reads until the channel's last
        # sub-block.
        p1 = init  # the value before
        r1 = 0  # its pred-1 residual (p1 - p2, p2 the one before it)
        d1 = 0  # its pred-2 residual (p1 - 2 p2 + p3)
        # nq: _xn at the value, where the neighbour's pass left its pred-2 residual
        # (pred 4's b0 - 2 b1 + b2: the neighbour's first value stands in for the
        # ones before it as it does in its own pass); this pass writes its own there
        # once that is read, for the next channel
        nq = ptr32(xn)
        zq = ptr32(zca)  # the sub-block's first value in zc
        ut = 0  # the channel's unary bits
        left = c
        s = 0
        while s < nsub:
            cnt = 8
            if left < 8:
                cnt = left
            left -= 8
            # the five preds' z in one pass, two values a turn (t and z are the locals
            # in registers): pred 1's residual is the first difference r, 2's the
            # second (r - r1), 5's the third (the second less d1), 4's the second
            # less the neighbour's; zz(r) = (r << 1) ^ (r >> 31) on a 32-bit int (>>
            # is arithmetic), the twin's zigzag
            a0 = 0
            a1 = 0
            a2 = 0
            a4 = 0
            a5 = 0
            q = ptr32(zsa)
            j = cnt
            while j:
                t = ((int(src[0]) | (int(src[1]) << 8)) ^ sx) - sx
                z = (t << sh) ^ (t >> 31)
                q[0] = z
                a0 += z
                r = t - p1
                p1 = t
                z = (r << 1) ^ (r >> 31)
                q[8] = z
                a1 += z
                t = r - r1  # the value - 2 p1 + p2
                r1 = r
                z = (t << 1) ^ (t >> 31)
                q[16] = z
                a2 += z
                r = t - d1  # the value - 3 p1 + 3 p2 - p3
                d1 = t
                z = (r << 1) ^ (r >> 31)
                q[40] = z
                a5 += z
                r = t - nq[0]
                nq[0] = t
                z = (r << 1) ^ (r >> 31)
                q[32] = z
                a4 += z
                if j == 1:  # an odd count (the channel's last sub-block) ends here
                    src = ptr8(int(src) + 2)
                    nq = ptr32(int(nq) + 4)
                    break
                t = ((int(src[2]) | (int(src[3]) << 8)) ^ sx) - sx
                z = (t << sh) ^ (t >> 31)
                q[1] = z
                a0 += z
                r = t - p1
                p1 = t
                z = (r << 1) ^ (r >> 31)
                q[9] = z
                a1 += z
                t = r - r1  # the value - 2 p1 + p2
                r1 = r
                z = (t << 1) ^ (t >> 31)
                q[17] = z
                a2 += z
                r = t - d1  # the value - 3 p1 + 3 p2 - p3
                d1 = t
                z = (r << 1) ^ (r >> 31)
                q[41] = z
                a5 += z
                r = t - nq[1]
                nq[1] = t
                z = (r << 1) ^ (r >> 31)
                q[33] = z
                a4 += z
                src = ptr8(int(src) + 4)
                q = ptr32(int(q) + 8)
                nq = ptr32(int(nq) + 8)
                j -= 2
            # bad: a bit per pred whose z do not all fit an escape (1 << pred; preds
            # 0-2's always fit): only a sum of 2**ESC_BITS or more can hold one
            bad = nbad
            if not bad and a4 >> _ESC_BITS:
                q = ptr32(zsa + 128)
                j = cnt
                while j:
                    if int(q[0]) >> _ESC_BITS:
                        bad = 16
                    q = ptr32(int(q) + 4)
                    j -= 1
            if a5 >> _ESC_BITS:
                q = ptr32(zsa + 160)
                j = cnt
                while j:
                    if int(q[0]) >> _ESC_BITS:
                        bad |= 32
                    q = ptr32(int(q) + 4)
                    j -= 1
            # the candidates' preds: the least sum of z among 0-2 (bp, pa; the first
            # on a tie) and among 4-5 that fit an escape (bq, qa; 4 first on a tie,
            # 255: neither)
            bp = 0
            pa = a0
            if a1 < pa:
                pa = a1
                bp = 1
            if a2 < pa:
                pa = a2
                bp = 2
            bq = 255
            qa = 0
            if not bad & 16:
                bq = 4
                qa = a4
            if not bad & 32 and (bq == 255 or a5 < qa):
                bq = 5
                qa = a5
            bits = cnt << 4  # pred 3's
            g = 255  # the sub-block before's params
            if s:
                g = int(par[s - 1])
            pp = g & 7  # its pred
            pk = g >> 3  # and k
            # Candidates, each with its params' bits (the twin's _param_bits): pred 3
            # (k 0), then bp at its k0 - 1, k0, k0 + 1, then bq at its; the first
            # cheapest is taken (strict <), never a Rice choice over 16 bits a value
            bf = 3
            ub = 0  # the unary bits of bf
            best = bits + 8
            if not s:
                best = bits + 6
            elif g == 3:
                best = bits + 1
            k00 = 0  # bp's k0
            k01 = 0  # bq's
            cp = bp  # the group's pred and its sum
            ca = pa
            gi = 0
            while gi < 2:
                if gi:
                    if bq == 255:
                        break
                    cp = bq
                    ca = qa
                # k0: the least k with cnt << k >= ca, at most K_MAX (15), by halving
                k0 = 0
                if (cnt << 7) < ca:
                    k0 = 8
                if (cnt << (k0 + 3)) < ca:
                    k0 += 4
                if (cnt << (k0 + 1)) < ca:
                    k0 += 2
                if (cnt << k0) < ca:
                    k0 += 1
                if gi:
                    k01 = k0
                    # a bound under bq's bits at each of its k: the sum of z >> k is
                    # at least (ca >> k) - cnt + 1, and an escape at k0 - 1 (where z >>
                    # (k0 - 1) <= 2 cnt) costs no less than (z >> k) + 1 + k, so k0 -
                    # 1's bits are at least (ca >> (k0 - 1)) + cnt * (k0 - 1) + 1, and
                    # (for 0 < k0 < K_MAX) k0's and k0 + 1's no fewer. When it and the
                    # fewest params' bits bq can have are not below best, none of bq's
                    # is taken: no pass
                    lb = cnt
                    if k0 == _K_MAX:
                        lb = cnt * _K_MAX + 1
                    elif k0:
                        lb = (ca >> (k0 - 1)) + cnt * (k0 - 1) + 1
                    d = 12
                    if not s:
                        d = 10
                    elif pp == cp:
                        d = 1
                    if lb + d >= best:
                        break
                else:
                    k00 = k0
                # the bits at k0 - 1 (lo), k0 (mid), k0 + 1 (hi), from t = z >> (k0 -
                # 1) (z >> 0 when k0 is 0); at k0 and k0 + 1 no value escapes (z <= the
                # sum <= cnt << k0, or z < 2**18 at K_MAX, so z >> k0 <= SUB < QMAX).
                # bp's z go to zc on the way (another choice fixes them below), bq's
                # back where they are
                km = 0
                s1 = 0
                if k0:
                    km = k0 - 1
                    s1 = 1
                s2 = s1 + 1
                lo = 0
                elo = 0  # escapes at k0 - 1
                mid = 0
                hi = 0
                q = ptr32(zsa + (cp << 5))
                zw = q
                if not gi:
                    zw = zq
                # two values a turn: an odd count (the channel's last sub-block) gets
                # one more of z 0 (0 bits at any k), which lands in zc just after the
                # channel's last value (c < nmax) and in zs after the sub-block's,
                # where nothing reads it
                if cnt & 1:
                    q[cnt] = 0
                j = (cnt + 1) >> 1
                while j:
                    z = q[0]
                    zw[0] = z
                    t = z >> km
                    mid += t >> s1
                    hi += t >> s2
                    if t >= _QMAX:
                        t = _QMAX
                        elo += 1
                    lo += t
                    z = q[1]
                    zw[1] = z
                    t = z >> km
                    mid += t >> s1
                    hi += t >> s2
                    if t >= _QMAX:
                        t = _QMAX
                        elo += 1
                    lo += t
                    q = ptr32(int(q) + 8)
                    zw = ptr32(int(zw) + 8)
                    j -= 1
                # each candidate's unary bits (u*), then all its bits: an escape's
                # unary code is QMAX ones and a zero, its tail ESC_BITS bits
                ulo = lo + cnt
                umid = mid + cnt
                uhi = hi + cnt
                lo = ulo + km * cnt
                if elo:
                    lo += (_ESC_BITS - km) * elo
                mid = umid + k0 * cnt
                hi = uhi + (k0 + 1) * cnt
                # pb[15 + k - kb]: the params' bits at k, where kb is the k before when
                # the pred before is cp, else -9 (not 1 or 3 bits): the group's table,
                # for sub-block 0 the one without a params before
                pb = ptr8(pbt + 41 * gi)
                if not s:
                    pb = ptr8(pbt + 82 + 41 * gi)
                kb = -9
                if s and pp == cp:
                    kb = pk
                if k0 and lo <= bits:
                    d = lo + int(pb[k0 + 14 - kb])
                    if d < best:
                        bf = cp | ((k0 - 1) << 3)
                        best = d
                        ub = ulo
                if mid <= bits:
                    d = mid + int(pb[k0 + 15 - kb])
                    if d < best:
                        bf = cp | (k0 << 3)
                        best = d
                        ub = umid
                if k0 < _K_MAX and hi <= bits:
                    d = hi + int(pb[k0 + 16 - kb])
                    if d < best:
                        bf = cp | ((k0 + 1) << 3)
                        best = d
                        ub = uhi
                gi += 1
            # the sub-block before's (pred, k), when it is none of those and its z
            # fit: 1 bit
            if (
                s
                and pp != 3
                and not (bad >> pp) & 1
                and (pp != bp or pk < k00 - 1 or pk > k00 + 1)
                and (pp != bq or pk < k01 - 1 or pk > k01 + 1)
            ):
                a = 0
                ea = 0
                q = ptr32(zsa + (pp << 5))
                j = cnt
                while j:
                    t = int(q[0]) >> pk
                    if t >= _QMAX:
                        t = _QMAX
                        ea += 1
                    a += t
                    q = ptr32(int(q) + 4)
                    j -= 1
                ua = a + cnt
                a = ua + pk * cnt
                if ea:
                    a += (_ESC_BITS - pk) * ea
                if a <= bits and a + 1 < best:
                    bf = g
                    ub = ua
            f = bf
            bp2 = f & 7
            if bp2 != bp:  # zc holds bp's z: the chosen pred's instead
                zw = zq
                j = cnt
                if bp2 == 3:  # the values' 16 bits
                    v = int(src) - 2 * cnt
                    while j:
                        zw[0] = int(ptr8(v)[0]) | (int(ptr8(v)[1]) << 8)
                        v += 2
                        zw = ptr32(int(zw) + 4)
                        j -= 1
                else:
                    q = ptr32(zsa + (bp2 << 5))
                    while j:
                        zw[0] = q[0]
                        q = ptr32(int(q) + 4)
                        zw = ptr32(int(zw) + 4)
                        j -= 1
            zq = ptr32(int(zq) + 32)
            # the params: 0 as the sub-block before; 10, 11 then k + 1, k - 1 with its
            # pred; else (11 after sub-block 0) F: pred | k << 2 (6 bits) for preds
            # 0-3, 3 | (pred - 3) << 2 then k in 4 bits for preds 4 and 5
            dk = (f >> 3) - pk
            if s and f == g:
                nb += 1
            elif s and bp2 == pp and (dk == 1 or dk == -1):
                if dk == 1:
                    acc |= uint(1) << nb
                else:
                    acc |= uint(5) << nb
                nb += 3
            else:
                v = bp2 | ((f >> 3) << 2)
                w = 6
                if bp2 > 3:
                    v = 3 | ((bp2 - 3) << 2) | ((f >> 3) << 6)
                    w = 10
                if s:
                    v = 3 | (v << 2)
                    w += 2
                acc |= uint(v) << nb
                nb += w
            par[s] = f
            ut += ub
            while nb >= 8:
                b[o] = acc
                acc >>= 8
                nb -= 8
                o += 1
            s += 1
        # unary codes, then tails: both in one pass, a sub-block at a time, the
        # tails by a second writer (acc2, nb2, o2) from where the unary codes end
        u = (o << 3) + nb + ut
        o2 = u >> 3
        nb2 = u & 7  # bits of the unary codes' last byte: acc2's are 0 there
        acc2 = uint(0)
        hb = 1 << nb  # the unary writer's next bit, as a bit
        zq = ptr32(zca)
        left = c
        s = 0
        while s < nsub:
            cnt = 8
            if left < 8:
                cnt = left
            left -= 8
            f = int(par[s])
            k = f >> 3
            q = zq
            j = cnt
            # both writers flush two bytes once 16 bits are pending, so fewer than
            # 16 are between values: a unary code (<= 13 bits) or a tail of k
            # (<= 15) or 16 bits then fits in acc, an escape's 18 after a flush
            if f & 7 == 3:  # the values' 16 bits (two bytes each), no unary codes
                while j:
                    acc2 |= uint(q[0]) << nb2
                    b[o2] = acc2
                    b[o2 + 1] = acc2 >> 8
                    acc2 >>= 16
                    o2 += 2
                    q = ptr32(int(q) + 4)
                    j -= 1
            else:
                mask = (1 << k) - 1
                while j:
                    z = int(q[0])
                    t = z >> k
                    if t >= _QMAX:  # an escape
                        acc |= uint(hb * 0xFFF)
                        hb <<= _QMAX + 1
                        while nb2 >= 8:
                            b[o2] = acc2
                            acc2 >>= 8
                            nb2 -= 8
                            o2 += 1
                        acc2 |= uint(z) << nb2
                        nb2 += _ESC_BITS
                    else:
                        acc |= uint((hb << t) - hb)
                        hb <<= t + 1
                        acc2 |= uint(z & mask) << nb2
                        nb2 += k
                    if hb >= 0x10000:
                        b[o] = acc
                        b[o + 1] = acc >> 8
                        acc >>= 16
                        hb >>= 16
                        o += 2
                    if nb2 >= 16:
                        b[o2] = acc2
                        b[o2 + 1] = acc2 >> 8
                        acc2 >>= 16
                        nb2 -= 16
                        o2 += 2
                    q = ptr32(int(q) + 4)
                    j -= 1
            zq = ptr32(int(zq) + 32)
            s += 1
        while hb >= 0x100:
            b[o] = acc
            acc >>= 8
            hb >>= 8
            o += 1
        while nb2 >= 8:
            b[o2] = acc2
            acc2 >>= 8
            nb2 -= 8
            o2 += 1
        # the unary codes end in byte o (nb bits): the tails' first byte
        nb = 0
        while hb > 1:
            hb >>= 1
            nb += 1
        if nb:
            if o2 > o:
                b[o] |= acc
            else:
                acc2 |= acc
        o = o2
        acc = acc2
        nb = nb2
        ch += 1
    if nb:
        b[o] = acc
        o += 1
    return o
