#!/usr/bin/env python3
"""PyTorch side of bench/vit: writes random-weight DINO ViT-S/16 and ViT-S/8 checkpoints (real sizes,
timm/DINO naming) once, and times the same forward passes vlpart runs.

  pytorch_vit.py make DIR                          # writes DIR/vits16.safetensors, DIR/vits8.safetensors
  pytorch_vit.py time MODEL --batch B --stride S --seconds T --threads N [--bf16]
  pytorch_vit.py peak --threads N [--bf16]         # GEMM ceiling: GFLOP/s of a 2048³ matmul
Prints "images/s: X" like `vlpart bench features`.
"""
import argparse, os, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file, load_file


class Attention(nn.Module):
    """timm's Attention (fused path): qkv Linear, scaled_dot_product_attention, proj Linear."""
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4).unbind(0)
        return self.proj(F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(b, n, c))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(dim, hidden), nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1, self.attn = nn.LayerNorm(dim, eps=1e-6), Attention(dim, heads)
        self.norm2, self.mlp = nn.LayerNorm(dim, eps=1e-6), Mlp(dim, 4 * dim)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class VisionTransformer(nn.Module):
    """timm's VisionTransformer as DINO uses it (same state-dict names and forward), without timm:
    the bench needs only torch and safetensors."""
    def __init__(self, patch, dim=384, depth=12, heads=6, img_size=224):
        super().__init__()
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(3, dim, patch, patch)
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.pos_embed = nn.Parameter(torch.randn(1, 1 + (img_size // patch) ** 2, dim) * 0.02)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim, eps=1e-6)


def build(patch):
    return VisionTransformer(patch).eval()


def make(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    for patch in (16, 8):
        path = os.path.join(out, f"vits{patch}.safetensors")
        if not os.path.exists(path):
            save_file({k: v.contiguous() for k, v in build(patch).state_dict().items()}, path)
    print("models in", out)


def dino_forward(model, x, stride):
    """DINO / dino-vit-features forward: strided conv, +0.1 bicubic position resampling, blocks, norm."""
    conv = model.patch_embed.proj
    e = F.conv2d(x, conv.weight, conv.bias, stride=stride)
    gh, gw = e.shape[-2:]
    e = e.flatten(2).transpose(1, 2)
    pos = model.pos_embed
    M = int(round((pos.shape[1] - 1) ** 0.5))
    if not (gh * gw == M * M and x.shape[2] == x.shape[3]):
        grid = pos[:, 1:].reshape(1, M, M, -1).permute(0, 3, 1, 2)
        grid = F.interpolate(grid, scale_factor=((gh + 0.1) / M, (gw + 0.1) / M), mode="bicubic",
                             align_corners=False, recompute_scale_factor=False)
        pos = torch.cat([pos[:, :1], grid.permute(0, 2, 3, 1).reshape(1, gh * gw, -1)], dim=1)
    t = torch.cat([model.cls_token.expand(x.shape[0], -1, -1) + pos[:, :1], e + pos[:, 1:]], dim=1)
    for blk in model.blocks:
        t = blk(t)
    return model.norm(t)


def time_model(args):
    torch.set_num_threads(args.threads)
    sd = load_file(args.model)
    model = build(sd["patch_embed.proj.weight"].shape[-1])
    model.load_state_dict(sd)
    x = torch.randn(args.batch, 3, args.size, args.size)
    autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16)
    with torch.inference_mode(), autocast:
        dino_forward(model, x, args.stride)   # warm-up
        n, start = 0, time.perf_counter()
        while True:
            dino_forward(model, x, args.stride)
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= args.seconds:
                break
    print(f"images/s: {n * args.batch / elapsed:.3f}")
    print(f"batches: {n}, seconds: {elapsed:.2f}, threads: {torch.get_num_threads()}")


def gemm_peak(threads, seconds=3.0, dtype=torch.float32):
    """GFLOP/s of a 2048³ matmul (fp32 or bf16): the most arithmetic this machine does per second."""
    torch.set_num_threads(threads)
    a, b = torch.randn(2048, 2048, dtype=dtype), torch.randn(2048, 2048, dtype=dtype)
    for _ in range(2):
        a @ b
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        a @ b
        n += 1
    print(f"GFLOP/s: {2 * 2048 ** 3 * n / (time.perf_counter() - start) / 1e9:.1f}")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    elif sys.argv[1] == "peak":
        gemm_peak(int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2,
                  dtype=torch.bfloat16 if "--bf16" in sys.argv else torch.float32)
    else:
        p = argparse.ArgumentParser()
        p.add_argument("cmd"); p.add_argument("model")
        p.add_argument("--batch", type=int, default=8); p.add_argument("--size", type=int, default=224)
        p.add_argument("--stride", type=int, default=None); p.add_argument("--seconds", type=float, default=10)
        p.add_argument("--threads", type=int, default=2)
        p.add_argument("--bf16", action="store_true", help="run under torch.autocast(cpu, bfloat16)")
        a = p.parse_args()
        if a.stride is None:
            a.stride = load_file(a.model)["patch_embed.proj.weight"].shape[-1]
        time_model(a)
