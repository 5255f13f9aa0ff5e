#!/usr/bin/env bash
# The local half of one GPU session of the `base` bundle (scripts/train/BASE.md "Plan per session"), in two
# commands, so that a session lent a device spends no minute of it on preparation or on a refused call:
#
#   scripts/train/session.sh prep N          packs (made from ../shared if missing), the weights session N
#                                            starts from (weights.sh get), the tree slimmed (device-tree.sh) and
#                                            the size checked; prints the run() call to make
#   scripts/train/session.sh finish FILES_AT "MSG"
#                                            the tree restored, then FILES_AT/weights committed to the weights
#                                            branch (weights.sh put); prints the holdout table
#   scripts/train/session.sh bundle          models/base exported from the weights branch (torch 1.13
#                                            TorchScript, which DJL loads), replacing the folder only when
#                                            the export and its trace checks succeed; then commit it
#                                            (SHARP_ALPHA=x: the sharp look at interpolation strength x)
#
# N: 1 = ae (the autoencoder; later sessions with N=1 continue it), 2 = decft + unet, 3 = sharp.
# Run finish even when the call failed (with no FILES_AT: restore only): never commit while slim.
set -euo pipefail
cd "$(dirname "$0")/../.."
T=scripts/train
SHARED=${SDC_SHARED:-../shared}

case ${1:-} in
  prep)
    n=${2:?usage: session.sh prep N}
    case $n in
      1) nets=(enc dec); cmd='bash scripts/train/gpu-step.sh ae,eval 8.5 --ae-minutes 7' ;;
      2) nets=(enc dec unet); cmd='bash scripts/train/gpu-step.sh decft,unet,eval 8.5 --decft-minutes 4 --unet-minutes 3.5' ;;
      3) nets=(enc decft unet); cmd='bash scripts/train/gpu-step.sh sharp,eval 8.5 --sharp-minutes 7' ;;
      *) echo "session: N is 1, 2 or 3 (BASE.md 'Plan per session')" >&2; exit 2 ;;
    esac
    if [[ ! -f packs/train.pack ]]; then
      /usr/bin/python3 $T/pack_images.py --src "$SHARED/data/train" --out packs/train.pack --max-mib 18 \
        --max-side 512 --qualities 88 84 80
    fi
    if [[ ! -f packs/holdout.pack ]]; then
      /usr/bin/python3 $T/pack_images.py --src "$SHARED/data/holdout" --out packs/holdout.pack --max-mib 3.5 \
        --lossless --crop 256
    fi
    rm -rf packs/init packs/base-bundle  # only what this session needs travels
    $T/weights.sh get "${nets[@]}"
    if [[ $n != 1 && ! -f packs/init/enc.ckpt ]]; then
      echo "session: session $n needs trained weights (enc.ckpt) on the weights branch: run session 1 first" >&2
      exit 3
    fi
    $T/device-tree.sh slim >/dev/null
    if ! $T/device-tree.sh size packs; then
      $T/device-tree.sh restore
      exit 1
    fi
    echo "session: ready. Make this call, then: scripts/train/session.sh finish <files_at> \"base session $n: ...\""
    echo "  run(command=\"$cmd\", carry=[\"packs\"], timeout_s=600)"
    ;;
  finish)
    $T/device-tree.sh restore
    files_at=${2:-}
    if [[ -z $files_at ]]; then
      echo "session: restored; nothing committed (no FILES_AT)"
      exit 0
    fi
    msg=${3:?usage: session.sh finish FILES_AT MSG}
    w=$files_at/weights
    [[ -f $w/state.json ]] || { echo "session: $w/state.json missing: the call returned no weights" >&2; exit 3; }
    $T/weights.sh put "$w" "$msg"
    /usr/bin/python3 - "$w/state.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(s.get("eval", {}).get("markdown", "(no holdout table in state.json: eval did not run)"))
PY
    ;;
  bundle)
    $T/weights.sh get
    [[ -f packs/init/enc.ckpt ]] || { echo "session: no trained weights on the weights branch" >&2; exit 3; }
    rm -rf models/base.new
    # SHARP_ALPHA=x re-chooses the sharp look's strength on the CPU (default: the holdout eval's choice)
    /usr/bin/python3 $T/train_base.py --init packs/init --save packs/export-log --stages export \
      --export models/base.new --device cpu ${SHARP_ALPHA:+--sharp-alpha "$SHARP_ALPHA"}
    # the model card is written by hand, not by the export: keep it
    [[ -f models/base/MODEL_CARD.md ]] && cp models/base/MODEL_CARD.md models/base.new/
    rm -rf models/base && mv models/base.new models/base
    echo "session: models/base exported; check it (scripts/bench, sdc eval), then commit models/base"
    ;;
  *)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
