"""Experiment for issue 6: does a *dense* self-distillation objective teach the nano ViT parts
where image-level DINO (and iBOT's masked patches, `ibot_probe.py`) did not?

PyTorch CPU, written for this question. Each training image is an object crop. Two global views
and a few local views are random resized crops with known boxes and flips, so every student patch
has a known place in each teacher view. The student's patch tokens, through a patch head, predict
the teacher's Sinkhorn-balanced cluster assignment at that place (bilinearly sampled from the
teacher's grid), across independent colour jitter: features must agree on *where in the object*
a patch is and what surrounds it, not on its colour. Optionally DINO's CLS loss as well.
It saves the EMA teacher backbone in timm naming, so `vlpart probe` measures it:

    python bench/pretrain/dense_probe.py --data DATA --minutes 15 --out d.safetensors
    vlpart probe --model d.safetensors --size 64 --gt DATA/target_gt.json --db STORE --json

Environment: THREADS (torch threads, default 2)."""
import argparse, math, os, random, time
import torch, torch.nn as nn, torch.nn.functional as F
import synth_crops
from nano_models import Head, update, vit
from safetensors.torch import save_file
from torchvision import transforms
import torchvision.transforms.functional as TF

p = argparse.ArgumentParser()
p.add_argument("--data", required=True, help="a `vlpart synth` output directory")
p.add_argument("--minutes", type=float, default=10)
p.add_argument("--batch", type=int, default=32)
p.add_argument("--lr", type=float, default=1e-3)
p.add_argument("--dino", type=float, default=0.0)    # weight of DINO's CLS loss
p.add_argument("--k", type=int, default=64)          # patch prototypes
p.add_argument("--tt", type=float, default=0.05)     # teacher (Sinkhorn) temperature
p.add_argument("--st", type=float, default=0.1)      # student temperature
p.add_argument("--momentum", type=float, default=0.99)
p.add_argument("--locals", type=int, default=4)
p.add_argument("--scale", type=float, default=0.4)   # smallest global crop area
p.add_argument("--margin", type=float, default=0.1)  # context around each object box
p.add_argument("--init", default="", help="start from this timm-named safetensors backbone")
p.add_argument("--out", required=True)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--no-color", action="store_true")
a = p.parse_args()
torch.set_num_threads(int(os.environ.get("THREADS", "2"))); torch.manual_seed(a.seed); random.seed(a.seed)

# --- data: object crops with a margin, kept at 96 px so 64-px views resample rather than upsample
imgs = synth_crops.load(a.data, 96, margin=a.margin)
print(len(imgs), "object crops", flush=True)

norm = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
jit = transforms.Compose([transforms.RandomApply([transforms.ColorJitter(0.4, 0.4, 0.2, 0.1)], p=0.8),
                          transforms.RandomGrayscale(p=0.2)]) if not a.no_color else transforms.Compose([])

def view(im, size, scale):
    """A random resized crop of `im` with its box (normalised x0, y0, w, h) and flip."""
    i, j, h, w = transforms.RandomResizedCrop.get_params(im, scale=scale, ratio=(3 / 4, 4 / 3))
    x = TF.resized_crop(im, i, j, h, w, [size, size], interpolation=TF.InterpolationMode.BICUBIC)
    flip = random.random() < 0.5
    if flip: x = TF.hflip(x)
    return norm(jit(x)), torch.tensor([j / im.width, i / im.height, w / im.width, h / im.height, float(flip)])

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.vit, self.head, self.phead = vit(), Head(1024), Head(a.k)
    def tokens(self, x):
        v = self.vit
        t = v.patch_embed(x)
        t = v._pos_embed(t)
        return v.norm(v.blocks(t))  # B, 1+HW, D

student, teacher = Net(), Net()
if a.init:
    from safetensors.torch import load_file
    print(student.vit.load_state_dict(load_file(a.init), strict=False))
teacher.load_state_dict(student.state_dict())
for q in teacher.parameters(): q.requires_grad = False

def sinkhorn(logits, temp, iters=3):
    Q = torch.exp((logits - logits.max()) / temp).t()  # K, N
    Q /= Q.sum()
    K, N = Q.shape
    for _ in range(iters):
        Q /= Q.sum(1, keepdim=True); Q /= K
        Q /= Q.sum(0, keepdim=True); Q /= N
    return (Q * N).t()

def places(sbox, tbox, g):
    """For a student view's g×g patch centres, their normalised [-1, 1] places in a teacher view
    (grid_sample coordinates) and whether they fall inside it. Boxes: [B, 5] (x0, y0, w, h, flip)."""
    c = (torch.arange(g, dtype=torch.float32) + 0.5) / g
    v, u = torch.meshgrid(c, c, indexing="ij")                     # g, g
    u = u[None]; v = v[None]
    su = torch.where(sbox[:, 4, None, None] > 0, 1 - u, u)        # undo the student's flip
    x = sbox[:, 0, None, None] + su * sbox[:, 2, None, None]       # object-crop coordinates
    y = sbox[:, 1, None, None] + v * sbox[:, 3, None, None]
    tu = (x - tbox[:, 0, None, None]) / tbox[:, 2, None, None]
    tv = (y - tbox[:, 1, None, None]) / tbox[:, 3, None, None]
    tu = torch.where(tbox[:, 4, None, None] > 0, 1 - tu, tu)
    inside = (tu >= 0) & (tu <= 1) & (tv >= 0) & (tv <= 1)
    return torch.stack([2 * tu - 1, 2 * tv - 1], -1), inside         # B, g, g, 2 ; B, g, g

center = torch.zeros(1, 1024)
opt = torch.optim.AdamW([q for q in student.parameters() if q.requires_grad], lr=a.lr, weight_decay=0.04)
t0 = time.time(); step = 0
while True:
    el = time.time() - t0
    if el > a.minutes * 60: break
    frac = el / (a.minutes * 60)
    lr = a.lr * min(1, frac / 0.1) * (0.5 * (1 + math.cos(math.pi * frac)) if frac > 0.1 else 1)
    for gp in opt.param_groups: gp["lr"] = lr
    batch = random.sample(imgs, a.batch)
    gv = [[view(im, 64, (a.scale, 1)) for im in batch] for _ in range(2)]
    lv = [[view(im, 32, (0.1, a.scale)) for im in batch] for _ in range(a.locals)]
    G = [torch.stack([x for x, _ in vs]) for vs in gv]; Gb = [torch.stack([b for _, b in vs]) for vs in gv]
    L = [torch.stack([x for x, _ in vs]) for vs in lv]; Lb = [torch.stack([b for _, b in vs]) for vs in lv]
    with torch.no_grad():
        tt = [teacher.tokens(x) for x in G]
        tpl = [teacher.phead(t[:, 1:]) for t in tt]                 # B, 64, K
        tq = sinkhorn(torch.cat(tpl).reshape(-1, a.k), a.tt).reshape(2, a.batch, 8, 8, a.k)
        tq = [q.permute(0, 3, 1, 2) for q in tq]                     # B, K, 8, 8
        tcls = [teacher.head(t[:, 0]) for t in tt]
        tc = [F.softmax((c - center) / 0.04, -1) for c in tcls]
    loss_p = 0; n = 0; loss_d = 0; nd = 0
    for si, (x, box) in enumerate([(g, b) for g, b in zip(G, Gb)] + [(l, b) for l, b in zip(L, Lb)]):
        st = student.tokens(x)
        g = x.shape[-1] // 8
        sp = student.phead(st[:, 1:]).reshape(a.batch, g, g, a.k)
        for ti in range(2):
            if ti == si: continue
            grid, inside = places(box, Gb[ti], g)
            target = F.grid_sample(tq[ti], grid, mode="bilinear", align_corners=False).permute(0, 2, 3, 1)  # B,g,g,K
            ce = torch.sum(-target * F.log_softmax(sp / a.st, -1), -1)
            m = inside.float()
            if m.sum() > 0:
                loss_p = loss_p + (ce * m).sum() / m.sum(); n += 1
            if a.dino > 0:
                loss_d = loss_d + torch.sum(-tc[ti] * F.log_softmax(student.head(st[:, 0]) / 0.1, -1), -1).mean(); nd += 1
    loss = loss_p / max(n, 1) + (a.dino * loss_d / max(nd, 1) if a.dino > 0 else 0)
    update(opt, loss, student, teacher, a.momentum, frac)
    with torch.no_grad():
        center.mul_(0.9).add_(0.1 * torch.cat(tcls).mean(0, keepdim=True))
    if step % 200 == 0 and step > 0:
        save_file({k: v.contiguous() for k, v in teacher.vit.state_dict().items()}, a.out.replace(".safetensors", f"-{step}.safetensors"), metadata={"heads": "3"})
    if step % 20 == 0:
        print(f"step {step} t {el:.0f}s lr {lr:.2e} dense {float(loss_p) / max(n, 1):.3f}", flush=True)
    step += 1

save_file({k: v.contiguous() for k, v in teacher.vit.state_dict().items()}, a.out, metadata={"heads": "3"})
print("saved", a.out, step, "steps", flush=True)
