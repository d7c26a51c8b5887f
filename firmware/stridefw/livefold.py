# The live stream of one or two pods folded into what a live view shows: the pods'
# Step and Flag frames (the BLE data channel's live session), decoded and fed to the
# left/right balance rule. One fold for `stride record` (stridekit.cli_ble) and the
# browser (web/py/stride_web.py, in the MicroPython WebAssembly interpreter); the pod
# itself never imports it.
from stridefw import balance, records


class LiveFold:
    """Per foot: a frame decoder, step count, last step and session flags; one balance."""

    def __init__(self):
        self.dec = (records.FrameDecoder(), records.FrameDecoder())
        self.balance = balance.Balance()
        self.steps = [0, 0]
        self.step_flags = [0, 0]
        self.session_flags = [0, 0]

    def feed(self, foot, data):
        """Bytes of one foot's live stream -> [("step", Step) or ("flag", Flag)]."""
        out = []
        for r in self.dec[foot].feed(data):
            if r.rtype == records.REC_STEP:
                s = records.Step.from_bytes(r.payload)
                self.balance.add_step(foot, bytes(r.payload))
                self.steps[foot] += 1
                self.step_flags[foot] = s.flags
                out.append(("step", s))
            elif r.rtype == records.REC_FLAG:
                f = records.Flag.from_bytes(r.payload)
                self.session_flags[foot] = f.flags
                out.append(("flag", f))
        return out

    def errors(self, foot):
        """Damaged or unknown frames skipped so far on this foot's stream."""
        return self.dec[foot].n_errors
