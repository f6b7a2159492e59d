#!/usr/bin/env python3
"""PyTorch CPU baseline for bench/pretrain_vs_pytorch.sh: the DINO training loop of
facebookresearch/dino (DataAugmentationDINO with torchvision, MultiCropWrapper, DINOHead,
DINOLoss, AdamW, per-parameter clipping, EMA teacher) for the same tiny ViT, crops and batch as
`vlpart pretrain`. Prints `images/s <value>` over the timed steps (the first step is a warm-up)."""
import argparse
import glob
import math
import time

import timm
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image, ImageFilter, ImageOps
from torchvision import transforms

p = argparse.ArgumentParser()
p.add_argument("--images", required=True)
p.add_argument("--steps", type=int, default=4)
p.add_argument("--batch", type=int, default=32)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--patch", type=int, default=8)
p.add_argument("--dim", type=int, default=192)
p.add_argument("--depth", type=int, default=6)
p.add_argument("--heads", type=int, default=3)
p.add_argument("--global-size", type=int, default=64)
p.add_argument("--local-size", type=int, default=32)
p.add_argument("--local-crops", type=int, default=6)
p.add_argument("--out-dim", type=int, default=2048)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


class Blur:
    def __init__(self, p, scale):
        self.p, self.scale = p, scale

    def __call__(self, img):
        if torch.rand(1).item() > self.p:
            return img
        return img.filter(ImageFilter.GaussianBlur(radius=(0.1 + 1.9 * torch.rand(1).item()) * self.scale))


class Solarize:
    def __init__(self, p):
        self.p = p

    def __call__(self, img):
        return ImageOps.solarize(img) if torch.rand(1).item() < self.p else img


flip_jitter = transforms.Compose([
    transforms.RandomHorizontalFlip(p=0.5),
    transforms.RandomApply([transforms.ColorJitter(0.4, 0.4, 0.2, 0.1)], p=0.8),
    transforms.RandomGrayscale(p=0.2)])
norm = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
gs, ls = a.global_size, a.local_size
g1 = transforms.Compose([transforms.RandomResizedCrop(gs, scale=(0.4, 1), interpolation=Image.BICUBIC), flip_jitter, Blur(1.0, gs / 224), norm])
g2 = transforms.Compose([transforms.RandomResizedCrop(gs, scale=(0.4, 1), interpolation=Image.BICUBIC), flip_jitter, Blur(0.1, gs / 224), Solarize(0.2), norm])
lt = transforms.Compose([transforms.RandomResizedCrop(ls, scale=(0.05, 0.4), interpolation=Image.BICUBIC), flip_jitter, Blur(0.5, ls / 224), norm])


def vit():
    return timm.models.vision_transformer.VisionTransformer(
        img_size=gs, patch_size=a.patch, embed_dim=a.dim, depth=a.depth, num_heads=a.heads, num_classes=0,
        dynamic_img_size=True, qkv_bias=True, norm_layer=lambda d, **kw: nn.LayerNorm(d, eps=1e-6, **kw))


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(a.dim, 512), nn.GELU(), nn.Linear(512, 512), nn.GELU(), nn.Linear(512, 128))
        self.last_layer = nn.utils.parametrizations.weight_norm(nn.Linear(128, a.out_dim, bias=False))
        self.last_layer.parametrizations.weight.original0.data.fill_(1)
        self.last_layer.parametrizations.weight.original0.requires_grad = False

    def forward(self, x):
        return self.last_layer(F.normalize(self.mlp(x), dim=-1))


class Wrapper(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone, self.head = vit(), Head()

    def forward(self, crops):
        outs = [self.backbone(torch.cat(crops[:2]))]
        if len(crops) > 2:
            outs.append(self.backbone(torch.cat(crops[2:])))
        return self.head(torch.cat(outs))


student, teacher = Wrapper(), Wrapper()
teacher.load_state_dict(student.state_dict())
for q in teacher.parameters():
    q.requires_grad = False
reg = [q for n, q in student.named_parameters() if q.requires_grad and not (n.endswith(".bias") or q.ndim == 1)]
noreg = [q for n, q in student.named_parameters() if q.requires_grad and (n.endswith(".bias") or q.ndim == 1)]
opt = torch.optim.AdamW([{"params": reg}, {"params": noreg, "weight_decay": 0.0}], lr=1e-4)
center = torch.zeros(1, a.out_dim)
paths = sorted(glob.glob(a.images + "/**/*.png", recursive=True))
imgs = [Image.open(x).convert("RGB") for x in paths]
ncrops = 2 + a.local_crops
t_start = None
for step in range(a.steps + 1):
    if step == 1:
        t_start = time.time()
    batch = [imgs[(step * a.batch + i) % len(imgs)] for i in range(a.batch)]
    views = [[g1(im), g2(im)] + [lt(im) for _ in range(a.local_crops)] for im in batch]
    crops = [torch.stack([v[c] for v in views]) for c in range(ncrops)]
    with torch.no_grad():
        t_out = teacher(crops[:2])
    s_out = student(crops)
    s_chunks = (s_out / 0.1).chunk(ncrops)
    q_chunks = F.softmax((t_out - center) / 0.04, dim=-1).chunk(2)
    loss, n = 0, 0
    for iq, q in enumerate(q_chunks):
        for v in range(ncrops):
            if v != iq:
                loss = loss + torch.sum(-q * F.log_softmax(s_chunks[v], dim=-1), dim=-1).mean()
                n += 1
    loss = loss / n
    center = center * 0.9 + t_out.mean(0, keepdim=True) * 0.1
    opt.zero_grad()
    loss.backward()
    for q in student.parameters():
        if q.grad is not None:
            coef = 3.0 / (q.grad.norm() + 1e-6)
            if coef < 1:
                q.grad.mul_(coef)
    opt.step()
    with torch.no_grad():
        for qs, qt in zip(student.parameters(), teacher.parameters()):
            qt.mul_(0.996).add_(0.004 * qs)
elapsed = time.time() - t_start
print(f"images/s {a.steps * a.batch / elapsed:.3f}")
