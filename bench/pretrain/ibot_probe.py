"""Experiment behind issue 6's closing notes: can a self-supervised recipe stronger than plain DINO
teach the nano ViT parts on the synthetic set within minutes on 2 CPU cores?

PyTorch CPU, written for this question (not a copy of the DINO or iBOT code): the nano ViT of
`vlpart pretrain --arch nano` (patch 8, width 96, depth 4, 3 heads, 64 px), trained with DINO's
CLS self-distillation plus iBOT's masked patch-token self-distillation (separate patch head,
block masks on half the global crops, Sinkhorn-Knopp teacher targets by default), on object
crops cut from the dataset's boxes (`--crops objects`), whole scenes, or both. It saves the EMA
teacher backbone in timm naming every 300 steps and at the end, so `vlpart probe` measures it
exactly like a `vlpart pretrain` checkpoint:

    python bench/pretrain/ibot_probe.py --data DATA --minutes 40 --out r.safetensors
    vlpart probe --model r.safetensors --size 64 --gt DATA/target_gt.json --db STORE --json

DATA is a `vlpart synth` directory; STORE a store with its source and target imported.
Environment: THREADS (torch threads, default 2)."""
import argparse, math, os, random, time
import torch, torch.nn as nn, torch.nn.functional as F
import synth_crops
from nano_models import Head, update, vit
from PIL import Image
from safetensors.torch import save_file
from torchvision import transforms

p = argparse.ArgumentParser()
p.add_argument("--data", required=True, help="a `vlpart synth` output directory")
p.add_argument("--crops", default="objects", choices=["objects", "scenes", "both"])
p.add_argument("--minutes", type=float, default=4)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--lr", type=float, default=1e-3)
p.add_argument("--ibot", type=float, default=1.0)   # weight of the masked patch loss
p.add_argument("--dino", type=float, default=1.0)
p.add_argument("--out-dim", type=int, default=1024)
p.add_argument("--patch-dim", type=int, default=1024)
p.add_argument("--tt", type=float, default=0.04)
p.add_argument("--momentum", type=float, default=0.99)
p.add_argument("--sinkhorn", type=int, default=1)
p.add_argument("--locals", type=int, default=4)
p.add_argument("--mask-max", type=float, default=0.5)
p.add_argument("--out", required=True)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--no-color", action="store_true")
a = p.parse_args()
torch.set_num_threads(int(os.environ.get("THREADS", "2"))); torch.manual_seed(a.seed); random.seed(a.seed)

# --- data: object crops (tight boxes) and/or whole scenes
imgs = synth_crops.load(a.data, 64, objects=a.crops in ("objects", "both"), scenes=a.crops in ("scenes", "both"))
print(len(imgs), "training images", flush=True)

norm = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
jit = transforms.Compose([transforms.RandomApply([transforms.ColorJitter(0.4, 0.4, 0.2, 0.1)], p=0.8), transforms.RandomGrayscale(p=0.2)]) if not a.no_color else transforms.Compose([])
g_t = transforms.Compose([transforms.RandomResizedCrop(64, scale=(0.5, 1), interpolation=Image.BICUBIC), transforms.RandomHorizontalFlip(), jit, norm])
l_t = transforms.Compose([transforms.RandomResizedCrop(32, scale=(0.1, 0.5), interpolation=Image.BICUBIC), transforms.RandomHorizontalFlip(), jit, norm])

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.vit, self.head, self.phead = vit(), Head(a.out_dim), Head(a.patch_dim)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, 96))
    def tokens(self, x, mask=None):
        v = self.vit
        t = v.patch_embed(x)  # B,H,W,D (dynamic)
        B, H, W, D = t.shape
        t = t.reshape(B, H * W, D)
        if mask is not None:
            t = torch.where(mask.unsqueeze(-1), self.mask_token.to(t.dtype), t)
        t = v._pos_embed(t.reshape(B, H, W, D))
        t = v.norm(v.blocks(t))
        return t  # B, 1+HW, D

student, teacher = Net(), Net()
teacher.load_state_dict(student.state_dict())
for q in teacher.parameters(): q.requires_grad = False

def sinkhorn(logits, temp, iters=3):
    Q = torch.exp(logits / temp).t()  # K,B
    Q /= Q.sum()
    K, B = Q.shape
    for _ in range(iters):
        Q /= Q.sum(1, keepdim=True); Q /= K
        Q /= Q.sum(0, keepdim=True); Q /= B
    return (Q * B).t()

center = torch.zeros(1, a.out_dim); pcenter = torch.zeros(1, a.patch_dim)
def targets(logits, c, temp):
    if a.sinkhorn: return sinkhorn(logits, temp)
    return F.softmax((logits - c) / temp, dim=-1)

opt = torch.optim.AdamW([q for q in student.parameters() if q.requires_grad], lr=a.lr, weight_decay=0.04)
G = 8
def block_mask(B):
    m = torch.zeros(B, G * G, dtype=torch.bool)
    for b in range(B):
        if random.random() < 0.5: continue  # iBOT: half the images unmasked
        ratio = random.uniform(0.1, a.mask_max)
        grid = torch.zeros(G, G, dtype=torch.bool)
        while grid.sum() < ratio * G * G:
            h, w = random.randint(1, 4), random.randint(1, 4)
            y, x = random.randint(0, G - h), random.randint(0, G - w)
            grid[y:y + h, x:x + w] = True
        m[b] = grid.flatten()
    return m

t0 = time.time(); step = 0; est_steps = None
while True:
    el = time.time() - t0
    if el > a.minutes * 60: break
    frac = el / (a.minutes * 60)
    lr = a.lr * min(1, frac / 0.1) * (0.5 * (1 + math.cos(math.pi * frac)) if frac > 0.1 else 1)
    for gp in opt.param_groups: gp["lr"] = lr
    batch = random.sample(imgs, a.batch)
    g = [torch.stack([g_t(im) for im in batch]) for _ in range(2)]
    l = [torch.stack([l_t(im) for im in batch]) for _ in range(a.locals)]
    masks = [block_mask(a.batch) for _ in range(2)]
    with torch.no_grad():
        tt = [teacher.tokens(x) for x in g]
        tcls = [teacher.head(t[:, 0]) for t in tt]
        tpat = [teacher.phead(t[:, 1:]) for t in tt]
        tq = [targets(c, center, a.tt) for c in tcls]
        tp = [targets(pp.reshape(-1, a.patch_dim), pcenter, a.tt).reshape(pp.shape) for pp in tpat]
    st = [student.tokens(x, m) for x, m in zip(g, masks)]
    scls = [student.head(t[:, 0]) for t in st] + [student.head(student.tokens(x)[:, 0]) for x in l]
    loss_d = 0; n = 0
    for i in range(2):
        for j, s in enumerate(scls):
            if j == i: continue
            loss_d = loss_d + torch.sum(-tq[i] * F.log_softmax(s / 0.1, -1), -1).mean(); n += 1
    loss_d = loss_d / n
    loss_p = 0
    for i in range(2):
        sp = student.phead(st[i][:, 1:])
        ce = torch.sum(-tp[i] * F.log_softmax(sp / 0.1, -1), -1)  # B, HW
        m = masks[i].float()
        loss_p = loss_p + ((ce * m).sum(-1) / m.sum(-1).clamp(min=1)).sum() / m.any(-1).sum().clamp(min=1)
    loss_p = loss_p / 2
    loss = a.dino * loss_d + a.ibot * loss_p
    update(opt, loss, student, teacher, a.momentum, frac)
    with torch.no_grad():
        center.mul_(0.9).add_(0.1 * torch.cat(tcls).mean(0, keepdim=True))
        pcenter.mul_(0.9).add_(0.1 * torch.cat([t.reshape(-1, a.patch_dim) for t in tpat]).mean(0, keepdim=True))
    if step % 300 == 0 and step > 0:
        save_file({k: v.contiguous() for k, v in teacher.vit.state_dict().items()}, a.out.replace(".safetensors", f"-{step}.safetensors"), metadata={"heads": "3"})
    if step % 20 == 0:
        print(f"step {step} t {el:.0f}s lr {lr:.2e} dino {loss_d.item():.3f} ibot {loss_p.item():.3f}", flush=True)
    step += 1

sd = {k: v.contiguous() for k, v in teacher.vit.state_dict().items()}
save_file(sd, a.out, metadata={"heads": "3"})
print("saved", a.out, step, "steps", flush=True)
