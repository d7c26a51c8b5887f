# SampleBlock version 2: the pod's compressed raw samples, the format and its constants.
#
# The encoder is stridefw.sampleblock (its twins sampleblock_py, its viper
# sampleblock_vp), the reader stridefw.sampleblock_read; the host's fast reader
# (stridekit.fastblocks) is checked against that one.
#
# Raw samples are stored as SampleBlock records (records.REC_SAMPLE_BLOCK, type 32,
# frame version 2; version 1, varints, still reads: sampleblock_v1). A block holds up
# to 64 consecutive samples and decodes on its own. Each channel (the time, each
# cell, each IMU axis) is predicted and its residuals Rice-coded in sub-blocks of 8
# values, each with its own predictor and Rice parameter k: a foot in swing (cells
# near 0, noise) and in stance (ramps, impacts) wants different ones within 0.1 s.
#
# Payload, little endian:
#   0 t0_us u32      session time of the first sample (us, like Sample.t_us)
#   4 period_us u16  nominal sample period
#   6 n_cells u8
#   7 n u8           samples in this block, 1..64
#   8 flags u8       bit 0: a time channel follows (else every dt_us is period_us);
#                    bits 1-2: IMU in no sample (0), in every sample (1), or in the
#                    samples a bitmap marks (2: ceil(n / 8) bytes from 9, bit i (LSB
#                    first) for sample i, bits past n 0); other bits 0
#   then one bit stream to the end: LSB first in each byte, a field's bit 0 first,
#   zero bits padding the last byte. Channel after channel:
#     time (if flags bit 0): dt_us of samples 1..n-1 coded after init = period_us
#     each cell, then each IMU axis (if any sample has IMU; its values are those
#     samples'): the first value as w (5 bits, 0..16) and w bits of z0 (the value
#     for a cell, zz(value) for an IMU axis; its top bit set unless w = 0), then
#     the other values coded after init = the first.
#   c values coded after init, in sub-blocks of SUB (the last may be shorter):
#     params: per sub-block f = pred | k << 2 (6 bits). The first sub-block's f in
#       6 bits; each later one: 0 = the previous f; 100 = k + 1, 101 = k - 1 (the
#       same pred); 11 then f in 6 bits.
#     unary: per value not in a pred-3 sub-block, q one bits then a zero bit:
#       q = z >> k, or QMAX when that is QMAX or more (an escape).
#     tails: per value: pred 3: its 16 bits (two's complement for IMU); an escape:
#       z in ESC_BITS bits; else the low k bits of z.
#   z = zz(value - prediction), zz(r) = 2r for r >= 0, -2r - 1 for r < 0; but pred 0
#   on an unsigned channel (time, cells): z = the value. p1, p2: the two values
#   before (init where there is none): pred 0: 0; pred 1: p1; pred 2: 2 * p1 - p2.
# A reader refuses (ValueError; the host's fast readers: None): flag bits or an IMU
# mode it does not know; a bitmap bit past n; n of 0 or over 64; a first value's
# length over 16 or not its value's length; pred 3 with k other than 0; a k step
# out of 0..K_MAX or onto pred 3; a unary code over QMAX ones; a value outside 16 bits
# (0..65535 for the time and cells, int16 for IMU); bytes or non-zero bits after the
# last channel. It takes an escape where the normal code would fit, and a bitmap that
# marks every sample or none.
# Which pred and k the encoder picks is its own business (encode_block_py says
# how); a decoder needs only the fields above. Escapes and pred 3 keep
# every sub-block at or under 16 bits a value, which is what lets encode_block write
# the payload over the values it has read (_values_at).
from stridefw.compat import const

SAMPLE_BLOCK_VERSION = const(2)

BLOCK_MAX_SAMPLES = const(64)
SUB = const(8)  # values per sub-block: one (pred, k) each
QMAX = const(12)  # a quotient of QMAX or more is an escape
ESC_BITS = const(18)  # every z fits: |value - (2 p1 - p2)| <= 2 * 65535 -> z < 2**18
K_MAX = const(15)
IMU_N = const(6)
MAX_CELLS = const(16)  # the mux's most; keeps a block under records.MAX_PAYLOAD
HEAD_BYTES = const(9)
DT_MAX_US = const(65535)  # a larger gap starts a new block (dt is a 16-bit value)
