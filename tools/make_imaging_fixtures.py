#!/usr/bin/env python3
"""Writes the Imaging golden fixtures to Tests/Fixtures/imaging/.

Decode fixtures: small real photographs from scikit-image's bundled samples, saved in every
layout the decoder must handle, each with Pillow's decoded pixels as raw uint8 (HWC).
Resize fixtures: PyTorch F.interpolate outputs (align_corners=False) for a seeded random float
image, as raw little-endian float32 (CHW). manifest.json lists shapes and parameters.

Run with the project venv:  /work/venv/bin/python tools/make_imaging_fixtures.py
"""
import io, json, os, struct, zlib

import numpy as np
import PIL
import torch
import torch.nn.functional as F
from PIL import Image, ImageOps
from skimage import data

GENERATOR_VERSION = 1
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "imaging")


def small(array, side=128):
    """A sample photograph scaled so its longer side is `side` pixels (Pillow LANCZOS)."""
    im = Image.fromarray(array)
    scale = side / max(im.size)
    return im.resize((round(im.width * scale), round(im.height * scale)), Image.LANCZOS)


def png_chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def write_png(path, array, color_type, bit_depth, interlace=False):
    """Minimal PNG writer for layouts Pillow cannot write (16-bit RGB, Adam7 interlace)."""
    h, w = array.shape[:2]
    dtype = ">u2" if bit_depth == 16 else "u1"
    pix = array.astype(dtype).reshape(h, w, -1)

    def rows(sub):
        return b"".join(b"\x00" + sub[y].tobytes() for y in range(sub.shape[0]))

    if interlace:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        raw = b""
        for x0, y0, dx, dy in passes:
            sub = pix[y0::dy, x0::dx]
            if sub.shape[0] and sub.shape[1]:
                raw += rows(np.ascontiguousarray(sub))
    else:
        raw = rows(pix)
    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 1 if interlace else 0)
    blob = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(blob)


def expected(name, im_or_array, entry):
    arr = np.asarray(im_or_array, dtype=np.uint8)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    arr.tofile(os.path.join(OUT, name))
    entry.update(expected=name, height=arr.shape[0], width=arr.shape[1], channels=arr.shape[2])
    return entry


def decode_fixtures():
    chelsea, astronaut, coffee = small(data.chelsea()), small(data.astronaut()), small(data.coffee())
    entries = []

    def saved(file, im, **save):
        path = os.path.join(OUT, file)
        im.save(path, **save)
        return Image.open(path)

    def add(file, decoded, tolerance, note, bin_name=None):
        entries.append(expected(bin_name or file.rsplit(".", 1)[0] + ".bin", decoded,
                                {"file": file, "tolerance": tolerance, "note": note}))

    add("baseline.jpg", saved("baseline.jpg", chelsea, quality=90).convert("RGB"), 0, "baseline 4:2:0")
    add("progressive.jpg", saved("progressive.jpg", astronaut, quality=85, progressive=True).convert("RGB"), 0, "progressive")
    add("gray.jpg", saved("gray.jpg", coffee.convert("L"), quality=90), 0, "grayscale")
    add("cmyk.jpg", saved("cmyk.jpg", chelsea.convert("CMYK"), quality=90).convert("RGB"), 0, "Adobe CMYK, Pillow cmyk2rgb")
    exif = Image.Exif()
    exif[0x0112] = 6
    oriented = saved("exif6.jpg", coffee, quality=90, exif=exif.tobytes())
    add("exif6.jpg", ImageOps.exif_transpose(oriented).convert("RGB"), 0, "EXIF orientation 6 (rotate 90 cw)")

    rgb = np.asarray(astronaut.crop((0, 0, 96, 80)), dtype=np.uint16)
    rng = np.random.default_rng(7)
    rgb16 = rgb * 256 + rng.integers(0, 256, rgb.shape, dtype=np.uint16)
    write_png(os.path.join(OUT, "rgb16.png"), rgb16, color_type=2, bit_depth=16)
    add("rgb16.png", (rgb16 >> 8).astype(np.uint8), 0, "16-bit RGB, high byte")
    gray16 = np.asarray(coffee.convert("L").crop((0, 0, 64, 48)), dtype=np.uint16) * 257
    write_png(os.path.join(OUT, "gray16.png"), gray16, color_type=0, bit_depth=16)
    add("gray16.png", (gray16 >> 8).astype(np.uint8), 0, "16-bit gray, high byte")
    write_png(os.path.join(OUT, "interlaced.png"), np.asarray(chelsea), color_type=2, bit_depth=8, interlace=True)
    add("interlaced.png", np.asarray(chelsea), 0, "Adam7 interlaced RGB")
    add("palette.png", saved("palette.png", coffee.quantize(48)).convert("RGB"), 0, "8-bit palette")
    la = Image.merge("LA", (astronaut.convert("L"), Image.linear_gradient("L").resize(astronaut.size)))
    add("graya.png", saved("graya.png", la).convert("RGBA"), 0, "gray+alpha → RGBA")
    rgba = chelsea.copy()
    rgba.putalpha(Image.radial_gradient("L").resize(chelsea.size))
    add("rgba.png", saved("rgba.png", rgba, compress_level=9).convert("RGBA"), 0, "RGBA")
    return entries


def floats(name, tensor):
    t = tensor.detach().contiguous().float().numpy()
    t.astype("<f4").tofile(os.path.join(OUT, name))
    return name


def resize_fixtures():
    torch.manual_seed(0)
    x = torch.rand(1, 3, 13, 17) * 2 - 0.5          # values outside [0,1] exercise bicubic overshoot
    floats("resize_input.f32", x[0])
    cases = []

    def case(mode, size=None, scale=None, antialias=False):
        kwargs = dict(mode=mode)
        if mode in ("bilinear", "bicubic"):
            kwargs.update(align_corners=False, antialias=antialias)
        if scale is not None:
            kwargs.update(scale_factor=scale, recompute_scale_factor=False)
        else:
            kwargs.update(size=size)
        y = F.interpolate(x, **kwargs)
        name = f"resize_{mode}{'_aa' if antialias else ''}_{y.shape[2]}x{y.shape[3]}{'_sf' if scale else ''}.f32"
        cases.append({"file": floats(name, y[0]), "mode": mode, "antialias": antialias,
                      "height": y.shape[2], "width": y.shape[3],
                      "scaleFactor": list(scale) if scale else None})

    for size in [(29, 23), (7, 9), (13, 17), (26, 34), (5, 40)]:
        case("nearest", size)
        case("bilinear", size)
        case("bicubic", size)
    for size in [(7, 9), (5, 8), (4, 16)]:
        case("bilinear", size, antialias=True)
        case("bicubic", size, antialias=True)
        case("area", size)
    case("bilinear", (29, 23), antialias=True)        # antialias while upscaling: same support as plain
    # DINO's position-embedding interpolation: scale (n + 0.1) / sqrt(N), recompute_scale_factor=False.
    case("bicubic", scale=((20 + 0.1) / 13, (24 + 0.1) / 17))
    case("bicubic", scale=((9 + 0.1) / 13, (11 + 0.1) / 17))
    case("nearest", scale=(1.7, 0.6))
    case("bilinear", scale=(2.5, 1.25))

    # A uint8 image: the Swift Image.resized result must be within ±1 of torch's float result.
    g = torch.Generator().manual_seed(1)
    img = torch.randint(0, 256, (1, 3, 20, 30), generator=g, dtype=torch.uint8)
    img[0].permute(1, 2, 0).contiguous().numpy().tofile(os.path.join(OUT, "resize_u8_input.bin"))
    u8 = []
    for mode, size, aa in [("bilinear", (33, 47), False), ("bicubic", (33, 47), False), ("bilinear", (9, 11), True),
                           ("bicubic", (9, 11), True), ("nearest", (9, 11), False), ("area", (9, 11), False)]:
        kwargs = dict(mode=mode, size=size)
        if mode in ("bilinear", "bicubic"):
            kwargs.update(align_corners=False, antialias=aa)
        y = F.interpolate(img.float(), **kwargs)
        name = f"resize_u8_{mode}{'_aa' if aa else ''}_{size[0]}x{size[1]}.f32"
        u8.append({"file": floats(name, y[0]), "mode": mode, "antialias": aa, "height": size[0], "width": size[1]})
    return {"input": {"file": "resize_input.f32", "channels": 3, "height": 13, "width": 17}, "cases": cases,
            "u8Input": {"file": "resize_u8_input.bin", "channels": 3, "height": 20, "width": 30}, "u8Cases": u8}


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = {
        "generatorVersion": GENERATOR_VERSION,
        "pillow": PIL.__version__, "torch": torch.__version__,
        "decode": decode_fixtures(),
        "resize": resize_fixtures(),
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total / 1024:.0f} KiB, to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
