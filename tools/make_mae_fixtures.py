#!/usr/bin/env python3
"""Golden fixture for vlpart's masked-autoencoder pretraining (Tests/Fixtures/pretrain/mae_tiny.safetensors).

A tiny MAE written here in PyTorch the way facebookresearch/mae's models_mae.py computes it
(encoder on the visible patches with the position embedding added before masking, CLS token
kept; decoder_embed, a shared mask token in the hidden places, a learned decoder position
embedding, pre-LN blocks with exact GELU, decoder_norm, decoder_pred; the loss on per-patch
normalised pixels over the hidden patches only), trained two steps with AdamW (betas 0.9/0.95,
weight decay on tensors of rank > 1). It records:

  init.encoder.* / init.decoder.*   initial parameters (vlpart's names)
  pixels, visible                    the batch (2 images of 16 px, patch 4) and its visible patches
  step0.loss, step1.loss             the loss before each update
  grad0.*                            every gradient at step 0
  final.*                            every parameter after the two steps

Run: /work/venv/bin/python tools/make_mae_fixtures.py   (torch 2.x, CPU)
"""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

GENERATOR_VERSION = 1
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "pretrain")
P, D, DEPTH, HEADS, IMG = 4, 16, 2, 2, 16
DD, DDEPTH, DHEADS = 8, 1, 2
G = IMG // P
B, VISIBLE = 2, 5
LRS, WD = [1e-3, 2e-3], 0.05


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(d, eps=1e-6)
        self.attn = nn.Module()
        self.attn.qkv, self.attn.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.norm2 = nn.LayerNorm(d, eps=1e-6)
        self.mlp = nn.Module()
        self.mlp.fc1, self.mlp.fc2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        for m in [self.attn.qkv, self.attn.proj, self.mlp.fc1, self.mlp.fc2]:
            nn.init.normal_(m.bias, std=0.05)   # non-zero biases so their gradients are checked too

    def forward(self, x):
        b, n, c = x.shape
        h = self.norm1(x)
        qkv = self.attn.qkv(h).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        a = ((q @ k.transpose(-2, -1)) * (c // self.heads) ** -0.5).softmax(dim=-1)
        x = x + self.attn.proj((a @ v).transpose(1, 2).reshape(b, n, c))
        return x + self.mlp.fc2(F.gelu(self.mlp.fc1(self.norm2(x))))


class MAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(3, D, kernel_size=P, stride=P)
        self.cls_token = nn.Parameter(torch.randn(1, 1, D) * 0.02)
        self.pos_embed = nn.Parameter(torch.randn(1, 1 + G * G, D) * 0.02)
        self.blocks = nn.ModuleList([Block(D, HEADS) for _ in range(DEPTH)])
        self.norm = nn.LayerNorm(D, eps=1e-6)
        self.decoder_embed = nn.Linear(D, DD)
        self.mask_token = nn.Parameter(torch.randn(1, 1, DD) * 0.02)
        self.decoder_pos_embed = nn.Parameter(torch.randn(1, 1 + G * G, DD) * 0.02)
        self.decoder_blocks = nn.ModuleList([Block(DD, DHEADS) for _ in range(DDEPTH)])
        self.decoder_norm = nn.LayerNorm(DD, eps=1e-6)
        self.decoder_pred = nn.Linear(DD, P * P * 3)

    def forward(self, pixels, keep):
        x = self.patch_embed.proj(pixels).flatten(2).transpose(1, 2) + self.pos_embed[:, 1:]
        x = torch.gather(x, 1, keep.unsqueeze(-1).expand(-1, -1, D))
        cls = (self.cls_token + self.pos_embed[:, :1]).expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], 1)
        for blk in self.blocks:
            x = blk(x)
        x = self.decoder_embed(self.norm(x))
        full = self.mask_token.expand(x.shape[0], G * G, -1).clone()
        full = full.scatter(1, keep.unsqueeze(-1).expand(-1, -1, DD), x[:, 1:])
        y = torch.cat([x[:, :1], full], 1) + self.decoder_pos_embed
        for blk in self.decoder_blocks:
            y = blk(y)
        return self.decoder_pred(self.decoder_norm(y))[:, 1:]


def targets(pixels):
    t = pixels.reshape(B, 3, G, P, G, P).permute(0, 2, 4, 1, 3, 5).reshape(B, G * G, 3 * P * P)
    return (t - t.mean(-1, keepdim=True)) / (t.var(-1, keepdim=True) + 1e-6).sqrt()


def swift_name(name):
    decoder = name.startswith(("decoder_", "mask_token"))
    return ("decoder." if decoder else "encoder.") + name


def main():
    torch.manual_seed(0)
    model = MAE()
    pixels = torch.randn(B, 3, IMG, IMG)
    keep = torch.stack([torch.randperm(G * G)[:VISIBLE].sort().values for _ in range(B)])
    hidden = torch.ones(B, G * G)
    hidden.scatter_(1, keep, 0)
    out = {"pixels": pixels.contiguous(), "visible": keep.float().contiguous()}
    for n, p in model.named_parameters():
        out["init." + swift_name(n)] = p.detach().clone().contiguous()
    decay = [p for p in model.parameters() if p.ndim > 1]
    rest = [p for p in model.parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WD}, {"params": rest, "weight_decay": 0.0}],
                            lr=LRS[0], betas=(0.9, 0.95), eps=1e-8)
    for s, lr in enumerate(LRS):
        for g in opt.param_groups:
            g["lr"] = lr
        pred = model(pixels, keep)
        loss = (((pred - targets(pixels)) ** 2).mean(-1) * hidden).sum() / hidden.sum()
        opt.zero_grad()
        loss.backward()
        out[f"step{s}.loss"] = loss.detach().reshape(1)
        if s == 0:
            for n, p in model.named_parameters():
                out["grad0." + swift_name(n)] = p.grad.detach().clone().contiguous()
        opt.step()
    for n, p in model.named_parameters():
        out["final." + swift_name(n)] = p.detach().clone().contiguous()
    # Conv weights are [D, 3, P, P] in both; every other name matches vlpart's one to one.
    os.makedirs(OUT, exist_ok=True)
    save_file(out, os.path.join(OUT, "mae_tiny.safetensors"), metadata={"generator_version": str(GENERATOR_VERSION)})
    print("wrote", os.path.join(OUT, "mae_tiny.safetensors"), f"loss {out['step0.loss'].item():.6f}")


if __name__ == "__main__":
    main()
