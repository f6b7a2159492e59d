#!/usr/bin/env python3
"""Writes a PACO-sized COCO instances file: N annotations (default 1,000,000) with compressed
RLE masks made by pycocotools, objects and parts linked by obj_ann_id, streamed to disk so the
generator itself stays small.

Usage: make_big_coco.py OUT.json [--annotations N] [--seed S]
"""
import argparse
import json

import numpy as np
from pycocotools import mask as mu

W, H = 640, 480
PER_IMAGE = 50          # 10 objects × (1 object + 4 parts)


def mask_bank(rng, n):
    """n distinct ellipse masks, compressed once and reused (generation stays fast)."""
    yy, xx = np.mgrid[0:H, 0:W]
    bank = []
    for _ in range(n):
        cx, cy = rng.uniform(40, W - 40), rng.uniform(40, H - 40)
        rx, ry = rng.uniform(8, 120), rng.uniform(8, 120)
        m = ((((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2) <= 1).astype(np.uint8)
        r = mu.encode(np.asfortranarray(m))
        bank.append((r["counts"].decode("ascii"), int(mu.area(r)), [float(v) for v in mu.toBbox(r)]))
    return bank


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--annotations", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    bank = mask_bank(rng, 512)
    n_images = (args.annotations + PER_IMAGE - 1) // PER_IMAGE
    objects = [f"object{i}" for i in range(75)]
    categories = []
    for i, o in enumerate(objects):
        categories.append({"id": 1 + i * 5, "name": o, "supercategory": "OBJECT"})
        for k, p in enumerate(["body", "handle", "lid", "base"]):
            categories.append({"id": 2 + i * 5 + k, "name": f"{o}:{p}", "supercategory": "PART"})
    with open(args.out, "w") as f:
        f.write('{"info": {"description": "bench"}, "categories": ')
        json.dump(categories, f)
        f.write(', "images": [')
        f.write(",".join(json.dumps({"id": i + 1, "file_name": f"{i + 1:012d}.jpg", "width": W, "height": H})
                         for i in range(n_images)))
        f.write('], "annotations": [\n')
        ann_id = 0
        picks = rng.integers(0, len(bank), size=args.annotations)
        cats = rng.integers(0, len(objects), size=args.annotations)
        parent = 0
        for n in range(args.annotations):
            ann_id += 1
            image = n // PER_IMAGE + 1
            counts, area, bbox = bank[picks[n]]
            if n % 5 == 0:
                parent = ann_id
                obj_cat = int(cats[n])
                category = 1 + obj_cat * 5
            else:
                category = 2 + obj_cat * 5 + (n % 5 - 1)
            ann = {"id": ann_id, "image_id": image, "category_id": category, "bbox": bbox, "area": area,
                   "iscrowd": 0, "obj_ann_id": parent, "segmentation": {"size": [H, W], "counts": counts}}
            f.write(("," if n else "") + json.dumps(ann) + "\n")
        f.write("]}\n")


if __name__ == "__main__":
    main()
