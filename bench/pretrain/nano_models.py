"""The networks the DINO-style experiments in this folder train: the nano ViT (patch 8, width 96,
4 blocks, 3 heads, 64 px; timm naming, so `vlpart probe` loads what they save) and DINO's
projection head with its weight-normalised prototype layer (`weight_g` fixed to 1)."""
import math

import timm
import torch
import torch.nn as nn
import torch.nn.functional as F


def vit():
    return timm.models.vision_transformer.VisionTransformer(img_size=64, patch_size=8, embed_dim=96, depth=4, num_heads=3,
                                                            num_classes=0, dynamic_img_size=True)


class Head(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(96, 512), nn.GELU(), nn.Linear(512, 512), nn.GELU(), nn.Linear(512, 128))
        self.last = nn.utils.parametrizations.weight_norm(nn.Linear(128, k, bias=False))
        self.last.parametrizations.weight.original0.data.fill_(1); self.last.parametrizations.weight.original0.requires_grad = False

    def forward(self, x):
        return self.last(F.normalize(self.mlp(x), dim=-1))


def update(opt, loss, student, teacher, momentum, frac):
    """One optimiser step on `loss` (gradients clipped to norm 3), then the EMA teacher with DINO's
    cosine momentum schedule from `momentum` to 1 at training fraction `frac`."""
    opt.zero_grad(); loss.backward()
    nn.utils.clip_grad_norm_(student.parameters(), 3.0)
    opt.step()
    with torch.no_grad():
        m = 1 - (1 - momentum) * (math.cos(math.pi * frac) + 1) / 2
        for ps, pt in zip(student.parameters(), teacher.parameters()):
            pt.mul_(m).add_((1 - m) * ps.detach())
