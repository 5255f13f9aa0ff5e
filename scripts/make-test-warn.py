#!/usr/bin/python3
"""Write `testdata/torch/warn.pt`: a TorchScript module whose forward makes libtorch print a C++ warning.

Usage (from the repository root; needs Debian's python3-torch, hence /usr/bin/python3):

    /usr/bin/python3 scripts/make-test-warn.py [OUT_FILE]      # default testdata/torch/warn.pt

Why: libtorch writes some warnings straight to the process's stderr from C++ (c10's LOG(WARNING), e.g. NNPACK's
"Could not initialize NNPACK! Reason: Unsupported hardware." on some CPUs), which sdc's own one-line messages
must not be buried under. `DjlRuntime` raises libtorch's log threshold to ERROR; the Java test
`NativeLogLevelTest` runs this module in a child JVM and checks that the warning is gone by default and back with
TORCH_CPP_LOG_LEVEL=WARNING. It needs a warning that fires on every machine, so it cannot rely on NNPACK:
`warnings.warn` in TorchScript compiles to `aten::warn`, which reaches the same c10 logger through TORCH_WARN.

forward(x) returns x + 1 (so the test can also check the call ran). Tiny (~1.6 kB); the same bytes on every run for the same output path.
"""
import os
import sys
import warnings

import torch

class Warns(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        warnings.warn("sdc-test: libtorch warning")  # a literal: TorchScript cannot close over globals
        return x + 1.0


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join("testdata", "torch", "warn.pt")
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    torch.jit.script(Warns()).save(out)
    print(out)


if __name__ == "__main__":
    main()
