#!/usr/bin/env python3
"""Golden COCO RLE fixtures for Tests/ImagingTests, made with pycocotools.

Writes Tests/Fixtures/masks/{manifest,masks,polygons,merges}.json. Masks are stored as
row-major bit strings ("0101…", width*height characters) so the Swift side can compare its
own encoder, decoder, area, toBbox and string coding exactly.

Run: /work/venv/bin/python tools/make_mask_fixtures.py
"""
import json
import os

import numpy as np
import pycocotools
from pycocotools import _mask
from pycocotools import mask as mu

SEED = 20231
GENERATOR_VERSION = 1
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "masks")


def bits(m):
    return "".join("1" if v else "0" for v in np.asarray(m, dtype=np.uint8).reshape(-1))


def encode(m):
    return mu.encode(np.asfortranarray(m.astype(np.uint8)))


def describe(m, name):
    r = encode(m)
    return {
        "name": name,
        "width": int(m.shape[1]),
        "height": int(m.shape[0]),
        "bits": bits(m),
        "counts": r["counts"].decode("ascii"),
        "uncompressed": uncompressed(m),
        "area": int(mu.area(r)),
        "bbox": [float(v) for v in mu.toBbox(r)],
    }


def uncompressed(m):
    flat = np.asarray(m, dtype=np.uint8).reshape(-1, order="F")
    counts, prev, run = [], 0, 0
    for v in flat:
        if v != prev:
            counts.append(run)
            run, prev = 0, v
        run += 1
    counts.append(run)
    return counts


def blob(rng, h, w):
    """Smooth random shapes: thresholded noise plus a few rectangles and ellipses."""
    m = np.zeros((h, w), dtype=np.uint8)
    for _ in range(rng.integers(1, 4)):
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        ry, rx = rng.uniform(1, max(h / 2, 1.5)), rng.uniform(1, max(w / 2, 1.5))
        yy, xx = np.mgrid[0:h, 0:w]
        m |= (((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1).astype(np.uint8)
    return m


def make_masks(rng):
    out = []
    for h, w in [(1, 1), (1, 7), (7, 1)]:
        out.append(describe(np.zeros((h, w), np.uint8), f"empty-{h}x{w}"))
        out.append(describe(np.ones((h, w), np.uint8), f"full-{h}x{w}"))
    out.append(describe(np.zeros((13, 17), np.uint8), "empty-13x17"))
    out.append(describe(np.ones((13, 17), np.uint8), "full-13x17"))
    single = np.zeros((9, 11), np.uint8); single[4, 6] = 1
    out.append(describe(single, "single-pixel"))
    corner = np.zeros((9, 11), np.uint8); corner[0, 0] = 1; corner[8, 10] = 1
    out.append(describe(corner, "two-corners"))
    for i, (h, w) in enumerate([(5, 5), (16, 16), (31, 23), (40, 64), (64, 40), (97, 120)]):
        out.append(describe((rng.random((h, w)) < rng.uniform(0.05, 0.95)).astype(np.uint8), f"noise-{i}-{h}x{w}"))
        out.append(describe(blob(rng, h, w), f"blob-{i}-{h}x{w}"))
    # Long runs exercise multi-chunk counts and large negative deltas in the string coding.
    big = np.zeros((300, 400), np.uint8); big[10:290, 5:395] = 1; big[100:120, :] = 0; big[0, 399] = 1
    out.append(describe(big, "large-runs-300x400"))
    return out


def poly_case(name, polys, h, w):
    if len(polys[0]) == 4:
        # frPyObjects would read a first entry of four numbers as a box (older pycocotools) or
        # raise TypeError (2.0.11); rasterise each entry as a polygon with frPoly instead.
        rles = _mask.frPoly(polys, h, w)
    else:
        rles = mu.frPyObjects(polys, h, w)
    r = mu.merge(rles) if isinstance(rles, list) else rles
    return {
        "name": name, "width": w, "height": h, "polygons": polys,
        "counts": r["counts"].decode("ascii"),
        "area": int(mu.area(r)), "bbox": [float(v) for v in mu.toBbox(r)],
        "per_polygon": [x["counts"].decode("ascii") for x in (rles if isinstance(rles, list) else [rles])],
    }


def make_polygons(rng):
    cases = [
        poly_case("triangle", [[2.0, 2.0, 20.0, 4.0, 9.5, 17.25]], 24, 30),
        poly_case("square-integer", [[5, 5, 15, 5, 15, 15, 5, 15]], 20, 20),
        poly_case("square-half", [[4.5, 4.5, 14.5, 4.5, 14.5, 14.5, 4.5, 14.5]], 20, 20),
        poly_case("multi-polygon", [[1, 1, 8, 1, 8, 8, 1, 8], [12.3, 3.1, 18.7, 5.2, 14.9, 12.8],
                                    [5, 5, 10, 5, 10, 10]], 20, 22),
        poly_case("degenerate-line", [[1.0, 1.0, 10.0, 10.0, 1.0, 1.0]], 12, 12),
        poly_case("degenerate-collinear", [[0.0, 5.0, 5.0, 5.0, 10.0, 5.0]], 12, 12),
        poly_case("degenerate-point-repeated", [[3.0, 3.0, 3.0, 3.0, 3.0, 3.0]], 8, 8),
        poly_case("repeated-vertices", [[2, 2, 2, 2, 12, 2, 12, 2, 12, 9, 2, 9, 2, 2]], 12, 14),
        poly_case("two-point-as-box", [[2.0, 3.0, 6.0, 4.0]], 12, 12),
        poly_case("second-two-point", [[1, 1, 6, 1, 6, 6], [8.0, 8.0, 10.0, 10.0]], 12, 12),
        poly_case("out-of-bounds", [[-5.0, -3.0, 25.0, -2.0, 30.0, 18.0, -4.0, 22.0]], 16, 20),
        poly_case("right-bottom-overhang", [[10.0, 10.0, 40.0, 10.0, 40.0, 40.0, 10.0, 40.0]], 16, 20),
        poly_case("sub-pixel", [[3.1, 3.1, 3.4, 3.2, 3.3, 3.45]], 8, 8),
        poly_case("sub-pixel-straddle", [[2.4, 2.4, 2.6, 2.4, 2.6, 2.6, 2.4, 2.6]], 8, 8),
        poly_case("negative-small", [[-0.3, -0.3, 3.0, -0.1, 3.2, 3.3, -0.2, 2.9]], 6, 6),
        poly_case("self-intersecting-bowtie", [[1, 1, 10, 10, 10, 1, 1, 10]], 12, 12),
        poly_case("concave", [[1, 1, 15, 1, 15, 15, 8, 6, 1, 15]], 17, 17),
        poly_case("odd-length", [[1, 1, 9, 1, 9, 9, 1, 9, 5]], 12, 12),
        poly_case("single-row", [[0, 0, 9, 0, 9, 0.4, 0, 0.4]], 1, 10),
    ]
    for i in range(24):
        h, w = int(rng.integers(8, 60)), int(rng.integers(8, 60))
        polys = []
        for _ in range(int(rng.integers(1, 4))):
            n = int(rng.integers(3, 12))
            cx, cy = rng.uniform(-5, w + 5), rng.uniform(-5, h + 5)
            ang = np.sort(rng.uniform(0, 2 * np.pi, n))
            rad = rng.uniform(0.5, max(h, w) / 2, n)
            pts = np.stack([cx + rad * np.cos(ang), cy + rad * np.sin(ang)], 1)
            polys.append([round(float(v), 2) for v in pts.reshape(-1)])
        cases.append(poly_case(f"random-{i}", polys, h, w))
    boxes = []
    for i, (bb, h, w) in enumerate([([2, 3, 5, 4], 10, 12), ([0.5, 0.5, 3.2, 2.7], 8, 8),
                                    ([-2, -2, 30, 30], 10, 10), ([3.3, 1.1, 0.0, 4.0], 9, 9),
                                    ([7.6, 2.2, 10, 3], 10, 12)]):
        r = _mask.frBbox(np.array([bb], dtype=np.double), h, w)[0]
        boxes.append({"name": f"box-{i}", "width": w, "height": h, "box": bb,
                      "counts": r["counts"].decode("ascii"), "area": int(mu.area(r))})
    return cases, boxes


def make_merges(rng):
    out = []
    for i in range(12):
        h, w = int(rng.integers(1, 40)), int(rng.integers(1, 40))
        n = int(rng.integers(2, 5))
        ms = [blob(rng, h, w) if rng.random() < 0.6 else (rng.random((h, w)) < 0.4).astype(np.uint8)
              for _ in range(n)]
        if i == 0:
            ms[0][:] = 0
        if i == 1:
            ms[1][:] = 1
        rles = [encode(m) for m in ms]
        u, x = mu.merge(rles, intersect=False), mu.merge(rles, intersect=True)
        out.append({"name": f"merge-{i}", "width": w, "height": h,
                    "inputs": [r["counts"].decode("ascii") for r in rles],
                    "union": u["counts"].decode("ascii"), "intersection": x["counts"].decode("ascii"),
                    "union_area": int(mu.area(u)), "intersection_area": int(mu.area(x)),
                    "iou": float(mu.iou([rles[0]], [rles[1]], [0])[0][0])})
    return out


def main():
    rng = np.random.default_rng(SEED)
    os.makedirs(OUT, exist_ok=True)
    polygons, boxes = make_polygons(rng)
    files = {
        "masks.json": make_masks(rng),
        "polygons.json": polygons,
        "boxes.json": boxes,
        "merges.json": make_merges(rng),
    }
    for name, data in files.items():
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(data, f, separators=(",", ":"))
    manifest = {"generator": "tools/make_mask_fixtures.py", "generator_version": GENERATOR_VERSION,
                "seed": SEED, "pycocotools": pycocotools.__version__ if hasattr(pycocotools, "__version__") else "2.x",
                "numpy": np.__version__, "tolerance": "exact", "files": sorted(files)}
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
