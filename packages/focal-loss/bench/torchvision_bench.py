"""torchvision.ops.sigmoid_focal_loss forward + backward on the CPU, for bench/loss.bench.ts.

Usage: python3 torchvision_bench.py LOGITS.bin TARGETS.bin  (float32 files); prints JSON:
{"seconds": median seconds of a step, "runs": n, "loss": mean loss, "threads": torch threads}.
"""
import json
import statistics
import sys
import time

import numpy as np
import torch
from torchvision.ops import sigmoid_focal_loss

logits = torch.from_numpy(np.fromfile(sys.argv[1], dtype=np.float32))
targets = torch.from_numpy(np.fromfile(sys.argv[2], dtype=np.float32))


def step():
    x = logits.clone().requires_grad_(True)
    loss = sigmoid_focal_loss(x, targets, alpha=0.25, gamma=2.0, reduction="mean")
    loss.backward()
    return float(loss)


loss = step()
times = []
while len(times) < 3 or (sum(times) < 2 and len(times) < 15):
    start = time.perf_counter()
    loss = step()
    times.append(time.perf_counter() - start)
print(json.dumps({"seconds": statistics.median(times), "runs": len(times), "loss": loss,
                  "threads": torch.get_num_threads()}))
