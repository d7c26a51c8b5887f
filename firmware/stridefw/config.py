# StrideKit firmware settings.
# Units follow DESIGN.md: force in deci-newtons (dn, 0.1 N), CoP in 0.1 mm (dmm),
# shares in per mille, acceleration in mg, angular rate in 0.1 deg/s, time in us.
# Every threshold says where its number comes from. Intermediates stay within
# +-2**30 so that MicroPython's 31-bit small ints never spill into big ints.
from stridefw.compat import const

FIRMWARE_VERSION = const(0x000100)  # 0.1.0 as 0xMMmmpp

RATE_HZ_DEFAULT = const(100)
RATE_HZ_MAX = const(200)

ADC_BITS = const(12)
ADC_MAX = const(4095)
# A reading at or above this is treated as saturated (top of the 12-bit range
# minus noise); ESP32 ADC1 at 11 dB attenuation clips near 3.1 V.
ADC_SATURATED = const(4080)

# Ticks: MicroPython's ticks_us() wraps at 2**30 on every port (TICKS_PERIOD).
TICKS_PERIOD = const(1 << 30)
TICKS_HALF = const(1 << 29)
TICKS_MASK = const((1 << 30) - 1)

# --- contact detection (total force per foot) ---------------------------------
# Event level: force-plate practice marks initial contact and toe-off where the
# vertical force crosses 20 N (e.g. Zeni et al. 2008 used 20 N; 10-50 N is common).
EVENT_LEVEL_DN = const(200)
# A contact is confirmed ("armed") only once force clears this level too, so
# noise around 20 N cannot start a step. 40 N floor; relative part below.
ARM_MIN_DN = const(400)
# Relative arm level: body-weight estimate / ARM_BW_DIV (~8 % BW).
ARM_BW_DIV = const(12)
# Body weight estimate before the first strides (700 N adult).
BW_DEFAULT_DN = const(7000)
BW_MIN_DN = const(2000)
BW_MAX_DN = const(20000)

# Plausible stance durations: sprinting ~80 ms (Weyand 2000), slow walking up to
# ~1.5 s; longer than STANCE_MAX_US is standing, not a step.
STANCE_MIN_US = const(60000)
STANCE_MAX_US = const(2500000)
# Max time a foot can be in swing before the stride is considered interrupted
# (swing_us then reported as 0 = unknown).
SWING_MAX_US = const(3000000)
# Longest sample interval used for interpolation / integration (a gap longer
# than this is counted as missed samples, not stretched).
DT_MAX_US = const(50000)

# Stance force trace kept for loading-rate analysis at toe-off (samples).
TRACE_LEN = const(400)

# --- swing floor (total force with the foot in the air) ------------------------
# An insole pressed by the shoe and its lacing reads a preload with the foot in the
# air: PhysioNet gaitndd's footswitches read 70-130 N (nominal curve) through every
# swing in park11, park5 and park3, more than the per-cell auto-zero may absorb
# (ZERO_MAX_DN) and above the arm level that gates it. Events are therefore timed
# against the swing floor: the lowest total force over the last FLOOR_BLOCKS blocks of
# FLOOR_BLOCK_US (3-4 s: at least two strides of slow walking, ~1.1-2 s per stride,
# Hausdorff 1997/2000), and the levels below sit that far above it. Standing is not
# swing: a window whose lowest force exceeds 1/FLOOR_SWING_DIV of its highest holds
# no unloaded foot (in gait, swing reads ~0 while stance reaches ~BW/2 or more), so
# it never raises the floor. A lower reading lowers the floor at once.
FLOOR_BLOCK_US = const(1000000)
FLOOR_BLOCKS = const(4)
FLOOR_SWING_DIV = const(4)

# --- swing-phase auto-zero ----------------------------------------------------
# Baselines are re-learnt only after the foot has been unloaded this long.
ZERO_AFTER_SWING_US = const(60000)
# EW update shift: baseline += (x - baseline) >> ZERO_SHIFT per update.
ZERO_SHIFT = const(3)
# One cell's baseline is updated per ZERO_PERIOD_US of swing (every sample at 100 Hz),
# so a baseline's time constant, n_cells * 2**ZERO_SHIFT * ZERO_PERIOD_US (80 ms for a
# footswitch, 640 ms for 8 cells), is the same at every sample rate. Per sample, a
# 300 Hz footswitch would re-zero 3x faster and absorb slow first loading into the
# baseline (PhysioNet gaitndd moved contacts by up to ~100 ms between 100 and 300 Hz).
ZERO_PERIOD_US = const(10000)
# Larger per-cell baseline than this is not drift but a stuck/loaded cell.
ZERO_MAX_DN = const(1500)
# If an IMU is present, swing must also show foot rotation (deg/s * 10).
SWING_GYRO_MIN = const(500)

# --- IMU impact confirmation ----------------------------------------------------
# Impact peak searched within this window after the 20 N crossing.
IMPACT_WINDOW_US = const(80000)
# An impact shows as acceleration magnitude above 1.5 g on the shoe (walking heel
# strikes give ~2-4 g, running 5-12 g at the shoe: Lafortune 1991, Mercer 2003).
IMPACT_MIN_MG = const(1500)

# --- per-cell sensor faults -----------------------------------------------------
# Stuck: raw value within +-STUCK_BAND counts for STUCK_US while the foot steps.
STUCK_BAND = const(2)
STUCK_US = const(1500000)
# Saturated continuously for longer than any heel impact plateau.
SATURATED_US = const(500000)
# A stuck cell must read above DEAD_RAW counts and carry more than DEAD_DN above its
# swing baseline (a cell stuck at ~0 or at its unloaded reading is "dead").
DEAD_RAW = const(20)
# Open/dead: the cell's mean force over a stance stays below DEAD_DN (2 N) for
# DEAD_STEPS consecutive steps of that foot whose CoP path passed over it
# (~1.5 s when running, ~2.2 s walking: within the 2 s fault-latency goal).
DEAD_DN = const(20)
DEAD_STEPS = const(2)
# "CoP passes over the cell": L1 distance below 60 mm at a visit in stance. A
# dead cell pushes the CoP away from itself, so this must reach past the
# neighbouring cells (50 mm apart in the 8-cell layout); a cell the CoP never
# nears (e.g. the heel of a forefoot striker) is never suspected.
COVER_DMM = const(600)

# --- session flags (running statistics) -----------------------------------------
# Statistics window (exponentially weighted Welford, n capped here).
STAT_N_MAX = const(64)
# Steps needed before a statistical flag may be raised.
STAT_MIN_STEPS = const(20)
# UNSTABLE, absolute backstop: step-to-step SD of the stance-mean CoP medial-lateral
# position above this (dmm), whatever the runner's own level. Stable shod running
# shows ~2-3 mm (Nigg et al. 2006 report 2-3x more ML CoP movement on unstable MBT
# soles than on control shoes); healthy people differ too much for a level between
# to separate shoes, so this catches only gross instability.
UNSTABLE_SD_DMM = const(60)
# UNSTABLE against the runner's own reference (kernel.set_reference, learnt by the pod
# from earlier sessions): unstable (MBT-like) soles raise the step-to-step variability
# of within-step variables by 35 % (SD 10 %) at first use while cycle-level variables
# (cycle rate, impulse) do not change (Stoggl et al. 2010, Clin Biomech 25:816). The
# within-step measures are the stance-mean CoP x (dmm) and the stance time, the
# cycle measure is the stride time (contact to contact of the same foot). Each is a
# robust scale: an exponentially weighted mean absolute deviation from an EW mean,
# over UNSTABLE_N_MAX steps, each deviation clamped at UNSTABLE_CLAMP of them (~3 SD:
# a turn, a stop or a missed step counts as a large deviation, not an unbounded one),
# times relative to their mean. The flag needs the mean rise of the two within-step
# scales over the reference AND that rise minus the stride scale's rise (Stoggl's
# pattern: within-step up, cycle not) to exceed +17 %, half of Stoggl's +35 %.
# Logs are log2 in Q8 (256 = a factor of 2): log2(1.17) * 256 = 58.
UNSTABLE_RISE_L2Q8 = const(58)
UNSTABLE_N_MAX = const(256)
UNSTABLE_MIN_STEPS = const(60)  # per foot before judging (~45 s running, ~1 min walking)
UNSTABLE_CLAMP = const(4)  # mean absolute deviations (1.25 of them ~ 1 SD)
UNSTABLE_WARM = const(8)  # steps before the clamp applies (deviations cut at 50 % till then)
# HARD_IMPACT: mean peak shoe shock above 10 g or mean loading rate above 100 BW/s
# (Milner 2006: injured runners ~ 80-100 BW/s vertical instantaneous loading rate).
HARD_SHOCK_MG = const(10000)
HARD_LR_BW_S = const(100)

# --- left/right balance (balance.py) -------------------------------------------
# Symmetry index (Robinson 1987) in per mille. Healthy people are not symmetric, so
# a flag must sit outside their range, not at its mean. Their range is measured:
# the between-person SD of each SI in real healthy walkers (PhysioNet gaitpdb
# controls through this kernel; host/stridekit/analysis/healthy_baseline.json, which
# the host's findings use too; tests/unit/test_balance.py keeps these in step).
HEALTHY_SD_STANCE_PM = const(16)
HEALTHY_SD_PEAK_PM = const(56)
HEALTHY_SD_LOADING_PM = const(170)
HEALTHY_SD_IMPULSE_PM = const(58)
# A flag needs 3 healthy SDs (as the host's findings do: FINDING_Z).
BAL_LIMIT_SD = const(3)
# Leg-length pattern: the long limb's stance is longer, the short limb's peak force
# and loading rate are higher (Pereiro-Buceta 2021; White 2004; Azizan 2018). The
# score is the signed sum of the three SIs, each in healthy SDs; this is the SD of
# that sum in healthy people (Q8: 1.93 SD).
LLD_SUM_SD_Q8 = const(493)
BAL_N_MAX = const(256)  # EW window per foot (steps): about 2.5 min of running
BAL_MIN_STEPS = const(30)  # per foot before judging
BAL_PERSIST_STEPS = const(20)  # consecutive steps beyond threshold to raise

# --- IMU-only gait events (imu_gait.py; the fallback without a working insole) ---
# Mid-swing: the foot's pitch-rate peak must clear 100 deg/s. Salarian et al. 2004
# accept mid-swing peaks above 50 deg/s (shank); at the foot, walking peaks are
# ~300-450 deg/s and running ones higher, so 100 deg/s leaves a wide margin for slow
# walkers while staying far above the noise of a foot at rest (a few deg/s).
IMU_SWING_DDPS = const(1000)
# A positive pitch-rate lobe is a swing only once it has lasted 100 ms: swing takes
# >= ~250 ms even sprinting (Weyand et al. 2000), while the ringing after a heel
# strike crosses zero for a few samples only.
IMU_SWING_CONFIRM_US = const(100000)
# Foot flat: pitch rate within +-30 deg/s (a flat foot turns by a few deg/s plus
# MEMS gyro bias; push-off and heel-rocker lobes reach -100 to -500 deg/s). It
# separates the heel-rocker lobe after contact from the push-off lobe.
IMU_FLAT_DDPS = const(300)
# Toe-off (the pitch-rate minimum) precedes the rise into swing by < ~150 ms; a
# lobe minimum older than this before the swing lobe is not its toe-off.
IMU_TO_MAX_US = const(400000)
# IMU packets missing for longer than this (a third of the shortest swing) may
# hide an event: the events around the gap are dropped, never guessed.
IMU_GAP_MAX_US = const(100000)
# The insole counts as silent (unplugged, or every cell open) when no cell reads
# above the swing level for this long; the session starts silent until a cell
# reads. While silent, steps come from the IMU (DEGRADED); any reading ends it.
INSOLE_SILENT_US = const(2000000)

# --- flag bits (session flags and per-step flags share this space) ---------------
FLAG_UNEVEN_LOAD = const(0x0001)
FLAG_UNSTABLE = const(0x0002)
FLAG_HARD_IMPACT = const(0x0004)
FLAG_SENSOR_FAULT = const(0x0008)
FLAG_DEGRADED = const(0x0010)
# per-step only
STEP_IMU_CONFIRMED = const(0x0100)
STEP_NO_IMPACT = const(0x0200)  # IMU present but no impact peak found
STEP_TRACE_FULL = const(0x0400)  # stance longer than the trace buffer
STEP_SATURATED = const(0x0800)  # a cell saturated during this stance
STEP_GAP = const(0x1000)  # a sample gap > DT_MAX_US inside this stance
# no loading rate could be measured (no 20-80 % rise in the stance, or a step from
# the IMU alone): loading_rate_n_s is 0 and is not a rate
STEP_NO_RATE = const(0x2000)

FOOT_LEFT = const(0)
FOOT_RIGHT = const(1)
