"""Arrays for the PyTorch replica of the segmenter head (replica/seg.py): the Swift feature
cache's grids (.vlsf, written by `vlpart train` / `eval seg`), the images, and pixel label maps
from COCO/PACO JSON files (later files' masks draw over earlier ones; parts over objects).

    python prep.py --json source.json [--json more.json] --images DIR --cache CACHEDIR --out set.npy

CACHEDIR is one settings folder of a store's feature cache, e.g.
<store>.segfeatures/<model sha prefix>-s112-st4-llast-token.
"""
import argparse, json, hashlib, os, numpy as np
from pycocotools import mask as M
from PIL import Image

def vlsf(path):
    b = open(path, 'rb').read()
    gh, gw, d = np.frombuffer(b[8:20], '<u4')
    return np.frombuffer(b[20:], '<f2').astype(np.float32).reshape(gh, gw, d)

def build(jsons, imgdir, cachedir, out):
    imgs, anns, cats = {}, [], {}
    byname = {}
    for fi, j in enumerate(jsons):
        d = json.load(open(j))
        local = {}
        for im in d['images']:
            if im['file_name'] not in byname: byname[im['file_name']] = len(byname) + 1; imgs[byname[im['file_name']]] = im
            local[im['id']] = byname[im['file_name']]
        for c in d['categories']: cats[(fi, c['id'])] = c['name']
        for a in d['annotations']:
            a = dict(a); a['image_id'] = local[a['image_id']]; a['category_id'] = (fi, a['category_id']); anns.append(a)
    ids = sorted(imgs)
    feats, rgb, omap, pmap = [], [], [], []
    for i in ids:
        im = imgs[i]; p = os.path.join(imgdir, im['file_name'])
        h = hashlib.sha256(open(p, 'rb').read()).hexdigest()[:32]
        feats.append(vlsf(os.path.join(cachedir, h + '.vlsf')))
        rgb.append(np.asarray(Image.open(p).convert('RGB')))
        omap.append(np.zeros((im['height'], im['width']), object)); pmap.append(np.zeros((im['height'], im['width']), object))
    index = {i: k for k, i in enumerate(ids)}
    # objects first, then parts over them
    for level in (0, 1):
        for a in anns:
            name = cats[a['category_id']]
            if (':' in name) != bool(level): continue
            seg = a['segmentation']
            if isinstance(seg, dict) and isinstance(seg['counts'], str): seg = {'size': seg['size'], 'counts': seg['counts'].encode()}
            m = M.decode(seg).astype(bool)
            k = index[a['image_id']]
            (pmap if level else omap)[k][m] = name
    np.save(out, dict(ids=ids, feats=feats, rgb=rgb, omap=omap, pmap=pmap), allow_pickle=True)

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--json', action='append', required=True); p.add_argument('--images', required=True)
    p.add_argument('--cache', required=True); p.add_argument('--out', required=True)
    a = p.parse_args()
    build(a.json, a.images, a.cache, a.out)
