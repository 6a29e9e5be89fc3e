# Sourced by the benchmark scripts: how one timed run is recorded.
#
# Wall time and peak memory of each run: GNU time if installed, else a small Python
# stand-in (os.wait4) that writes the same two lines.
if [[ -x /usr/bin/time ]]; then
  TIME=(/usr/bin/time -v)
else
  TIME=(python3 "$(dirname "${BASH_SOURCE[0]}")/timed.py")
  echo "NOTE: /usr/bin/time is missing; wall time and peak memory come from scripts/bench/timed.py (os.wait4)"
fi

say() { printf '\n== %s\n' "$*"; }

# Runs a command under /usr/bin/time -v, stdout/stderr to DIR/log.txt, the time
# report to DIR/time.txt and the exit code to DIR/exit.
timed() {
  local dir=$1; shift
  "${TIME[@]}" -o "$dir/time.txt" "$@" > "$dir/log.txt" 2>&1
  echo $? > "$dir/exit"
}
