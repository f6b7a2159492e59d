"""A PyTorch replica of vlpart's segmenter head and training (Sources/Segmenter), for trying
head designs in minutes: same targets (majority class per patch, -1 = object without part),
same loss, class balancing, AdamW + one-cycle cosine, clipping 3, logit scale 30; scored as
`vlpart eval seg` scores (bilinear logits at image size, parts only where an object is
predicted, mIoU over base and novel parts of the full vocabulary). With --blocks 1 --mix 1 it
reproduced the Swift head's 9.0 base mIoU exactly; the sweep that chose 3 blocks is in
bench/segmenter/README.md.

    python seg.py --train train.npy --test test.npy --names names.json --emb emb.npy \
        [--evalnames evalnames.json] [--parsed parsed.npy --pw 1] [--blocks 3] [--epochs 15] ...

names.json lists every class name, emb.npy their rows from `vlpart text embed --categories`;
evalnames.json (default: names.json) is the evaluation vocabulary.
"""
import json, math, sys, argparse, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
p = argparse.ArgumentParser()
p.add_argument('--epochs', type=int, default=15); p.add_argument('--lr', type=float, default=3e-3)
p.add_argument('--batch', type=int, default=2); p.add_argument('--hidden', type=int, default=256)
p.add_argument('--rgb', type=int, default=0)       # 0 none, 1 mean colour per cell, 2 mean+std, 3 raw 4x4 pixels
p.add_argument('--blocks', type=int, default=1); p.add_argument('--k', type=int, default=3)
p.add_argument('--scale', type=float, default=30); p.add_argument('--balance', type=float, default=0.5)
p.add_argument('--nofeat', type=int, default=0); p.add_argument('--wd', type=float, default=1e-4)
p.add_argument('--parsed', default=''); p.add_argument('--pw', type=float, default=0.1)
p.add_argument('--mix', type=int, default=1); p.add_argument('--train', default='train.npy'); p.add_argument('--test', default='test.npy')
p.add_argument('--names', default='names.json'); p.add_argument('--emb', default='emb.npy'); p.add_argument('--evalnames', default=''); p.add_argument('--seed', type=int, default=0); p.add_argument('--pixel', type=int, default=0)
a = p.parse_args(); torch.manual_seed(a.seed); torch.set_num_threads(1)
names = json.load(open(a.names)); emb = torch.tensor(np.load(a.emb))
tr = np.load(a.train, allow_pickle=True).item(); te = np.load(a.test, allow_pickle=True).item()
novel_objs = {'dog', 'sparrow', 'bus', 'jar'}
def to_int(m):
    out = np.zeros(m.shape, np.int64)
    for v in set(m.ravel().tolist()) - {0}: out[m == v] = names.index(v) + 1
    return out
for d in (tr, te):
    d['omap'] = [to_int(m) for m in d['omap']]; d['pmap'] = [to_int(m) for m in d['pmap']]
evaln = json.load(open(a.evalnames or a.names))
objn = [n for n in evaln if ':' not in n]; partn = [n for n in evaln if ':' in n]
def vocab(ns): return F.normalize(emb[[names.index(n) for n in ns]], dim=1)

def grid_rgb(img, gh, gw):
    x = torch.tensor(img).permute(2, 0, 1)[None].float() / 255
    if a.rgb == 0: return None
    m = F.adaptive_avg_pool2d(x, (gh, gw))
    if a.rgb == 1: return m[0]
    s = (F.adaptive_avg_pool2d(x * x, (gh, gw)) - m * m).clamp(min=0).sqrt()
    if a.rgb == 2: return torch.cat([m, s], 1)[0]
    r = F.interpolate(x, size=(gh * 4, gw * 4), mode='area')       # 4x4 pixels per cell
    return F.pixel_unshuffle(r, 4)[0]

def tensors(d, i):
    f = torch.tensor(d['feats'][i]).permute(2, 0, 1)   # d,gh,gw
    gh, gw = f.shape[1:]
    if a.nofeat: f = f[:0]
    g = grid_rgb(d['rgb'][i], gh, gw)
    return torch.cat([f, g], 0) if g is not None else f

def target_grid(lab, gh, gw, idx):
    H, W = lab.shape; out = np.zeros((gh, gw), np.int64)
    for r in range(gh):
        y0, y1 = r * H // gh, max(r * H // gh + 1, (r + 1) * H // gh)
        for c in range(gw):
            x0, x1 = c * W // gw, max(c * W // gw + 1, (c + 1) * W // gw)
            vals, counts = np.unique(lab[y0:y1, x0:x1], return_counts=True)
            out[r, c] = idx(vals[np.argmax(counts)])
    return out

# training vocab = what the training labels use
train_objs = sorted({names[v - 1] for m in tr['omap'] for v in np.unique(m) if v != 0})
train_parts = sorted({names[v - 1] for m in tr['pmap'] for v in np.unique(m) if v != 0})
parsed = None
if a.parsed:
    parsed = np.load(a.parsed, allow_pickle=True).item()
    parsed['omap'] = [to_int(m) for m in parsed['omap']]; parsed['pmap'] = [to_int(m) for m in parsed['pmap']]
    train_objs = sorted(set(train_objs) | {names[v - 1] for m in parsed['omap'] for v in np.unique(m) if v != 0})
    train_parts = sorted(set(train_parts) | {names[v - 1] for m in parsed['pmap'] for v in np.unique(m) if v != 0})
oi = {names.index(n) + 1: k + 1 for k, n in enumerate(train_objs)}; pi = {names.index(n) + 1: k + 1 for k, n in enumerate(train_parts)}
samples = []
sets = [(tr, i, 1.0) for i in range(len(tr['ids']))]
if parsed is not None: sets += [(parsed, i, a.pw) for i in range(len(parsed['ids'])) if parsed['pmap'][i].any()]
for d, i, pw in sets:
    x = tensors(d, i); gh, gw = x.shape[1:]
    om, pm = d['omap'][i], d['pmap'][i]
    wmap = np.where(pm != 0, pw, 1.0).astype(np.float32)
    pm2 = np.where((om != 0) & (pm == 0), -1, pm)
    yo = target_grid(om, gh, gw, lambda v: oi.get(v, 0) if v != 0 else 0)
    yp = target_grid(pm2, gh, gw, lambda v: -1 if v == -1 else (pi[v] if v != 0 else 0))
    wg = torch.tensor(F.adaptive_avg_pool2d(torch.tensor(wmap)[None, None], (gh, gw))[0, 0].numpy())
    samples.append((x, torch.tensor(yo), torch.tensor(yp), wg))
# balance
freq = torch.zeros(len(train_parts) + 1)
for _, _, yp, _ in samples:
    for c in yp[yp >= 0].flatten(): freq[c] += 1
fac = torch.where(freq > 0, freq.clamp(min=1) ** (-a.balance), torch.zeros(1))
ind = samples[0][0].shape[0]
print('input', ind, 'train', len(samples), 'objs', len(train_objs), 'parts', len(train_parts), file=sys.stderr)

class Head(nn.Module):
    def __init__(s, d, h, e=384):
        super().__init__()
        s.fc1 = nn.Conv2d(d, h, 1)
        s.dws = nn.ModuleList([nn.Conv2d(h, h, a.k, padding=a.k // 2 * (2 ** b), dilation=2 ** b, groups=h) for b in range(a.blocks)])
        s.mix = nn.ModuleList([nn.Conv2d(h, h, 1) for b in range(a.blocks - 1)])
        s.obj = nn.Conv2d(h, e, 1); s.part = nn.Conv2d(h, e, 1)
        s.bgo = nn.Parameter(torch.randn(e)); s.bgp = nn.Parameter(torch.randn(e))
        s.ls = nn.Parameter(torch.tensor(math.log(a.scale)))
    def forward(s, x):
        b = F.gelu(s.fc1(x))
        for k, dw in enumerate(s.dws):
            b = b + dw(b)
            if k < len(s.mix) and a.mix: b = b + F.gelu(s.mix[k](b))
        return F.normalize(s.obj(b), dim=1), F.normalize(s.part(b), dim=1)
    def logits(s, u, table, bg):
        t = torch.cat([F.normalize(bg, dim=0)[None], table], 0)
        return s.ls.exp() * torch.einsum('bchw,kc->bkhw', u, t)

head = Head(ind, a.hidden)
VO, VP = vocab(train_objs), vocab(train_parts)
decay = [q for q in head.parameters() if q.ndim > 1]; rest = [q for q in head.parameters() if q.ndim <= 1]
opt = torch.optim.AdamW([{'params': decay, 'weight_decay': a.wd}, {'params': rest, 'weight_decay': 0}], lr=a.lr)
steps = a.epochs * math.ceil(len(samples) / a.batch)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps, pct_start=min(0.1, 20 / steps), anneal_strategy='cos')
for ep in range(a.epochs):
    perm = torch.randperm(len(samples)); tot = 0
    for s0 in range(0, len(samples), a.batch):
        opt.zero_grad(); loss = 0
        for j in perm[s0:s0 + a.batch]:
            x, yo, yp, wg = samples[j]
            uo, up = head(x[None])
            lo = F.cross_entropy(head.logits(uo, VO, head.bgo), yo[None], reduction='none')[0]
            lp = F.cross_entropy(head.logits(up, VP, head.bgp), yp.clamp(min=0)[None], reduction='none')[0]
            wpart = wg * fac[yp.clamp(min=0)] * (yp >= 0)
            loss = loss + (lo * wg).sum() / wg.sum() + (lp * wpart).sum() / wpart.sum().clamp(min=1e-6)
        (loss / a.batch).backward(); torch.nn.utils.clip_grad_norm_(head.parameters(), 3); opt.step(); sched.step(); tot += loss.item()
    print(f'epoch {ep} loss {tot / len(samples):.3f}', file=sys.stderr)

# evaluate: full vocabulary, pixel level at image size
EO, EP = vocab(objn), vocab(partn)
inter = np.zeros(len(partn) + 1); union = np.zeros(len(partn) + 1); present = np.zeros(len(partn) + 1, bool)
with torch.no_grad():
    for i in range(len(te['ids'])):
        x = tensors(te, i); H, W = te['pmap'][i].shape
        uo, up = head(x[None])
        lo = F.interpolate(head.logits(uo, EO, head.bgo), size=(H, W), mode='bilinear', align_corners=False)[0].argmax(0).numpy()
        lp = F.interpolate(head.logits(up, EP, head.bgp), size=(H, W), mode='bilinear', align_corners=False)[0].argmax(0).numpy()
        lp[lo == 0] = 0
        lut = np.zeros(len(names) + 1, np.int64)
        for k, n in enumerate(partn): lut[names.index(n) + 1] = k + 1
        gt = lut[te['pmap'][i]]
        for c in np.union1d(np.unique(gt), np.unique(lp)):
            g, q = gt == c, lp == c
            inter[c] += (g & q).sum(); union[c] += (g | q).sum(); present[c] |= g.any()
iou = inter / np.maximum(union, 1)
base = [k + 1 for k, n in enumerate(partn) if n.split(':')[0] not in novel_objs and present[k + 1]]
nov = [k + 1 for k, n in enumerate(partn) if n.split(':')[0] in novel_objs and present[k + 1]]
print(f'RESULT {" ".join(sys.argv[1:])}: base mIoU {100 * iou[base].mean():.1f} novel mIoU {100 * iou[nov].mean():.1f}')
