"""Golden AP50 values from pycocotools' COCOeval for random instance masks.

Writes Tests/Fixtures/segmenter/ap_cases.json: small images, ground-truth and predicted
masks (row-major 0/1 lists), and COCOeval's per-category AP at IoU 0.5 (area all, maxDets 100).
Run: /path/to/venv/bin/python tools/make_segmenter_fixtures.py
"""
import json
import os

import numpy as np
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

GENERATOR_VERSION = 1
SEED = 20261129
rng = np.random.default_rng(SEED)
H, W = 12, 16


def random_blob():
    m = np.zeros((H, W), np.uint8)
    y, x = rng.integers(0, H - 3), rng.integers(0, W - 3)
    h, w = rng.integers(2, H - y + 1), rng.integers(2, W - x + 1)
    m[y:y + h, x:x + w] = 1
    # Knock out a few pixels so shapes are not all rectangles.
    for _ in range(rng.integers(0, 6)):
        m[rng.integers(0, H), rng.integers(0, W)] = 0
    return m


def perturb(m):
    p = m.copy()
    shift = rng.integers(-2, 3, size=2)
    p = np.roll(p, shift, axis=(0, 1))
    return p


cases = []
for case in range(6):
    images = list(range(1, 4))
    gts, dts = [], []
    for img in images:
        for cat in (1, 2, 3):
            if cat == 3 and case % 2 == 0:
                continue  # a category absent from some cases' ground truth
            for _ in range(rng.integers(0, 3)):
                m = random_blob()
                if m.sum() == 0:
                    continue
                gts.append({"image": img, "category": cat, "mask": m})
                if rng.random() < 0.8:
                    dts.append({"image": img, "category": cat, "mask": perturb(m), "score": float(rng.random())})
            for _ in range(rng.integers(0, 2)):
                dts.append({"image": img, "category": cat, "mask": random_blob(), "score": float(rng.random())})
    gt_json = {"images": [{"id": i, "width": W, "height": H} for i in images],
               "categories": [{"id": c, "name": str(c)} for c in (1, 2, 3)], "annotations": []}
    for k, g in enumerate(gts):
        rle = mask_utils.encode(np.asfortranarray(g["mask"]))
        rle["counts"] = rle["counts"].decode()
        gt_json["annotations"].append({"id": k + 1, "image_id": g["image"], "category_id": g["category"],
                                       "segmentation": rle, "area": float(g["mask"].sum()),
                                       "bbox": list(mask_utils.toBbox(rle)), "iscrowd": 0})
    coco = COCO()
    coco.dataset = gt_json
    coco.createIndex()
    dt_list = []
    for d in dts:
        rle = mask_utils.encode(np.asfortranarray(d["mask"]))
        rle["counts"] = rle["counts"].decode()
        dt_list.append({"image_id": d["image"], "category_id": d["category"], "segmentation": rle,
                        "score": d["score"]})
    ap = {}
    if dt_list:
        coco_dt = coco.loadRes(dt_list)
        ev = COCOeval(coco, coco_dt, "segm")
        ev.params.iouThrs = np.array([0.5])
        ev.params.areaRng = [[0, 1e10]]
        ev.params.areaRngLbl = ["all"]
        ev.params.maxDets = [100]
        ev.evaluate()
        ev.accumulate()
        prec = ev.eval["precision"]  # [T, R, K, A, M]
        for ki, cat in enumerate(ev.params.catIds):
            p = prec[0, :, ki, 0, 0]
            if (p > -1).any():
                ap[str(cat)] = float(np.mean(p[p > -1]))
    cases.append({
        "height": H, "width": W,
        "groundTruth": [{"image": g["image"], "category": g["category"], "mask": g["mask"].flatten().tolist()} for g in gts],
        "predictions": [{"image": d["image"], "category": d["category"], "score": d["score"],
                         "mask": d["mask"].flatten().tolist()} for d in dts],
        "ap50": ap,
    })

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "segmenter", "ap_cases.json")
with open(out, "w") as f:
    json.dump({"generator_version": GENERATOR_VERSION, "seed": SEED, "tolerance": 1e-9, "cases": cases}, f)
print("wrote", out)
