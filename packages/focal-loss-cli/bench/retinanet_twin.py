"""The PyTorch twin of compare's RetinaNet (tfjs-retinanet's createRetinaNet): the same layers,
the same parameter count and the same loss, trained with Adam on one thread, to time a step
(forward, loss, backward, Adam update) against bench/train.bench.ts.

    /usr/bin/python3 packages/focal-loss-cli/bench/retinanet_twin.py --side 32|96 [--warmup 5] [--steps 30]

Model (w = 8, F = 2w, A anchors per cell, K = 10 classes): backbone conv3x3(w)-pool-conv3x3(2w)-
pool-conv3x3(2w) = C3 (stride 4) -pool-conv3x3(4w) = C4 (stride 8), ReLU after each; FPN
P4 = 1x1(C4), P3 = conv3x3(1x1(C3) + nearest-upsample(P4)) with ReLU; shared heads on P3 and P4:
conv3x3(F)+ReLU-conv3x3(A*K) with the prior bias -log((1 - .01) / .01), conv3x3(F)+ReLU-
conv3x3(A*4). Loss: torchvision.ops.sigmoid_focal_loss (gamma 2, alpha .25) times the anchor
weight (0 on ignored anchors), summed / max(positives, 1), plus smooth L1 (beta 1/9) on the
positives' deltas / the same normalizer. Inputs and targets are random, with the shapes and the
positive and ignored rates of compare's scenes (measured by train.bench.ts: 32: 1.53% / 2.21%,
96: 0.22% / 0.42% of anchors). Batch 16, Adam 3e-3, torch.set_num_threads(1).

The LAST line is JSON: {"side","anchorsPerCell","batch","params","stepMs","framework":"pytorch"}.
"""

import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.ops import sigmoid_focal_loss

SIZES = {
    # side: anchors per cell, positive rate, ignored rate (of compare's training scenes, seed 0)
    32: (6, 0.0153, 0.0221),
    96: (9, 0.0022, 0.0042),
}
K = 10
WIDTH = 8
PRIOR = 0.01
SMOOTH_L1_BETA = 1 / 9


class RetinaNet(nn.Module):
    def __init__(self, w: int, anchors_per_cell: int, num_classes: int):
        super().__init__()
        f = 2 * w
        self.a, self.k = anchors_per_cell, num_classes
        self.c1 = nn.Conv2d(1, w, 3, padding=1)
        self.c2 = nn.Conv2d(w, 2 * w, 3, padding=1)
        self.c3 = nn.Conv2d(2 * w, 2 * w, 3, padding=1)
        self.c4 = nn.Conv2d(2 * w, 4 * w, 3, padding=1)
        self.l3 = nn.Conv2d(2 * w, f, 1)
        self.l4 = nn.Conv2d(4 * w, f, 1)
        self.s3 = nn.Conv2d(f, f, 3, padding=1)
        self.cls_hidden = nn.Conv2d(f, f, 3, padding=1)
        self.box_hidden = nn.Conv2d(f, f, 3, padding=1)
        self.cls_out = nn.Conv2d(f, anchors_per_cell * num_classes, 3, padding=1)
        self.box_out = nn.Conv2d(f, anchors_per_cell * 4, 3, padding=1)
        for conv in [self.c1, self.c2, self.c3, self.c4, self.l3, self.l4, self.s3, self.cls_hidden, self.box_hidden]:
            nn.init.kaiming_normal_(conv.weight, nonlinearity="relu")  # std sqrt(2 / fan_in), as tfjs's he()
            nn.init.zeros_(conv.bias)
        for conv in [self.cls_out, self.box_out]:
            nn.init.normal_(conv.weight, 0, 0.01)
            nn.init.zeros_(conv.bias)
        nn.init.constant_(self.cls_out.bias, -math.log((1 - PRIOR) / PRIOR))

    def head(self, p: torch.Tensor) -> torch.Tensor:
        b = p.shape[0]
        # NCHW -> [B, H*W*A, K]: the anchors in tfjs's (row, column, anchor) order.
        cls = self.cls_out(F.relu(self.cls_hidden(p))).permute(0, 2, 3, 1).reshape(b, -1, self.k)
        box = self.box_out(F.relu(self.box_hidden(p))).permute(0, 2, 3, 1).reshape(b, -1, 4)
        return torch.cat([cls, box], 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f3 = F.relu(self.c3(F.max_pool2d(F.relu(self.c2(F.max_pool2d(F.relu(self.c1(x)), 2))), 2)))
        f4 = F.relu(self.c4(F.max_pool2d(f3, 2)))
        p4 = self.l4(f4)
        p3 = F.relu(self.s3(self.l3(f3) + F.interpolate(p4, size=f3.shape[2:], mode="nearest")))
        return torch.cat([self.head(p3), self.head(p4)], 1)


def detection_loss(output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """target rows: K one-hot classes, weight, 4 deltas, positive flag (tfjs-retinanet's packing)."""
    logits, deltas = output[..., :K], output[..., K:]
    classes, weights, box_targets, positive = target[..., :K], target[..., K : K + 1], target[..., K + 1 : K + 5], target[..., K + 5 :]
    normalizer = positive.sum().clamp(min=1)
    cls = (sigmoid_focal_loss(logits, classes, alpha=0.25, gamma=2, reduction="none") * weights).sum() / normalizer
    box = (F.smooth_l1_loss(deltas, box_targets, beta=SMOOTH_L1_BETA, reduction="none") * positive).sum() / normalizer
    return cls + box


def random_batch(gen: torch.Generator, batch: int, side: int, anchors: int, pos_rate: float, ign_rate: float):
    x = torch.rand(batch, 1, side, side, generator=gen)
    u = torch.rand(batch, anchors, generator=gen)
    positive = (u < pos_rate).float()
    ignored = ((u >= pos_rate) & (u < pos_rate + ign_rate)).float()
    label = torch.randint(0, K, (batch, anchors), generator=gen)
    classes = F.one_hot(label, K).float() * positive[..., None]
    deltas = torch.randn(batch, anchors, 4, generator=gen) * positive[..., None]
    target = torch.cat([classes, (1 - ignored)[..., None], deltas, positive[..., None]], 2)
    return x, target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--side", type=int, default=32, choices=sorted(SIZES))
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(37)
    a, pos_rate, ign_rate = SIZES[args.side]
    anchors = ((args.side // 4) ** 2 + (args.side // 8) ** 2) * a
    model = RetinaNet(WIDTH, a, K)
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    gen = torch.Generator().manual_seed(5)
    batches = [random_batch(gen, args.batch, args.side, anchors, pos_rate, ign_rate) for _ in range(8)]
    times = []
    for step in range(args.warmup + args.steps):
        x, target = batches[step % len(batches)]
        start = time.perf_counter()
        optimizer.zero_grad()
        output = model(x)
        assert output.shape == (args.batch, anchors, K + 4)
        loss = detection_loss(output, target)
        loss.backward()
        optimizer.step()
        value = loss.item()
        times.append((time.perf_counter() - start) * 1000)
        if not math.isfinite(value):
            raise SystemExit(f"loss is {value} at step {step}")
    timed = times[args.warmup :]
    step_ms = statistics.median(timed)
    print(
        f"pytorch {torch.__version__} RetinaNet {args.side}x{args.side}, {a} anchors/cell ({anchors} anchors/image), batch {args.batch}, "
        f"{params} params, Adam 3e-3, {torch.get_num_threads()} thread(s); {args.steps} steps after {args.warmup} warm-up: "
        f"median {step_ms:.1f} ms/step (min {min(timed):.1f}, max {max(timed):.1f}); last loss {value:.4f}"
    )
    print(json.dumps({"side": args.side, "anchorsPerCell": a, "batch": args.batch, "params": params, "stepMs": round(step_ms, 2), "framework": "pytorch"}, separators=(",", ":")))


if __name__ == "__main__":
    main()
