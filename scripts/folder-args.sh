# shellcheck shell=bash
# Sourced by compress-folder, decompress-folder and compare-folder: the sdc command and their two folder
# arguments, checked the same way. Sets the array `sdc`, then (folder_args) dir1, dir2 and the array rest (the
# options after them); exits 0 for -h/--help (usage on stdout), 2 for a missing argument, 3 for an input folder
# that is not there (sdc's codes, README "Exit codes"); --version is sdc's.
#   folder_args "IN_DIR OUT_DIR [sdc ... options]" "$@"
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
# shellcheck disable=SC2034 # sdc, dir1, dir2 and rest are used by the scripts that source this file
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
  rest=("$@")
}
