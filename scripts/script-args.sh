# Sourced by the measurement scripts: their --help and first-argument checks, in one place.
# shellcheck shell=bash

# The script's header comment (line 2 up to `set -euo pipefail`), without the leading "# ", on stdout.
print_help() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

# first_args NAME USAGE MIN "$@": -h/--help prints the help and exits 0; another leading -option is a usage
# error (exit 2); fewer than MIN arguments print USAGE and exit 2. Sets `skip` to 1 when the first
# argument is "--" (the caller then runs `shift "$skip"`), else 0.
first_args() {
  local name=$1 usage=$2 min=$3
  shift 3
  skip=0
  case "${1:-}" in
    -h|--help) print_help; exit 0 ;;
    --) skip=1; shift ;;
    -?*) echo "$name: error: unknown option '$1' ($usage)" >&2; exit 2 ;;
  esac
  [ $# -ge "$min" ] || { echo "$usage" >&2; exit 2; }
}
