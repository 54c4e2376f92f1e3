#!/usr/bin/env python3
"""test_cli_tty.py BUILD YAML RUNDIR - `ipcprobe run` on a 60-column pseudo-terminal with
NO_COLOR set: the progress line is there (NO_COLOR removes colour only) and every write of it
fits in one row (a wrapped line leaves debris at each \\r), and no colour escape is printed."""
import fcntl, os, pty, struct, sys, termios

build, yaml, rundir = sys.argv[1:4]
COLS = 60
pid, fd = pty.fork()
if pid == 0:
    env = dict(os.environ, TERM="xterm", NO_COLOR="1", COLUMNS="200")  # the tty's own width wins
    os.execve(build + "/ipcprobe", [build + "/ipcprobe", "run", yaml, "-o", rundir], env)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, COLS, 0, 0))
out = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
text = out.decode("utf-8", "replace")
assert os.WEXITSTATUS(status) == 0, (status, text)
# What each "\r\033[K" wrote in place: a progress write unless a newline ends it.
writes = [w for w in text.split("\r\033[K")[1:] if "\n" not in w.replace("\r\n", "\n")]
progress = [w for w in writes if w.startswith("[")]
assert progress, "no progress line with NO_COLOR set: " + repr(text[:400])
for w in progress:
    assert len(w) < COLS, "a progress write of %d columns on a %d-column terminal: %r" % (
        len(w), COLS, w)
assert "\033[3" not in text, "colour printed with NO_COLOR set"
print("test_cli_tty: %d progress writes, all under %d columns" % (len(progress), COLS))
