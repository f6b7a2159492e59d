#!/usr/bin/env python3
"""Golden fixtures for vlpart's DINO pretraining (Tests/Fixtures/pretrain/).

A tiny ViT + DINO head written here in PyTorch the way facebookresearch/dino's
vision_transformer.py and main_dino.py compute them (pre-LN blocks, exact GELU, fused qkv,
bicubic position-embedding resampling with the +0.1, weight-normalised last layer with g = 1,
DINOLoss with centering and a temperature, AdamW with two parameter groups, per-parameter
gradient clipping, EMA teacher). It records:

  loss.*        DINO loss on fixed student/teacher outputs, d loss / d student output, new center
  init.*        the student's initial parameters (the teacher starts as a copy)
  stepS.*       the crops of step S (2 global 16 px, 2 local 8 px, batch 2), its loss and center
  grad0.*       the student's gradients at step 0 after clipping
  final.*       student and teacher parameters after 3 steps

Run: /work/venv/bin/python tools/make_pretrain_fixtures.py   (torch 2.15, CPU)
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

GENERATOR_VERSION = 1
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "pretrain")
P, D, DEPTH, HEADS, IMG = 4, 16, 2, 2, 16
HIDDEN, BOTTLENECK, K = 24, 8, 32
GLOBAL, LOCAL, NLOCAL, B = 16, 8, 2, 2
STUDENT_T, TEACHER_T, CENTER_M, CLIP = 0.1, 0.04, 0.9, 0.3
LRS, WDS, MOMS = [1e-3, 2e-3, 1.5e-3], [0.04, 0.1, 0.2], [0.996, 0.997, 0.998]


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(D, 3 * D)
        self.proj = nn.Linear(D, D)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, HEADS, c // HEADS).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = ((q @ k.transpose(-2, -1)) * (c // HEADS) ** -0.5).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, c))


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(D, 4 * D), nn.Linear(4 * D, D)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1, self.attn = nn.LayerNorm(D, eps=1e-6), Attention()
        self.norm2, self.mlp = nn.LayerNorm(D, eps=1e-6), Mlp()

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Conv2d(3, D, kernel_size=P, stride=P)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class ViT(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch_embed = PatchEmbed()
        self.cls_token = nn.Parameter(torch.randn(1, 1, D) * 0.02)
        self.pos_embed = nn.Parameter(torch.randn(1, 1 + (IMG // P) ** 2, D) * 0.02)
        self.blocks = nn.ModuleList([Block() for _ in range(DEPTH)])
        self.norm = nn.LayerNorm(D, eps=1e-6)

    def interpolate_pos_encoding(self, x, w, h):
        npatch, n = x.shape[1] - 1, self.pos_embed.shape[1] - 1
        if npatch == n and w == h:
            return self.pos_embed
        class_pos, patch_pos = self.pos_embed[:, 0], self.pos_embed[:, 1:]
        w0, h0 = w // P + 0.1, h // P + 0.1
        m = int(math.sqrt(n))
        patch_pos = F.interpolate(patch_pos.reshape(1, m, m, D).permute(0, 3, 1, 2),
                                  scale_factor=(w0 / m, h0 / m), mode="bicubic")
        patch_pos = patch_pos.permute(0, 2, 3, 1).view(1, -1, D)
        return torch.cat((class_pos.unsqueeze(0), patch_pos), dim=1)

    def forward(self, x):
        b, _, w, h = x.shape
        x = self.patch_embed(x)
        x = torch.cat((self.cls_token.expand(b, -1, -1), x), dim=1)
        x = x + self.interpolate_pos_encoding(x, w, h)
        for blk in self.blocks:
            x = blk(x)
        return self.norm(x)[:, 0]


class DINOHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(D, HIDDEN), nn.GELU(), nn.Linear(HIDDEN, HIDDEN), nn.GELU(),
                                 nn.Linear(HIDDEN, BOTTLENECK))
        self.last_layer = nn.Module()
        self.last_layer.weight_v = nn.Parameter(torch.randn(K, BOTTLENECK) * 0.3)

    def forward(self, x):
        x = F.normalize(self.mlp(x), dim=-1, p=2)
        v = self.last_layer.weight_v
        return x @ (v / v.norm(dim=1, keepdim=True)).t()   # weight_norm with weight_g == 1


class Model(nn.Module):
    """MultiCropWrapper: backbone per resolution group, head on the concatenation."""
    def __init__(self):
        super().__init__()
        self.backbone, self.head = ViT(), DINOHead()

    def forward(self, crops):
        groups = [torch.cat(crops[:2]), torch.cat(crops[2:])] if len(crops) > 2 else [torch.cat(crops)]
        return self.head(torch.cat([self.backbone(g) for g in groups]))


def dino_loss(student_output, teacher_output, center, ncrops):
    student_out = (student_output / STUDENT_T).chunk(ncrops)
    teacher_out = F.softmax((teacher_output - center) / TEACHER_T, dim=-1).detach().chunk(2)
    total, n = 0, 0
    for iq, q in enumerate(teacher_out):
        for v in range(len(student_out)):
            if v == iq:
                continue
            total = total + torch.sum(-q * F.log_softmax(student_out[v], dim=-1), dim=-1).mean()
            n += 1
    new_center = center * CENTER_M + teacher_output.sum(0, keepdim=True) / len(teacher_output) * (1 - CENTER_M)
    return total / n, new_center.detach()


def swift_name(name):
    return name.replace("backbone.", "").replace("head.", "head.", 1) if name.startswith("backbone.") else name


def main():
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    out = {}

    # 1. The loss alone on fixed outputs.
    so = torch.randn(4 * B, K, requires_grad=True)
    to = torch.randn(2 * B, K)
    center = torch.randn(1, K) * 0.1
    loss, new_center = dino_loss(so, to, center, 4)
    loss.backward()
    out.update({"loss.student_output": so.detach(), "loss.teacher_output": to, "loss.center_in": center,
                "loss.value": loss.detach().reshape(1), "loss.grad": so.grad, "loss.center_out": new_center})

    # 2. Three training steps on a tiny model.
    student = Model()
    for m in student.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=0.2)
            nn.init.normal_(m.bias, std=0.05)
        if isinstance(m, nn.LayerNorm):
            nn.init.normal_(m.weight, mean=1, std=0.1)
            nn.init.normal_(m.bias, std=0.05)
    teacher = Model()
    teacher.load_state_dict(student.state_dict())
    for p in teacher.parameters():
        p.requires_grad = False
    for name, p in student.named_parameters():
        out["init." + swift_name(name)] = p.detach().clone()

    regularized = [p for n, p in student.named_parameters() if not (n.endswith(".bias") or p.ndim == 1)]
    not_regularized = [p for n, p in student.named_parameters() if n.endswith(".bias") or p.ndim == 1]
    opt = torch.optim.AdamW([{"params": regularized}, {"params": not_regularized, "weight_decay": 0.0}])
    center = torch.zeros(1, K)
    for step in range(3):
        crops = [torch.randn(B, 3, GLOBAL, GLOBAL) for _ in range(2)] + [torch.randn(B, 3, LOCAL, LOCAL) for _ in range(NLOCAL)]
        for i, c in enumerate(crops):
            out[f"step{step}.crop{i}"] = c
        for i, g in enumerate(opt.param_groups):
            g["lr"] = LRS[step]
            if i == 0:
                g["weight_decay"] = WDS[step]
        teacher_output = teacher(crops[:2])
        student_output = student(crops)
        loss, center = dino_loss(student_output, teacher_output, center, len(crops))
        opt.zero_grad()
        loss.backward()
        for p in student.parameters():   # DINO's utils.clip_gradients: per parameter
            norm = p.grad.data.norm(2)
            coef = CLIP / (norm + 1e-6)
            if coef < 1:
                p.grad.data.mul_(coef)
        if step == 0:
            for name, p in student.named_parameters():
                out["grad0." + swift_name(name)] = p.grad.detach().clone()
        opt.step()
        with torch.no_grad():
            for ps, pt in zip(student.parameters(), teacher.parameters()):
                pt.data.mul_(MOMS[step]).add_((1 - MOMS[step]) * ps.detach().data)
        out[f"step{step}.loss"] = loss.detach().reshape(1)
        out[f"step{step}.center"] = center.clone()
    for name, p in student.named_parameters():
        out["final.student." + swift_name(name)] = p.detach().clone()
    for name, p in teacher.named_parameters():
        out["final.teacher." + swift_name(name)] = p.detach().clone()

    out = {k: v.contiguous().float() for k, v in out.items()}
    meta = {"generator_version": str(GENERATOR_VERSION), "torch": torch.__version__,
            "config": json.dumps({"patch": P, "dim": D, "depth": DEPTH, "heads": HEADS, "image": IMG,
                                  "hidden": HIDDEN, "bottleneck": BOTTLENECK, "out": K, "global": GLOBAL,
                                  "local": LOCAL, "locals": NLOCAL, "batch": B, "clip": CLIP,
                                  "lrs": LRS, "wds": WDS, "momenta": MOMS})}
    save_file(out, os.path.join(OUT, "dino_tiny.safetensors"), metadata=meta)
    print("wrote", len(out), "tensors; losses", [round(out[f"step{s}.loss"].item(), 6) for s in range(3)])


if __name__ == "__main__":
    main()
