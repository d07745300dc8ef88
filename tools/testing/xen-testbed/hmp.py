#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send commands to QEMU's monitor of a running testbed boot.

    hmp.py SOCKET COMMAND...

SOCKET is the TB_QEMU_MONITOR path the boot was started with
(Documentation/testbed.rst, "Reading a failure"); each COMMAND is one
HMP command line, for example "cpu 1" "info registers".  Prints what
each command answers, without the monitor's echo of it.
"""

import socket
import sys

PROMPT = b"(qemu) "


def until_prompt(s):
    buf = b""
    while not buf.endswith(PROMPT):
        chunk = s.recv(65536)
        if not chunk:
            sys.exit("hmp.py: the monitor closed the connection (QEMU exited?)")
        buf += chunk
    return buf[:-len(PROMPT)].decode(errors="replace").replace("\r", "")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.strip())
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(sys.argv[1])
    except OSError as e:
        sys.exit(f"hmp.py: cannot reach the monitor at {sys.argv[1]}: {e.strerror}")
    s.settimeout(30)
    until_prompt(s)
    for cmd in sys.argv[2:]:
        s.sendall(cmd.encode() + b"\n")
        # The first line is the monitor's echo of the command.
        print(until_prompt(s).split("\n", 1)[-1], end="")


if __name__ == "__main__":
    main()
