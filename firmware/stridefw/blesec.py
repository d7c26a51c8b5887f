# Bond store of the pod's BLE server: the keys NimBLE hands over at bonding
# (_IRQ_SET_SECRET) and asks for at reconnection (_IRQ_GET_SECRET), kept in RAM
# and saved to flash by the main loop.
# The IRQ side only changes the dict and marks it dirty; save() runs from
# BleServer.poll, never inside a BLE event: a flash write can stall for tens of
# ms (aioble's security.py schedules its _save_secrets the same way).
# Whether a new bond is allowed at all (the pairing window) is the server's rule.
# File: [sec_type u8][klen u8][vlen u16 LE][key][value] ...; written to a .tmp
# file and renamed, so a power cut leaves the old store or the new one, and a
# torn tail keeps the complete entries before it.
_PATH = "/ble.sec"


class BondStore:
    """Secrets by (sec_type, key); `fs` None keeps them in RAM only."""

    def __init__(self, fs):
        self.fs = fs
        self.secrets = {}  # (sec_type, key bytes) -> value bytes
        self.dirty = False
        self.save_errors = 0  # saves flash refused: the bonds hold until power off
        self._load()

    def _load(self):
        if self.fs is None:
            return
        try:
            f = self.fs.open(_PATH, "rb")
            try:
                data = f.read()
            finally:
                f.close()
        except OSError:
            return
        o = 0
        n = len(data)
        while o + 4 <= n:
            t = data[o]
            kl = data[o + 1]
            vl = data[o + 2] | (data[o + 3] << 8)
            o += 4
            if o + kl + vl > n:
                break
            self.secrets[(t, bytes(data[o : o + kl]))] = bytes(data[o + kl : o + kl + vl])
            o += kl + vl

    def get(self, sec_type, index, key):
        """The value NimBLE asks for: by key, or the index-th of a type when key is None."""
        if key is not None:
            return self.secrets.get((sec_type, bytes(key)))
        i = 0
        for t, _k in self.secrets:
            if t == sec_type:
                if i == index:
                    return self.secrets[(t, _k)]
                i += 1
        return None

    def put(self, sec_type, key, value):
        """Store (value) or forget (None) a secret; saved by the next save()."""
        k = (sec_type, bytes(key))
        if value is None:
            if k in self.secrets:
                del self.secrets[k]
                self.dirty = True
            return
        self.secrets[k] = bytes(value)
        self.dirty = True

    def save(self):
        """Write the store if it changed (main loop only). True if it tried."""
        if not self.dirty:
            return False
        self.dirty = False  # a failed save is retried at the next change, not every turn
        if self.fs is None:
            return True
        out = bytearray()
        for (t, k), v in self.secrets.items():
            out += bytes((t, len(k), len(v) & 0xFF, len(v) >> 8)) + k + v
        try:
            f = self.fs.open(_PATH + ".tmp", "wb")
            try:
                f.write(out)
            finally:
                f.close()
            self.fs.rename(_PATH + ".tmp", _PATH)
        except OSError:
            self.save_errors += 1
        return True
