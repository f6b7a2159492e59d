#!/usr/bin/env python3
"""Writes Tests/Fixtures/features/: a tiny DINO ViT (random weights) in three files — timm/DINO naming
as safetensors, HuggingFace ViTModel naming (model.safetensors + config.json), and a torch.save .pth —
plus a DINOv2-style tiny model with LayerScale and 4 registers, an input tensor, and the expected
outputs of the reference forward pass at several (layer, stride) settings.

The reference forward is DINO's `vision_transformer.py` path (conv patch embedding with the stride
changed as dino-vit-features does, `interpolate_pos_encoding` with scale_factor (g+0.1)/M,
recompute_scale_factor=False) run on timm's Block modules; DINOv2 with registers resamples with
`size` and antialias=True. Facets are taken from the block's qkv output as dino-vit-features hooks it.

Run: /work/venv/bin/python tools/make_vit_fixtures.py
"""
import collections, io, json, os, pickle, struct, zipfile
import numpy as np
import torch
import torch.nn.functional as F
import timm
from safetensors.torch import save_file

VERSION = 1
SEED = 0
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "features")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(SEED)
torch.set_grad_enabled(False)


def randomize(model, registers=0):
    """Random weights with non-trivial scale (timm's init leaves pos_embed and LN almost constant)."""
    for name, p in model.named_parameters():
        if name.endswith("norm1.weight") or name.endswith("norm2.weight") or name == "norm.weight":
            p.copy_(1 + 0.2 * torch.randn_like(p))
        elif "gamma" in name:
            p.copy_(0.5 + 0.3 * torch.randn_like(p))
        elif name in ("pos_embed", "cls_token"):
            p.copy_(0.8 * torch.randn_like(p))
        else:
            p.copy_(torch.randn_like(p) * (1.0 / max(p.shape[-1], 1) ** 0.5 if p.ndim > 1 else 0.1))


def tiny(patch, dim, depth, heads, img, layerscale=False):
    m = timm.models.vision_transformer.VisionTransformer(
        img_size=img, patch_size=patch, embed_dim=dim, depth=depth, num_heads=heads, mlp_ratio=4,
        qkv_bias=True, num_classes=0, init_values=1.0 if layerscale else None, global_pool="token")
    randomize(m)
    return m.eval()


def interpolate_pos(pos, M, gh, gw, H, W, mode):
    if gh * gw == M * M and H == W:
        return pos
    D = pos.shape[-1]
    grid = pos[:, 1:].reshape(1, M, M, D).permute(0, 3, 1, 2)
    if mode == "dino":
        grid = F.interpolate(grid, scale_factor=((gh + 0.1) / M, (gw + 0.1) / M), mode="bicubic",
                             align_corners=False, recompute_scale_factor=False)
    else:
        grid = F.interpolate(grid, size=(gh, gw), mode="bicubic", antialias=True, align_corners=False)
    assert tuple(grid.shape[-2:]) == (gh, gw)
    return torch.cat([pos[:, :1], grid.permute(0, 2, 3, 1).reshape(1, gh * gw, D)], dim=1)


def reference(model, x, stride, layer, mode="dino", registers=None, sal_heads=None):
    conv = model.patch_embed.proj
    p = conv.weight.shape[-1]
    e = F.conv2d(x, conv.weight, conv.bias, stride=stride)
    gh, gw = e.shape[-2:]
    e = e.flatten(2).transpose(1, 2)
    M = int(round((model.pos_embed.shape[1] - 1) ** 0.5))
    pos = interpolate_pos(model.pos_embed, M, gh, gw, x.shape[2], x.shape[3], mode)
    parts = [model.cls_token + pos[:, :1]]
    R = 0
    if registers is not None:
        parts.append(registers)
        R = registers.shape[1]
    parts.append(e + pos[:, 1:])
    t = torch.cat(parts, dim=1)
    captured = {}
    blk = model.blocks[layer]
    h = blk.attn.qkv.register_forward_hook(lambda mod, i, o: captured.__setitem__("qkv", o))
    for i in range(layer + 1):
        t = model.blocks[i](t)
    h.remove()
    B, N, D = t.shape
    heads = blk.attn.num_heads
    hd = D // heads
    qkv = captured["qkv"].reshape(B, N, 3, heads, hd).permute(2, 0, 3, 1, 4)
    q, k, v = qkv[0], qkv[1], qkv[2]
    attn = ((q @ k.transpose(-2, -1)) * hd ** -0.5).softmax(dim=-1)
    facet = lambda z: z[0, :, 1 + R:, :].permute(1, 0, 2).reshape(N - 1 - R, heads * hd)  # head-major
    heads_list = sal_heads if sal_heads is not None else list(range(heads))
    s = attn[0, heads_list, 0, 1 + R:].mean(0)
    s = (s - s.min()) / (s.max() - s.min())
    out = {
        "token": t[0, 1 + R:], "query": facet(q), "key": facet(k), "value": facet(v), "attn": attn[0],
        "cls": t[0, 0], "saliency": s.reshape(gh, gw),
    }
    if layer == len(model.blocks) - 1:
        out["final_cls"] = model.norm(t)[0, 0]
    return out, (gh, gw)


def save(name, t):
    np.save(os.path.join(OUT, name), np.ascontiguousarray(t.detach().numpy().astype(np.float32)))


manifest = {"generator": "tools/make_vit_fixtures.py", "version": VERSION, "seed": SEED, "torch": torch.__version__,
            "timm": timm.__version__, "tolerance": "max|d| <= 1e-4 * max|ref| per array", "cases": []}

# ---- tiny DINO ViT: dim 32, depth 2, heads 2, patch 8, table 4x4 (img 32) ----
dino = tiny(patch=8, dim=32, depth=2, heads=2, img=32)
sd = {k: v.contiguous() for k, v in dino.state_dict().items()}
save_file(sd, os.path.join(OUT, "dino_tiny.safetensors"), metadata={"format": "pt"})
torch.save(collections.OrderedDict(("module." + k, v) for k, v in sd.items()), os.path.join(OUT, "dino_tiny.pth"))
# HF ViTModel naming (classic keys, as on the Hub) with a config.json.
D = 32
hf = {"embeddings.cls_token": sd["cls_token"], "embeddings.position_embeddings": sd["pos_embed"],
      "embeddings.patch_embeddings.projection.weight": sd["patch_embed.proj.weight"],
      "embeddings.patch_embeddings.projection.bias": sd["patch_embed.proj.bias"],
      "layernorm.weight": sd["norm.weight"], "layernorm.bias": sd["norm.bias"]}
for i in range(2):
    b, e = f"blocks.{i}.", f"encoder.layer.{i}."
    for j, n in enumerate(["query", "key", "value"]):
        hf[e + f"attention.attention.{n}.weight"] = sd[b + "attn.qkv.weight"][j * D:(j + 1) * D].clone()
        hf[e + f"attention.attention.{n}.bias"] = sd[b + "attn.qkv.bias"][j * D:(j + 1) * D].clone()
    pairs = [("layernorm_before", "norm1"), ("layernorm_after", "norm2"), ("attention.output.dense", "attn.proj"),
             ("intermediate.dense", "mlp.fc1"), ("output.dense", "mlp.fc2")]
    for hn, tn in pairs:
        for f in ("weight", "bias"):
            hf[e + hn + "." + f] = sd[b + tn + "." + f]
os.makedirs(os.path.join(OUT, "dino_tiny_hf"), exist_ok=True)
save_file(hf, os.path.join(OUT, "dino_tiny_hf", "model.safetensors"), metadata={"format": "pt"})
json.dump({"architectures": ["ViTModel"], "model_type": "vit", "hidden_size": 32, "num_hidden_layers": 2,
           "num_attention_heads": 2, "intermediate_size": 128, "hidden_act": "gelu", "layer_norm_eps": 1e-6,
           "image_size": 32, "patch_size": 8, "num_channels": 3, "qkv_bias": True},
          open(os.path.join(OUT, "dino_tiny_hf", "config.json"), "w"), indent=1)

x = torch.randn(1, 3, 40, 56)       # non-square, already "normalised"
save("input_40x56.npy", x)
xs = torch.randn(1, 3, 32, 32)      # native square size: the position table is used untouched
save("input_32x32.npy", xs)
for (inp, tag, layer, stride) in [(x, "40x56", 1, 8), (x, "40x56", 0, 4), (x, "40x56", 1, 4), (xs, "32x32", 1, 8)]:
    out, grid = reference(dino, inp, stride, layer, sal_heads=[1] if layer == 0 else None)
    case = f"dino_{tag}_L{layer}_s{stride}"
    for k, v in out.items():
        save(f"{case}_{k}.npy", v)
    manifest["cases"].append({"name": case, "model": "dino_tiny", "input": f"input_{tag}.npy", "layer": layer,
                              "stride": stride, "grid": list(grid), "saliency_heads": [1] if layer == 0 else [0, 1],
                              "outputs": sorted(out.keys())})

# ---- tiny DINOv2 with LayerScale and 4 registers: patch 14, table 4x4 (img 56) ----
v2 = tiny(patch=14, dim=32, depth=2, heads=2, img=56, layerscale=True)
registers = 0.8 * torch.randn(1, 4, 32)
sd2 = collections.OrderedDict((k, v.contiguous()) for k, v in v2.state_dict().items())
sd2["register_tokens"] = registers
sd2["mask_token"] = torch.zeros(1, 32)           # training-only, must be ignored
torch.save(sd2, os.path.join(OUT, "dinov2_reg_tiny.pth"))
x2 = torch.randn(1, 3, 42, 70)
save("input_42x70.npy", x2)
x2s = torch.randn(1, 3, 56, 56)
save("input_56x56.npy", x2s)
for (inp, tag) in [(x2, "42x70"), (x2s, "56x56")]:
    out, grid = reference(v2, inp, 14, 1, mode="aa", registers=registers)
    case = f"dinov2reg_{tag}_L1_s14"
    for k, v in out.items():
        save(f"{case}_{k}.npy", v)
    manifest["cases"].append({"name": case, "model": "dinov2_reg_tiny", "input": f"input_{tag}.npy", "layer": 1,
                              "stride": 14, "grid": list(grid), "saliency_heads": [0, 1], "outputs": sorted(out.keys())})

# ---- malformed checkpoints ----
raw = open(os.path.join(OUT, "dino_tiny.safetensors"), "rb").read()
open(os.path.join(OUT, "truncated.safetensors"), "wb").write(raw[:len(raw) - 100])
bad = dict(sd); bad["blocks.1.mlp.fc1.weight"] = bad["blocks.1.mlp.fc1.weight"][:, :16].contiguous()
save_file(bad, os.path.join(OUT, "wrong_shape.safetensors"))
missing = {k: v for k, v in sd.items() if not k.startswith("blocks.1.attn")}
save_file(missing, os.path.join(OUT, "missing_keys.safetensors"))
extra = dict(sd); extra["blocks.0.attn.surprise"] = torch.zeros(3)
save_file(extra, os.path.join(OUT, "unused_key.safetensors"))

class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > /tmp/vlpart_pwned",))
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
    z.writestr("dino_evil/data.pkl", pickle.dumps(collections.OrderedDict(cls_token=Evil()), protocol=2))
    z.writestr("dino_evil/version", "3\n")
open(os.path.join(OUT, "foreign_global.pth"), "wb").write(buf.getvalue())

# ---- preprocessing: PIL bicubic short-side resize (torchvision Resize(int) size rule), ImageNet mean/std ----
from PIL import Image
yy, xx = np.mgrid[0:37, 0:53]
rgb = np.stack([(xx * 4.8) % 256, (yy * 6.9) % 256, ((xx + yy) * 2.5) % 256], -1)
rgb = np.clip(rgb + np.random.default_rng(1).integers(-20, 20, rgb.shape), 0, 255).astype(np.uint8)
Image.fromarray(rgb).save(os.path.join(OUT, "photo_53x37.png"))
short, size = 37, 24
w, h = int(size * 53 / short), size
resized = np.asarray(Image.fromarray(rgb).resize((w, h), Image.BICUBIC)).astype(np.float32) / 255
mean, std = np.array([0.485, 0.456, 0.406], np.float32), np.array([0.229, 0.224, 0.225], np.float32)
np.save(os.path.join(OUT, "photo_53x37_size24.npy"), ((resized - mean) / std).transpose(2, 0, 1)[None].astype(np.float32))

json.dump(manifest, open(os.path.join(OUT, "manifest.json"), "w"), indent=1)
print("wrote", OUT)
