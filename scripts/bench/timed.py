#!/usr/bin/env python3
"""Stand-in for `/usr/bin/time -v -o FILE COMMAND...` where GNU time is missing.

    timed.py -o FILE COMMAND [ARGS...]

Runs COMMAND, waits for it with os.wait4 (which gives the child's own resource use,
including any children it waited for) and writes to FILE the two lines of GNU time's
`-v` report that scripts/bench/report.py reads: elapsed wall time and peak resident
set size. Exits with COMMAND's exit code. Standard library only.
"""

import os
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 4 or sys.argv[1] != "-o":
        sys.exit("usage: timed.py -o FILE COMMAND [ARGS...]")
    out, cmd = sys.argv[2], sys.argv[3:]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, rusage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    minutes, seconds = divmod(wall, 60)
    with open(out, "w") as f:
        f.write(f'\tCommand being timed: "{" ".join(cmd)}"\n')
        # The same wording as GNU time, so one parser reads both.
        f.write(f"\tElapsed (wall clock) time (h:mm:ss or m:ss): {int(minutes)}:{seconds:05.2f}\n")
        # ru_maxrss is in KiB on Linux, as GNU time reports it.
        f.write(f"\tMaximum resident set size (kbytes): {rusage.ru_maxrss}\n")
        f.write(f"\tExit status: {code}\n")
        f.write("\t(measured by scripts/bench/timed.py: /usr/bin/time was not available)\n")
    # A signal's negative code becomes 128 + signal, as a shell reports it.
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
