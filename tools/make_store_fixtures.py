#!/usr/bin/env python3
"""Writes the Store fixtures: small COCO, PACO, PartImageNet and PASCAL-Part style files with
real polygons and RLE made by pycocotools, their images, class folders, and expected.json with
pycocotools' decoded-mask SHA-256s, areas, boxes and compressed counts.

Run: /work/venv/bin/python tools/make_store_fixtures.py   (writes Tests/Fixtures/store/)
"""
import hashlib
import json
import os
import shutil

import numpy as np
from PIL import Image
from pycocotools import mask as mu

GENERATOR_VERSION = 1
SEED = 20231
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "store")
rng = np.random.default_rng(SEED)


def write_image(rel, w, h, fmt):
    path = os.path.join(OUT, "images", rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pixels = rng.integers(0, 255, size=(h, w, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path, format=fmt, **({"quality": 80} if fmt == "JPEG" else {}))


def ellipse(w, h, cx, cy, rx, ry):
    yy, xx = np.mgrid[0:h, 0:w]
    return (((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2 <= 1).astype(np.uint8)


def rle_of(m):
    r = mu.encode(np.asfortranarray(m))
    r["counts"] = r["counts"].decode("ascii")
    return r


def polygon(cx, cy, r, n, jitter):
    pts = []
    for k in range(n):
        a = 2 * np.pi * k / n
        rr = r * (1 + jitter * (rng.random() - 0.5))
        pts += [round(float(cx + rr * np.cos(a)), 2), round(float(cy + rr * np.sin(a)), 2)]
    return pts


def expected_entry(ann, w, h):
    """What pycocotools makes of an annotation's segmentation."""
    seg = ann["segmentation"]
    if isinstance(seg, list):
        rle = mu.merge(mu.frPyObjects(seg, h, w))
    elif isinstance(seg["counts"], list):
        rle = mu.frPyObjects(seg, h, w)
    else:
        rle = {"size": seg["size"], "counts": seg["counts"].encode("ascii")}
    m = mu.decode(rle)
    return {
        "sha256": hashlib.sha256(np.ascontiguousarray(m).tobytes()).hexdigest(),
        "area": int(mu.area(rle)),
        "bbox": [float(v) for v in mu.toBbox(rle)],
        "counts": rle_of(m)["counts"],
    }


def coco():
    images = [(1, "coco/a.png", 48, 40), (2, "coco/b.png", 33, 21), (7, "coco/c.png", 64, 30)]
    anns = []
    for iid, _, w, h in images:
        write_image(_, w, h, "PNG")
    # polygon, two-polygon, compressed RLE, uncompressed counts (crowd)
    anns.append({"id": 10, "image_id": 1, "category_id": 1, "segmentation": [polygon(20, 18, 10, 9, 0.3)], "iscrowd": 0})
    anns.append({"id": 11, "image_id": 1, "category_id": 2,
                 "segmentation": [polygon(8, 8, 5, 6, 0.2), polygon(38, 30, 6, 7, 0.2)], "iscrowd": 0})
    anns.append({"id": 12, "image_id": 2, "category_id": 2, "segmentation": rle_of(ellipse(33, 21, 15, 10, 9, 6)), "iscrowd": 0})
    crowd = mu.frPyObjects({"size": [30, 64], "counts": [100, 40, 500, 60, 1220]}, 30, 64)
    anns.append({"id": 13, "image_id": 7, "category_id": 3, "segmentation": {"size": [30, 64], "counts": [100, 40, 500, 60, 1220]}, "iscrowd": 1})
    for a in anns:
        w, h = [(im[2], im[3]) for im in images if im[0] == a["image_id"]][0]
        e = expected_entry(a, w, h)
        a["area"] = e["area"]
        a["bbox"] = e["bbox"]
    # Annotations first: the importer must make a second pass for them.
    doc = {"annotations": anns,
           "info": {"description": "vlpart store fixture"},
           "categories": [{"id": 1, "name": "dog", "supercategory": "animal"},
                          {"id": 2, "name": "cat", "supercategory": "animal"},
                          {"id": 3, "name": "person", "supercategory": "person"}],
           "images": [{"id": i, "file_name": f, "width": w, "height": h} for i, f, w, h in images]}
    return doc, images


def paco():
    images = [(100, "paco/p1.png", 60, 45), (101, "paco/p2.png", 50, 50)]
    for _, f, w, h in images:
        write_image(f, w, h, "PNG")
    cats = [{"id": 1, "name": "car_(automobile)", "supercategory": "OBJECT"},
            {"id": 2, "name": "car_(automobile):wheel", "supercategory": "PART"},
            {"id": 3, "name": "car_(automobile):body", "supercategory": "PART"},
            {"id": 4, "name": "mug", "supercategory": "OBJECT"},
            {"id": 5, "name": "mug:handle", "supercategory": "PART"}]
    anns = [
        # a part listed before its object (linked after the pass)
        {"id": 203, "image_id": 100, "category_id": 2, "obj_ann_id": 201, "segmentation": [polygon(14, 34, 5, 8, 0.1)]},
        {"id": 201, "image_id": 100, "category_id": 1, "obj_ann_id": 201, "segmentation": [polygon(30, 24, 20, 12, 0.2)]},
        {"id": 202, "image_id": 100, "category_id": 3, "obj_ann_id": 201, "segmentation": rle_of(ellipse(60, 45, 30, 22, 16, 9))},
        {"id": 204, "image_id": 100, "category_id": 2, "obj_ann_id": 201, "segmentation": [polygon(46, 34, 5, 8, 0.1)]},
        {"id": 301, "image_id": 101, "category_id": 4, "obj_ann_id": 301, "segmentation": [polygon(22, 25, 14, 10, 0.25)]},
        {"id": 302, "image_id": 101, "category_id": 5, "obj_ann_id": 301, "segmentation": rle_of(ellipse(50, 50, 40, 25, 5, 8))},
    ]
    for a in anns:
        w, h = [(im[2], im[3]) for im in images if im[0] == a["image_id"]][0]
        e = expected_entry(a, w, h)
        a.update(area=e["area"], bbox=e["bbox"], iscrowd=0, attribute_ids=[1])
    doc = {"info": {"description": "PACO-style fixture"}, "licenses": [],
           "images": [{"id": i, "file_name": f, "width": w, "height": h, "neg_category_ids": []} for i, f, w, h in images],
           "categories": cats,
           "part_categories": [{"id": 1, "name": "wheel"}, {"id": 2, "name": "body"}, {"id": 3, "name": "handle"}],
           "attributes": [{"id": 1, "name": "red", "type": "color"}],
           "annotations": anns}
    return doc, images


def partimagenet():
    images = [(1, "partimagenet/n02085620/n02085620_1.JPEG", 56, 44), (2, "partimagenet/n01440764/n01440764_7.JPEG", 40, 40)]
    for _, f, w, h in images:
        write_image(f, w, h, "JPEG")
    cats = [{"id": 0, "name": "Quadruped Head", "supercategory": "Quadruped"},
            {"id": 1, "name": "Quadruped Body", "supercategory": "Quadruped"},
            {"id": 2, "name": "Quadruped Foot", "supercategory": "Quadruped"},
            {"id": 3, "name": "Fish Head", "supercategory": "Fish"},
            {"id": 4, "name": "Fish Tail", "supercategory": "Fish"}]
    anns = [
        {"id": 1, "image_id": 1, "category_id": 0, "segmentation": [polygon(12, 12, 7, 8, 0.2)]},
        {"id": 2, "image_id": 1, "category_id": 1, "segmentation": [polygon(30, 22, 14, 10, 0.15)]},
        {"id": 3, "image_id": 1, "category_id": 2, "segmentation": [polygon(22, 38, 4, 6, 0.1), polygon(40, 38, 4, 6, 0.1)]},
        {"id": 4, "image_id": 2, "category_id": 3, "segmentation": [polygon(12, 20, 7, 8, 0.2)]},
        {"id": 5, "image_id": 2, "category_id": 4, "segmentation": [polygon(32, 20, 6, 6, 0.2)]},
    ]
    objects = {}
    for a in anns:
        w, h = [(im[2], im[3]) for im in images if im[0] == a["image_id"]][0]
        e = expected_entry(a, w, h)
        a.update(area=e["area"], bbox=e["bbox"], iscrowd=0)
        sup = [c["supercategory"] for c in cats if c["id"] == a["category_id"]][0]
        objects.setdefault((a["image_id"], sup), []).append(mu.merge(mu.frPyObjects(a["segmentation"], h, w)))
    derived = []
    for (iid, sup), rles in sorted(objects.items()):
        u = mu.merge(rles)
        m = mu.decode(u)
        derived.append({"image_id": iid, "object": sup, "sha256": hashlib.sha256(np.ascontiguousarray(m).tobytes()).hexdigest(),
                        "area": int(mu.area(u)), "bbox": [float(v) for v in mu.toBbox(u)], "counts": rle_of(m)["counts"]})
    doc = {"images": [{"id": i, "file_name": f.split("/", 1)[1], "width": w, "height": h} for i, f, w, h in images],
           "categories": cats, "annotations": anns}
    return doc, images, derived


def pascal_part():
    images = [(5, "pascal/2008_000005.png", 50, 38)]
    for _, f, w, h in images:
        write_image(f, w, h, "PNG")
    cats = [{"id": 1, "name": "dog"}, {"id": 2, "name": "dog:head"}, {"id": 3, "name": "dog:torso"},
            {"id": 4, "name": "bus:license plate"}]
    anns = [
        {"id": 1, "image_id": 5, "category_id": 2, "segmentation": rle_of(ellipse(50, 38, 12, 12, 7, 6))},
        {"id": 2, "image_id": 5, "category_id": 3, "segmentation": rle_of(ellipse(50, 38, 30, 22, 14, 8))},
    ]
    for a in anns:
        e = expected_entry(a, 50, 38)
        a["bbox"] = e["bbox"]
        a["area"] = e["bbox"][2] * e["bbox"][3]      # box area, as pascal_part_mat2json writes it
        a["iscrowd"] = 0
    doc = {"images": [{"id": i, "file_name": f.split("/", 1)[1], "width": w, "height": h} for i, f, w, h in images],
           "categories": cats, "annotations": anns}
    return doc, images


def folders():
    for cls, n in [("n02085620", 2), ("n01440764", 1)]:
        for k in range(n):
            w, h = 24 + 8 * k, 20 + 4 * k
            path = os.path.join(OUT, "images", "classes", cls, f"{cls}_{k}.jpg")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            Image.fromarray(rng.integers(0, 255, size=(h, w, 3), dtype=np.uint8)).save(path, quality=80)
    with open(os.path.join(OUT, "class_map.txt"), "w") as f:
        f.write("# ImageNet synset → name\nn02085620 chihuahua\nn01440764 tench fish\n")


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    expected = {"generator_version": GENERATOR_VERSION, "seed": SEED, "files": {}}
    docs = {}
    d, imgs = coco(); docs["coco.json"] = (d, imgs)
    d, imgs = paco(); docs["paco.json"] = (d, imgs)
    d, imgs, derived = partimagenet(); docs["partimagenet.json"] = (d, imgs)
    d, imgs = pascal_part(); docs["pascal_part.json"] = (d, imgs)
    for name, (doc, imgs) in docs.items():
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(doc, f)
        sizes = {i: (w, h) for i, _, w, h in imgs}
        entries = {}
        for a in doc["annotations"]:
            e = expected_entry(a, *sizes[a["image_id"]])
            e["stated_area"] = a["area"]
            entries[str(a["id"])] = e
        expected["files"][name] = {"annotations": entries}
    expected["files"]["partimagenet.json"]["derived_objects"] = derived
    folders()
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
