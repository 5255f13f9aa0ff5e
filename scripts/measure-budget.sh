#!/usr/bin/env bash
# Usage: scripts/measure-budget.sh [IMAGE] [SIZES] [BUDGETS]
# Decode wall time, CPU time, peak RSS and PSNR against the source for several --max-memory budgets, on IMAGE
# upscaled (Lanczos, PIL) to each size. The figures of README "Benchmarks" (--max-memory) come from
#   scripts/measure-budget.sh ../shared/data/kodak/kodim23.png "1920x1280 3264x2448 4000x3000" "2048 1024 512 256 128"
# Defaults: that image, those sizes and budgets. Each size is encoded once at the default budget; its
# encode is timed at the first and the last budget. Needs target/sdc.jar, /usr/bin/time and /usr/bin/python3
# with PIL and numpy. Works in a temporary folder that it removes.
set -euo pipefail
# shellcheck source=scripts/script-args.sh
source "$(dirname "$(readlink -f "$0")")/script-args.sh"
usage="usage: scripts/measure-budget.sh [IMAGE] [SIZES] [BUDGETS]"
first_args measure-budget "$usage" 0 "$@"
shift "$skip"
[ $# -le 3 ] || { echo "measure-budget: error: too many arguments ($usage)" >&2; exit 2; }
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
image="${1:-$root/../shared/data/kodak/kodim23.png}"
read -r -a sizes <<< "${2:-1920x1280 3264x2448 4000x3000}"
read -r -a budgets <<< "${3:-2048 1024 512 256 128}"
for s in "${sizes[@]}"; do
  [[ $s =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || { echo "measure-budget: error: size '$s' is not WxH ($usage)" >&2; exit 2; }
done
for b in "${budgets[@]}"; do
  [[ $b =~ ^[1-9][0-9]*$ ]] || { echo "measure-budget: error: budget '$b' is not a whole number of MB ($usage)" >&2; exit 2; }
done
[ -f "$image" ] || { echo "measure-budget: error: cannot read $image: no such file" >&2; exit 3; }
[ -f "$root/target/sdc.jar" ] || { echo "measure-budget: build first: mvn -B -q -DskipTests package" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "measure-budget: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
sdc="$root/scripts/sdc"
timed() { # LABEL COMMAND...: one line of wall, CPU and peak RSS
  /usr/bin/time -f "$1 wall %e s, cpu %U + %S s, peak RSS %M KB" -o "$work/time" "${@:2}"
  cat "$work/time"
}
echo "uptime: $(uptime)"
for s in "${sizes[@]}"; do
  w=${s%x*} h=${s#*x}
  /usr/bin/python3 -c "from PIL import Image; import sys; Image.open(sys.argv[1]).convert('RGB').resize((int(sys.argv[2]), int(sys.argv[3])), Image.LANCZOS).save(sys.argv[4])" \
    "$image" "$w" "$h" "$work/src.png"
  "$sdc" encode -q -f "$work/src.png" "$work/src.sdc"
  for b in "${budgets[0]}" "${budgets[-1]}"; do
    timed "$s encode --max-memory $b:" "$sdc" encode -q -f --max-memory "$b" "$work/src.png" "$work/e.sdc"
  done
  for b in "${budgets[@]}"; do
    timed "$s decode --max-memory $b:" "$sdc" decode -q -f --max-memory "$b" "$work/src.sdc" "$work/out-$b.png"
    /usr/bin/python3 -c "
from PIL import Image; import numpy as np, sys
a = np.asarray(Image.open(sys.argv[1]).convert('RGB')).astype(float)
b = np.asarray(Image.open(sys.argv[2]).convert('RGB')).astype(float)
print('  PSNR against the source: %.2f dB' % (10 * np.log10(255 ** 2 / np.mean((a - b) ** 2))))" "$work/src.png" "$work/out-$b.png"
  done
done
