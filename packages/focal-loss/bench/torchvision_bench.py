"""torchvision.ops.sigmoid_focal_loss forward + backward on the CPU, for bench/loss.bench.ts.

Usage: python3 torchvision_bench.py LOGITS.bin TARGETS.bin  (float32 files); prints one JSON
line: {"default_threads": torch.get_num_threads() at start, "cells": [{"threads": k,
"seconds": median seconds of a step, "runs": n, "loss": mean loss}, ...]} with one cell each
at 1 thread, PyTorch's default thread count and os.cpu_count() (each count once). The
thread count is pinned with torch.set_num_threads before each cell.
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
from torchvision.ops import sigmoid_focal_loss

DEFAULT_THREADS = torch.get_num_threads()

logits = torch.from_numpy(np.fromfile(sys.argv[1], dtype=np.float32))
targets = torch.from_numpy(np.fromfile(sys.argv[2], dtype=np.float32))


def step():
    x = logits.clone().requires_grad_(True)
    loss = sigmoid_focal_loss(x, targets, alpha=0.25, gamma=2.0, reduction="mean")
    loss.backward()
    return float(loss)


def cell(threads):
    torch.set_num_threads(threads)
    loss = step()
    times = []
    while len(times) < 3 or (sum(times) < 2 and len(times) < 15):
        start = time.perf_counter()
        loss = step()
        times.append(time.perf_counter() - start)
    return {"threads": torch.get_num_threads(), "seconds": statistics.median(times),
            "runs": len(times), "loss": loss}


# 1 thread, the default (1 with Debian's torch on some machines) and every core.
counts = sorted({1, DEFAULT_THREADS, os.cpu_count() or 1})
print(json.dumps({"default_threads": DEFAULT_THREADS, "cells": [cell(k) for k in counts]}))
