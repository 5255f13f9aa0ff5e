"""Start-up shared by the trainers (train_tiny.py, train_base.py)."""
import random

import numpy as np
import torch


def setup_torch(args):
    """Thread count (args.threads, 0 = torch's default), TF32 and cuDNN autotuning on CUDA devices
    (args.device), and one seed (args.seed) for Python's, NumPy's and torch's generators."""
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
