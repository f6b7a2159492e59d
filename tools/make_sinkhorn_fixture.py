"""Reference for DINOLoss.sinkhornTargets: DINOv2's Sinkhorn-Knopp teacher
(dinov2/loss/dino_clstoken_loss.py, sinkhorn_knopp_teacher, single process), written from its
published formula. Writes Tests/Fixtures/pretrain/sinkhorn.json (small: 6 rows x 5 prototypes).
Usage: python tools/make_sinkhorn_fixture.py  (needs torch)"""
import json, pathlib, torch

torch.manual_seed(0)
teacher = torch.randn(6, 5) * 0.7
temp, iterations = 0.07, 3

q = torch.exp(teacher / temp).t()          # K x B
b, k = q.shape[1], q.shape[0]
q /= q.sum()
for _ in range(iterations):
    q /= q.sum(dim=1, keepdim=True); q /= k
    q /= q.sum(dim=0, keepdim=True); q /= b
q *= b
out = {"teacher": teacher.flatten().tolist(), "rows": 6, "k": 5, "temperature": temp,
       "iterations": iterations, "targets": q.t().flatten().tolist()}
path = pathlib.Path(__file__).resolve().parent.parent / "Tests/Fixtures/pretrain/sinkhorn.json"
path.write_text(json.dumps(out, indent=1))
print("wrote", path)
