# Thin drivers: register constants, injected bus/ADC/pin objects, raw ints read
# into caller-owned preallocated buffers (*_into). Scaling to the kernel's units
# is one integer multiply per channel; step logic lives in stridefw.kernel.
