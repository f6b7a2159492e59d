"""The training images of the pretraining experiments in this folder, from a `vlpart synth`
directory: object crops cut from source.json's and target.json's object boxes and/or the whole
scenes, as PIL images."""
import json
import math
import os

from PIL import Image


def load(data, size, margin=0.0, objects=True, scenes=False, scene_size=96):
    """Object crops resized (bicubic) to `size`², each box widened by `margin` of its width and
    height on every side and clipped to the image; with `scenes`, every scene at `scene_size`²."""
    out = []
    for f in ["source.json", "target.json"]:
        d = json.load(open(os.path.join(data, f)))
        cats = {c["id"]: c for c in d["categories"]}
        files = {i["id"]: i["file_name"] for i in d["images"]}
        cache = {}
        for ann in d["annotations"]:
            if ":" in cats[ann["category_id"]]["name"]:   # parts are named object:part
                continue
            fn = files[ann["image_id"]]
            if fn not in cache:
                cache[fn] = Image.open(os.path.join(data, "images", fn)).convert("RGB")
            if not objects:
                continue
            im = cache[fn]
            x, y, w, h = ann["bbox"]
            mx, my = margin * w, margin * h
            box = (max(0, int(x - mx)), max(0, int(y - my)),
                   min(im.width, int(math.ceil(x + w + mx))), min(im.height, int(math.ceil(y + h + my))))
            out.append(im.crop(box).resize((size, size), Image.BICUBIC))
        if scenes:
            out += [im.resize((scene_size, scene_size), Image.BICUBIC) for im in cache.values()]
    return out
