#!/usr/bin/env bash
# Sends SIGTERM to `sdc encode` / `sdc decode` of a large image at several moments (during model loading,
# the encoder's and decoder's forwards, the write) and counts what a user would see go wrong: a JVM crash
# (exit 134, "fatal error" text on stdout, hs_err_pid*.log left), another exit code than 143, or a file
# left behind. Reproduces the SIGTERM crash of the 2026-12-03 review and checks its fix (cli.SignalExit).
#   mvn -B -q -DskipTests package && scripts/check-signals.sh [WORK_DIR]
# Timing-dependent by nature, so a script and not a unit test (ProcessCliTest checks the contract).
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
work="${1:-/tmp/sdc-check-signals}"
sdc="$root/scripts/sdc"
mkdir -p "$work" && cd "$work" && rm -f hs_err_pid*.log
if [ ! -f big.png ]; then
  /usr/bin/python3 -c "from PIL import Image; Image.open('$root/testdata/images/landscape-768x512.png').resize((3072, 2048)).save('big.png')"
fi
[ -f big.sdc ] || "$sdc" encode -q big.png big.sdc
runs=0 bad=0
for what in encode decode; do
  for t in 1.5 2 2.5 3 3.5 4 4.5 5 6 7; do
    rm -rf out && mkdir out
    if [ $what = encode ]; then in=big.png; o=out/x.sdc; else in=big.sdc; o=out/x.png; fi
    timeout --preserve-status -s TERM "$t" "$sdc" $what "$in" "$o" > stdout.txt 2> stderr.txt
    rc=$?
    runs=$((runs + 1))
    left=$(ls -A out | tr '\n' ' ')
    crash=$(ls hs_err_pid*.log 2>/dev/null | wc -l)
    verdict=ok
    if [ $rc -eq 0 ]; then verdict="ok (finished before the signal)"; left=
    elif [ $rc -ne 143 ] || [ -s stdout.txt ] || [ "$crash" -gt 0 ] || [ -n "$left" ]; then verdict=BAD; bad=$((bad + 1)); fi
    printf '%-6s t=%-4s exit %-3s stdout %5s B  crash logs %s  left: %-12s %s\n' $what "$t" $rc \
      "$(stat -c %s stdout.txt)" "$crash" "${left:-none}" "$verdict"
    rm -f hs_err_pid*.log
  done
done
echo "$bad of $runs runs went wrong"
[ $bad -eq 0 ]
