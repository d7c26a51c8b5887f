# SampleBlock version 4: the pod's compressed raw samples, the format and its constants.
#
# The encoder is stridefw.sampleblock (its twins sampleblock_py, its viper
# sampleblock_vp), the reader stridefw.sampleblock_read; the host's fast readers
# (stridekit.fastblocks, stridekit/sbreader.pyx) are checked against that one.
#
# Raw samples are stored as SampleBlock records (records.REC_SAMPLE_BLOCK, type 32,
# frame version 4). A block holds up to 104 consecutive samples and decodes on its
# own. Each channel (the time, each cell, each IMU axis) is predicted and its
# residuals Rice-coded in sub-blocks of 8 values, each with its own predictor and
# Rice parameter k: a foot in swing (cells near 0, noise) and in stance (ramps,
# impacts) wants different ones within 0.1 s.
#
# Payload, little endian:
#   0 t0_us u32      session time of the first sample (us, like Sample.t_us)
#   4 period_us u16  nominal sample period
#   6 n_cells u8
#   7 n u8           samples in this block, 1..104
#   8 flags u8       bit 0: a time channel follows (else every dt_us is period_us);
#                    bits 1-2: IMU in no sample (0), in every sample (1), or in the
#                    samples a bitmap marks (2: ceil(n / 8) bytes from 9, bit i (LSB
#                    first) for sample i, bits past n 0);
#                    bit 3 (only with bit 0): the time channel holds grid offsets,
#                    not dt_us (below); other bits 0
#   then one bit stream to the end: LSB first in each byte, a field's bit 0 first,
#   zero bits padding the last byte. Channel after channel:
#     time (if flags bit 0), samples 1..n-1: without bit 3, dt_us coded after
#       init = period_us (unsigned); with bit 3, each sample's offset from the grid,
#       o_i = (t_i - t0) - i * period_us (int16, signed; o_0 = 0), coded after
#       init = 0, so dt_us of sample i = period_us + o_i - o_(i-1). The pod's timer
#       fires on the grid and each read is a little late: an offset is one sample's
#       lateness, a dt the difference of two (twice the variance).
#     each cell, then each IMU axis (if any sample has IMU; its values are those
#     samples'): the first value as w (5 bits, 0..16) and w bits of z0 (the value
#     for a cell, zz(value) for an IMU axis; its top bit set unless w = 0), then
#     the other values coded after init = the first.
#   c values coded after init, in sub-blocks of SUB (the last may be shorter):
#     params: per sub-block (pred 0..5, k 0..K_MAX) as F, 6 bits: pred | k << 2 for
#       preds 0-3 (pred 3 only with k = 0); for pred 4 and 5, F = 3 | (pred - 3) << 2,
#       then k in 4 bits. The first sub-block's F; each later one: 0 = the previous
#       (pred, k); 100 = k + 1, 101 = k - 1 (the same pred, not 3); 11 then F.
#     unary: per value not in a pred-3 sub-block, q one bits then a zero bit:
#       q = z >> k, or QMAX when that is QMAX or more (an escape).
#     tails: per value: pred 3: its 16 bits (two's complement when signed); an
#       escape: z in ESC_BITS bits; else the low k bits of z.
#   z = zz(value - prediction), zz(r) = 2r for r >= 0, -2r - 1 for r < 0; but pred 0
#   on an unsigned channel (dt_us, cells): z = the value. p1, p2, p3: the three
#   values before (init where there is none): pred 0: 0; pred 1: p1; pred 2:
#   2 * p1 - p2; pred 4: 2 * p1 - p2 + (b0 - 2 * b1 + b2); pred 5: 3 * p1 - 3 * p2 +
#   p3. Pred 4 is the linear prediction plus the neighbour's second difference: b0,
#   b1, b2 are the neighbour's values at this sample and the two before (its first
#   value where there is none). A channel's neighbour is the one coded before it:
#   cell j's is cell j - 1, IMU axis j's is axis j - 1; the time channel, cell 0
#   and IMU axis 0 have none (no pred 4). Where neighbouring cells load and unload
#   together, the neighbour's curve predicts the ramp's bend.
#   An escape holds z < 2**ESC_BITS: the encoder takes pred 4 or 5 only for a
#   sub-block whose z all fit (preds 0-2 always fit).
# Why preds 4 and 5, and their longer params (measured with the encoder on the
# bench's simulated runners 11-14, 8 cells, and on the bench's first 4 real walks,
# 8 feet of gaitpdb controls): 0.5 points of the Sample payload less than preds 0-2
# alone on the runners, the same on the walks. The simulator's neighbouring cells
# move together (second differences correlate 0.8-0.98, heel to toe), the walks'
# far less (0-0.5): there the new preds win nothing, so their params must not make
# preds 0-3 dearer. Coding every pred's params in 7 bits did (the walks 0.2 points
# larger). Mean-of-previous predictors
# (smoothing noise) gave nothing: the noise-only axes take pred 0.
# Version 3 is this format without preds 4 and 5 (F = 3 only with k = 0). Version 2
# is version 3 with n of at most 64 and flags bit 3 never set; version 1 (varints)
# is sampleblock_v1. All still read.
# A reader refuses (ValueError; the host's fast readers: None): a version it does
# not know; flag bits or an IMU mode it does not know, bit 3 without bit 0 (or in
# version 2); a bitmap bit past n; n of 0 or over 104 (64 in version 2); a first
# value's length over 16 or not its value's length; a k step out of 0..K_MAX or on
# pred 3; F = 3 | k << 2 with k over 2 (over 0 before version 4); pred 4 on a
# channel without a neighbour; a unary code over QMAX ones; a value outside 16 bits
# (0..65535 for dt_us and cells, int16 for grid offsets and IMU); a dt_us
# from grid offsets outside 0..65535; bytes or non-zero bits after the last
# channel. It takes an escape where the normal code would fit, and a bitmap that
# marks every sample or none.
# Which pred and k the encoder picks is its own business (encode_block_py says
# how); a decoder needs only the fields above. Escapes and pred 3 keep
# every sub-block at or under 16 bits a value, which is what lets encode_block write
# the payload over the values it has read (_values_at).
from stridefw.compat import const

SAMPLE_BLOCK_VERSION = const(4)

# 104: each block costs its head, its frame and every channel's first value, so
# fewer, longer blocks are smaller (64 gave 0.4 B a sample more at 100 Hz). The
# store commits (frames the open block) every second of the pod's clock, at the
# 100th or 101st sample at 100 Hz: a block that filled at 100 would leave a block
# of one sample before half the commits. 104 (13 x 8) is a little over that; at
# 200 Hz blocks are 104 + 96. The encoder's buffer is 2 B a value. At 12 cells and
# more a framed block of the worst data must stay within MAX_PAYLOAD
# (sampleblock.block_samples: 99 at 12 cells, 82 at 16), so there a 1-s commit
# leaves a short block too.
BLOCK_MAX_SAMPLES = const(104)
V2_MAX_SAMPLES = const(64)
SUB = const(8)  # values per sub-block: one (pred, k) each
QMAX = const(12)  # a quotient of QMAX or more is an escape
# preds 0-2's z all fit (|value - (2 p1 - p2)| <= 2 * 65535 -> z < 2**18); 4 and 5
# are taken only where theirs do
ESC_BITS = const(18)
K_MAX = const(15)
IMU_N = const(6)
MAX_CELLS = const(16)  # the mux's most; keeps a block under records.MAX_PAYLOAD
HEAD_BYTES = const(9)
DT_MAX_US = const(65535)  # a larger gap starts a new block (dt is a 16-bit value)
