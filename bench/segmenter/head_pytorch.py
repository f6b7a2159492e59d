"""The segmenter head of Sources/Segmenter (Head*.swift) in PyTorch, timed as
`vlpart bench-segmenter` times the Swift one: a training step over `batch` images of cached
features (forward, weighted cross-entropy over object and part vocabularies, backward, AdamW)
and one segmentation (head, bilinear upsampling of the logits, softmax winner per pixel).
Prints `train_steps_per_s X` and `segment_images_per_s Y`."""
import argparse, math, time
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--grid", type=int, default=28); p.add_argument("--dim", type=int, default=96)
p.add_argument("--hidden", type=int, default=256); p.add_argument("--blocks", type=int, default=3); p.add_argument("--embed", type=int, default=384)
p.add_argument("--objects", type=int, default=16); p.add_argument("--parts", type=int, default=89)
p.add_argument("--batch", type=int, default=2); p.add_argument("--pixels", type=int, default=224)
p.add_argument("--repeat", type=int, default=10); p.add_argument("--threads", type=int, default=2)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


class Head(nn.Module):
    def __init__(self, d, h, e, blocks):
        super().__init__()
        self.fc1 = nn.Linear(d, h)
        # block k: depthwise 3x3 dilated 2^k with bias (dw, dwBias), then (all but the last) a residual MLP
        self.dws = nn.ModuleList([nn.Conv2d(h, h, 3, padding=2 ** k, dilation=2 ** k, groups=h, bias=True)
                                  for k in range(blocks)])
        self.mix = nn.ModuleList([nn.Linear(h, h) for _ in range(blocks - 1)])
        self.obj = nn.Linear(h, e); self.part = nn.Linear(h, e)
        self.bg_obj = nn.Parameter(torch.randn(e)); self.bg_part = nn.Parameter(torch.randn(e))
        self.log_scale = nn.Parameter(torch.tensor(math.log(10.0)))

    def forward(self, x, gh, gw):            # x: [n, d] one image
        b = F.gelu(self.fc1(x))               # [n, h]
        for k, dw in enumerate(self.dws):
            b = b + dw(b.t().reshape(1, -1, gh, gw)).reshape(b.shape[1], -1).t()
            if k < len(self.mix):
                b = b + F.gelu(self.mix[k](b))
        return F.normalize(self.obj(b), dim=1), F.normalize(self.part(b), dim=1)

    def logits(self, u, table, bg):
        t = torch.cat([F.normalize(bg, dim=0)[None], table], 0)
        return self.log_scale.exp() * u @ t.t()


head = Head(a.dim, a.hidden, a.embed, a.blocks)
objects = F.normalize(torch.randn(a.objects, a.embed), dim=1)
parts = F.normalize(torch.randn(a.parts, a.embed), dim=1)
n = a.grid * a.grid
feats = [torch.randn(n, a.dim) for _ in range(a.batch)]
yo = [torch.randint(0, a.objects + 1, (n,)) for _ in range(a.batch)]
yp = [torch.randint(0, a.parts + 1, (n,)) for _ in range(a.batch)]
w = torch.ones(n)
decay = [q for q in head.parameters() if q.ndim > 1]
rest = [q for q in head.parameters() if q.ndim <= 1]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 1e-4}, {"params": rest, "weight_decay": 0}], lr=3e-3)


def step():
    opt.zero_grad()
    for x, o, q in zip(feats, yo, yp):
        uo, up = head(x, a.grid, a.grid)
        lo = (F.cross_entropy(head.logits(uo, objects, head.bg_obj), o, reduction="none") * w).sum() / w.sum()
        lp = (F.cross_entropy(head.logits(up, parts, head.bg_part), q, reduction="none") * w).sum() / w.sum()
        ((lo + lp) / a.batch).backward()
    torch.nn.utils.clip_grad_norm_(head.parameters(), 3)
    opt.step()


@torch.no_grad()
def segment():
    uo, up = head(feats[0], a.grid, a.grid)
    out = []
    for u, table, bg in ((up, parts, head.bg_part), (uo, objects, head.bg_obj)):
        l = head.logits(u, table, bg).t().reshape(1, -1, a.grid, a.grid)
        l = F.interpolate(l, size=(a.pixels, a.pixels), mode="bilinear", align_corners=False)
        conf, lab = l.softmax(1).max(1)
        out.append((lab, conf))
    (pl, pc), (ol, _) = out
    pl[ol == 0] = 0
    return pl, pc


def median(f):
    f()
    ts = []
    for _ in range(a.repeat):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2]


print(f"train_steps_per_s {1 / median(step):.3f}")
print(f"segment_images_per_s {1 / median(segment):.3f}")
