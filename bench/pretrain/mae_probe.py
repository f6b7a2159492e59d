"""Experiment for issue 6: masked-autoencoder pretraining (MAE) of the nano ViT on object crops.

Why MAE: random ViT features already keep a patch's colour and texture, and self-distillation
(DINO, iBOT, dense DINO: `ibot_probe.py`, `dense_probe.py`) trades those for invariances these
591 images cannot teach. Scaling a random model's position embedding ×30 lifts the within-
category probe from 75 to 85: *where in the object* a patch lies is the cue random features miss.
Reconstructing hidden patches from visible ones needs exactly that, plus the shape around it.

PyTorch CPU, written for this question (not a copy of the MAE code): encoder = the nano ViT of
`vlpart pretrain --arch nano` on the visible 25 % of patches; a small decoder (mask tokens,
position embedding, `--dec-depth` blocks of width `--dec-dim`) predicts each hidden patch's
per-patch-normalised pixels. Saves the encoder in timm naming for `vlpart probe`:

    python bench/pretrain/mae_probe.py --data DATA --minutes 10 --out m.safetensors

With --steps N it stops after N steps and prints the training rate after the first step
("images/s R"), which bench/pretrain/mae_vs_pytorch.sh compares with `vlpart pretrain --objective mae`.

Environment: THREADS (torch threads, default 2)."""
import argparse, math, os, random, time
import timm, torch, torch.nn as nn, torch.nn.functional as F
import synth_crops
from PIL import Image
from safetensors.torch import save_file
from torchvision import transforms

p = argparse.ArgumentParser()
p.add_argument("--data", required=True, help="a `vlpart synth` output directory")
p.add_argument("--minutes", type=float, default=10)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--lr", type=float, default=1.5e-3)
p.add_argument("--mask", type=float, default=0.75)
p.add_argument("--dec-dim", type=int, default=64)
p.add_argument("--dec-depth", type=int, default=2)
p.add_argument("--scale", type=float, default=0.6)   # smallest crop area
p.add_argument("--scenes", action="store_true", help="train on whole scenes too")
p.add_argument("--steps", type=int, default=0, help="stop after this many steps and print images/s (benchmark)")
p.add_argument("--out", required=True)
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()
torch.set_num_threads(int(os.environ.get("THREADS", "2"))); torch.manual_seed(a.seed); random.seed(a.seed)

imgs = synth_crops.load(a.data, 80, scenes=a.scenes, scene_size=80)
if not a.steps: print(len(imgs), "training images", flush=True)
tf = transforms.Compose([transforms.RandomResizedCrop(64, scale=(a.scale, 1), ratio=(3 / 4, 4 / 3), interpolation=Image.BICUBIC),
                         transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])

enc = timm.models.vision_transformer.VisionTransformer(img_size=64, patch_size=8, embed_dim=96, depth=4, num_heads=3, num_classes=0)
G, D = 8, 96
class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(D, a.dec_dim)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, a.dec_dim))
        self.pos = nn.Parameter(torch.zeros(1, 1 + G * G, a.dec_dim)); nn.init.trunc_normal_(self.pos, std=0.02)
        nn.init.normal_(self.mask_token, std=0.02)
        self.blocks = nn.Sequential(*[timm.models.vision_transformer.Block(a.dec_dim, 4) for _ in range(a.dec_depth)])
        self.norm = nn.LayerNorm(a.dec_dim)
        self.pred = nn.Linear(a.dec_dim, 8 * 8 * 3)
    def forward(self, x, keep):
        # x: B, 1+V, D encoded (CLS + visible); keep: B, V indices of visible patches
        x = self.embed(x)
        B = x.shape[0]
        full = self.mask_token.expand(B, G * G, -1).clone()
        full.scatter_(1, keep.unsqueeze(-1).expand(-1, -1, a.dec_dim), x[:, 1:])
        full = torch.cat([x[:, :1], full], 1) + self.pos
        return self.pred(self.norm(self.blocks(full)))[:, 1:]  # B, 64, 192

dec = Decoder()
def encode(x, keep):
    t = enc.patch_embed(x) + enc.pos_embed[:, 1:]
    t = torch.gather(t, 1, keep.unsqueeze(-1).expand(-1, -1, D))
    cls = (enc.cls_token + enc.pos_embed[:, :1]).expand(t.shape[0], -1, -1)
    return enc.norm(enc.blocks(torch.cat([cls, t], 1)))

def patchify(x):  # B,3,64,64 -> B,64,192 (row-major patches, each p×p×3)
    B = x.shape[0]
    return x.reshape(B, 3, G, 8, G, 8).permute(0, 2, 4, 3, 5, 1).reshape(B, G * G, 192)

params = list(enc.parameters()) + list(dec.parameters())
opt = torch.optim.AdamW(params, lr=a.lr, betas=(0.9, 0.95), weight_decay=0.05)
t0 = time.time(); step = 0
V = int(round(G * G * (1 - a.mask)))
while True:
    el = time.time() - t0
    if a.steps and step == 1: t1 = time.time()
    if a.steps and step >= a.steps:
        print(f"images/s {(a.steps - 1) * a.batch / (time.time() - t1):.1f}", flush=True)
        raise SystemExit(0)
    if el > a.minutes * 60: break
    frac = el / (a.minutes * 60)
    lr = a.lr * min(1, frac / 0.1) * (0.5 * (1 + math.cos(math.pi * frac)) if frac > 0.1 else 1)
    for gp in opt.param_groups: gp["lr"] = lr
    x = torch.stack([tf(im) for im in random.sample(imgs, a.batch)])
    noise = torch.rand(a.batch, G * G)
    order = noise.argsort(1)
    keep = order[:, :V]
    hidden = torch.ones(a.batch, G * G); hidden.scatter_(1, keep, 0)
    pred = dec(encode(x, keep), keep)
    target = patchify(x)
    target = (target - target.mean(-1, keepdim=True)) / (target.var(-1, keepdim=True) + 1e-6).sqrt()
    loss = (((pred - target) ** 2).mean(-1) * hidden).sum() / hidden.sum()
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 300 == 0 and step > 0:
        save_file({k: v.contiguous() for k, v in enc.state_dict().items()}, a.out.replace(".safetensors", f"-{step}.safetensors"), metadata={"heads": "3"})
    if step % 50 == 0 and not a.steps:
        print(f"step {step} t {el:.0f}s lr {lr:.2e} loss {loss.item():.4f}", flush=True)
    step += 1
save_file({k: v.contiguous() for k, v in enc.state_dict().items()}, a.out, metadata={"heads": "3"})
print("saved", a.out, step, "steps", flush=True)
