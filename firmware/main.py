# Device entry point. The application (stridefw.app) arrives with the device
# issue; until then the pod only proves the kernel is importable.
import stridefw.kernel  # noqa: F401
