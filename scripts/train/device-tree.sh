#!/usr/bin/env bash
# Keeps what a device call sends under its 64 MiB: tracked files + untracked files git does not ignore +
# carried paths (/work/.library/device/README.md, Limits). The tree alone is ~48 MiB (models/tiny,
# models/tiny-scalar, docs/results), so tree + packs/ (~21 MiB) is over the limit, and a training call
# needs neither the other bundles nor the reports.
#
#   scripts/train/device-tree.sh size [CARRY...]   what would travel, in MiB; exit 1 if over 64 MiB
#   scripts/train/device-tree.sh slim [PATH...]    untrack PATHs for the call (default: docs/results and
#                                                  every models/* bundle but models/tiny, which the
#                                                  trainers read); the files stay on disk
#   scripts/train/device-tree.sh restore           track them again (index as before, exclude cleaned)
#
# slim = `git rm -r --cached` + the paths in .git/info/exclude, so by the tool's own rule they neither
# are tracked nor untracked-not-ignored: nothing is moved or deleted. Restore right after the call; never
# commit while slim (a commit would record the paths as deleted). State: .git/sdc-device-slim.
set -euo pipefail
cd "$(dirname "$0")/../.."
limit=$((64 * 1024 * 1024))
state=.git/sdc-device-slim
exclude=.git/info/exclude
begin="# >>> sdc device-tree slim"
end="# <<< sdc device-tree slim"

travelling_bytes() {
  {
    git ls-files -z --cached
    git ls-files -z --others --exclude-standard
  } | sort -zu | while IFS= read -r -d '' f; do [[ -f $f && ! -L $f ]] && printf '%s\0' "$f"; done |
    du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1
}

case ${1:-} in
  size)
    shift
    tree=$(travelling_bytes)
    carry=0
    for p in "$@"; do
      [[ -e $p ]] || { echo "device-tree: carry path $p does not exist" >&2; exit 2; }
      carry=$((carry + $(du -sb "$p" | cut -f1)))
    done
    total=$((tree + carry))
    awk -v t="$tree" -v c="$carry" -v s="$total" -v l="$limit" 'BEGIN {
      printf "device-tree: tree %.1f MiB + carry %.1f MiB = %.1f MiB of 64 MiB%s\n", t / 1048576, c / 1048576,
             s / 1048576, (s > l ? "  OVER: slim the tree (device-tree.sh slim) or carry less" : "") }'
    [[ $total -le $limit ]]
    ;;
  slim)
    shift
    [[ ! -f $state ]] || { echo "device-tree: already slim ($(tr '\n' ' ' < "$state")); restore first" >&2; exit 2; }
    git diff --cached --quiet || { echo "device-tree: the index has staged changes; commit or unstage them first" >&2; exit 2; }
    paths=("$@")
    if [[ ${#paths[@]} -eq 0 ]]; then
      paths=(docs/results)
      for d in models/*/; do [[ ${d%/} == models/tiny ]] || paths+=("${d%/}"); done
    fi
    for p in "${paths[@]}"; do
      [[ -n $(git ls-files -- "$p") ]] || { echo "device-tree: $p holds no tracked file" >&2; exit 2; }
    done
    printf '%s\n' "${paths[@]}" > "$state"
    mkdir -p "$(dirname "$exclude")"
    { echo "$begin"; for p in "${paths[@]}"; do echo "/$p/"; done; echo "$end"; } >> "$exclude"
    git rm -r -q --cached -- "${paths[@]}"
    echo "device-tree: slim for the call (restore after it): ${paths[*]}"
    "$0" size
    ;;
  restore)
    [[ -f $state ]] || { echo "device-tree: not slim, nothing to restore"; exit 0; }
    mapfile -t paths < "$state"
    git reset -q -- "${paths[@]}"
    if [[ -f $exclude ]]; then
      awk -v b="$begin" -v e="$end" '$0 == b {skip = 1; next} $0 == e {skip = 0; next} !skip' "$exclude" > "$exclude.tmp"
      mv "$exclude.tmp" "$exclude"
    fi
    rm -f "$state"
    left=$(git status --porcelain -- "${paths[@]}")
    [[ -z $left ]] || { echo "device-tree: restored, but git status shows changes under ${paths[*]}:" >&2; echo "$left" >&2; exit 1; }
    echo "device-tree: restored ${paths[*]}"
    ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
