# The serial console's wire format, shared by the pod (stridefw.console) and the
# host (stridekit.transport.serial): one definition of the reply lines.
#
#   OK <text>                      a request's answer (text starts with the command)
#   ERR <code> <message>           a refused request, code one of E_*
#   EV <text>                      an asynchronous event (live steps and flags)
#   OK ls <n> <sid>:<size>:<synced>[:r] ...   r: the session being recorded
#   OK get <session> <offset> <n>  followed by exactly n bytes of the session file
#   OK status k=v k=v ...          the pod's state (App.status)
#   OK health k=v k=v ...          every fault, overflow and refusal counter
#                                  (App.health); also logged at `rec stop` as a
#                                  Note `health k=v ...` (HEALTH_NOTE)
from stridefw.compat import const

BAUDRATE = const(115200)

E_UNKNOWN = const(1)
E_TOO_LONG = const(2)
E_BINARY = const(3)
E_ARG = const(4)
E_STATE = const(5)
E_SESSION = const(6)
E_STORAGE = const(7)
E_UNAVAILABLE = const(8)
E_INTERNAL = const(9)

COMMANDS = (
    "ack", "cal", "get", "health", "help", "live", "ls", "pair", "rec", "repl", "status", "time"
)  # fmt: skip
EVENT_PREFIX = "EV "
HEALTH_NOTE = "health "


def format_kv(pairs):
    """`k=v k=v ...` of (name, value) pairs: the status and health texts."""
    return " ".join(["%s=%s" % kv for kv in pairs])


def ls_entry(sid, size, synced, recording):
    return "%d:%d:%d%s" % (sid, size, synced, ":r" if recording else "")


def parse_reply(line):
    """(True, text after `OK `) or (False, (code, message)); ValueError if neither."""
    if line == "OK":
        return True, ""
    if line.startswith("OK "):
        return True, line[3:]
    if line.startswith("ERR "):
        f = line.split(" ", 2)
        try:
            code = int(f[1])
        except (IndexError, ValueError):
            code = 0
        return False, (code, f[2] if len(f) > 2 else "")
    raise ValueError("not a console reply: %r" % line)


def parse_ls(text):
    """[(sid, size, synced, recording)] from the text of an `OK ls` reply."""
    parts = text.split()
    if len(parts) < 2 or parts[0] != "ls":
        raise ValueError("not an ls reply: %r" % text)
    out = []
    for p in parts[2:]:
        f = p.split(":")
        if len(f) not in (3, 4) or (len(f) == 4 and f[3] != "r"):
            raise ValueError("bad ls entry %r" % p)
        out.append((int(f[0]), int(f[1]), int(f[2]), len(f) == 4))
    if len(out) != int(parts[1]):
        raise ValueError("ls announced %s sessions, listed %d" % (parts[1], len(out)))
    return out


def parse_get(text):
    """(session, offset, n) from the text of an `OK get` reply."""
    f = text.split()
    if len(f) != 4 or f[0] != "get":
        raise ValueError("unexpected reply to get: %r" % text)
    return int(f[1]), int(f[2]), int(f[3])


def parse_status(text):
    """{name: value} from the text of an `OK status` or `OK health` reply or a health
    Note (values as text; the first word names the text)."""
    out = {}
    for kv in text.split()[1:]:
        if "=" in kv:
            k, v = kv.split("=", 1)
            out[k] = v
    return out
