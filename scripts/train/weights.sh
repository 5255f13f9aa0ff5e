#!/usr/bin/env bash
# The `base` training weights live on their own git branch (default weights/base), not in the tree: the
# device machine receives the tree + carried files, 64 MiB in all, and the tree is already ~30 MiB.
#
#   scripts/train/weights.sh get [NET...]   copy the branch's state.json and <NET>.ckpt (default: all)
#                                           into packs/init/ (git-ignored, carried with the packs)
#   scripts/train/weights.sh put DIR MSG    commit DIR's *.ckpt and state.json onto the branch, replacing
#                                           only those files (an overlay: nets not trained stay)
#   scripts/train/weights.sh ls             list the branch's files with sizes
# NET: enc dec decft unet sharp disc. The branch is written with git plumbing: no checkout, the work tree
# and the current branch are untouched. WEIGHTS_BRANCH overrides the branch name.
set -euo pipefail
cd "$(dirname "$0")/../.."
ref=refs/heads/${WEIGHTS_BRANCH:-weights/base}
cmd=${1:-}
shift || true
case $cmd in
  get)
    git rev-parse -q --verify "$ref" >/dev/null || { echo "weights: no branch ${ref#refs/heads/} yet (first session trains from scratch)"; exit 0; }
    rm -rf packs/init && mkdir -p packs/init
    nets=("$@")
    [[ ${#nets[@]} -gt 0 ]] || nets=(enc dec decft unet sharp disc)
    git show "$ref:state.json" > packs/init/state.json
    for n in "${nets[@]}"; do
      if git cat-file -e "$ref:$n.ckpt" 2>/dev/null; then git show "$ref:$n.ckpt" > "packs/init/$n.ckpt"; fi
    done
    du -ch packs/init/* | tail -1
    ;;
  put)
    dir=${1:?usage: weights.sh put DIR MSG}
    msg=${2:?usage: weights.sh put DIR MSG}
    [[ -f $dir/state.json ]] || { echo "weights: $dir/state.json missing" >&2; exit 3; }
    idx=$(mktemp)
    trap 'rm -f "$idx"' EXIT
    parent=()
    if git rev-parse -q --verify "$ref" >/dev/null; then
      GIT_INDEX_FILE=$idx git read-tree "$ref"
      parent=(-p "$(git rev-parse "$ref")")
    else
      GIT_INDEX_FILE=$idx git read-tree --empty
    fi
    for f in "$dir"/*.ckpt "$dir"/state.json "$dir"/train.log; do
      [[ -f $f ]] || continue
      GIT_INDEX_FILE=$idx git update-index --add --cacheinfo "100644,$(git hash-object -w "$f"),$(basename "$f")"
    done
    tree=$(GIT_INDEX_FILE=$idx git write-tree)
    commit=$(git commit-tree "$tree" "${parent[@]}" -m "$msg")
    git update-ref "$ref" "$commit"
    echo "weights: ${ref#refs/heads/} -> $commit"
    ;;
  ls)
    git ls-tree -l "$ref"
    ;;
  *)
    sed -n '2,14p' "$0"
    exit 2
    ;;
esac
