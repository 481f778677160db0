"""torchvision.ops.sigmoid_focal_loss forward + backward on the CPU, for bench/loss.bench.ts.

Usage: python3 torchvision_bench.py LOGITS.bin TARGETS.bin  (float32 files); prints one JSON
line: {"default_threads": torch.get_num_threads() at start, "cells": [{"threads": k,
"seconds": median seconds of a step, "runs": n, "loss": mean loss}, ...]} with one cell at
1 thread and one at PyTorch's default thread count (where that default is 1, the second cell
is at os.cpu_count() threads). The thread count is pinned with torch.set_num_threads before
each cell.
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


# 1 thread and the default; where the default is 1 (Debian's torch on some machines), the
# CPU count as well, so that the table still shows a multi-threaded row.
counts = [1, DEFAULT_THREADS] if DEFAULT_THREADS > 1 else sorted({1, os.cpu_count() or 1})
print(json.dumps({"default_threads": DEFAULT_THREADS, "cells": [cell(k) for k in counts]}))
