# shellcheck shell=bash disable=SC2034 # sdc, dir1, dir2, opts, extra: used by the scripts that source this
# Sourced by compress-folder, decompress-folder and compare-folder: the sdc command and their two folder
# arguments, checked the same way. Sets the array `sdc`, then (folder_args) dir1, dir2 and the arrays opts (the
# options after them) and extra (names after a "--"); exits 0 for -h/--help (usage on stdout), 2 for a missing argument, 3 for an input folder
# that is not there (sdc's codes, README "Exit codes"); --version is sdc's.
#   folder_args "IN_DIR OUT_DIR [sdc ... options]" "$@"
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
if [ -n "${SDC:-}" ]; then read -r -a sdc <<< "$SDC"; else sdc=("$here/sdc"); fi
if [ ${#sdc[@]} -eq 0 ]; then
  echo "$(basename "$0"): error: SDC is set but blank; unset it or name the sdc command" >&2
  exit 2
fi
folder_args() {
  local usage
  usage="usage: $(basename "$0") $1"
  shift
  case "${1:-}" in
    -h|--help) echo "$usage"; exit 0 ;;
    --version) exec "${sdc[@]}" --version ;;
    --) shift ;; # "script -- -dir out": the usual end of options, before a name that starts with '-'
  esac
  if [ $# -lt 2 ]; then
    echo "$usage" >&2
    exit 2
  fi
  if [ ! -e "$1" ]; then
    echo "$(basename "$0"): error: $1: no such folder" >&2
    exit 3
  elif [ ! -d "$1" ]; then
    echo "$(basename "$0"): error: $1: not a folder (for single files, run sdc itself)" >&2
    exit 3
  fi
  # a folder named "-x" becomes "./-x": picocli would read even --output-dir=-x as the option -x
  dir1=$1 dir2=$2
  [[ $dir1 == -* ]] && dir1="./$dir1"
  [[ $dir2 == -* ]] && dir2="./$dir2"
  shift 2
  # the options, and any names after the user's own "--" (inputs that start with '-'): the scripts put
  # their folder after a "--" of their own, so a second one must not reach sdc as a file name
  opts=() extra=()
  while [ $# -gt 0 ]; do
    if [ "$1" = -- ]; then
      shift
      extra=("$@")
      break
    fi
    opts+=("$1")
    shift
  done
}
