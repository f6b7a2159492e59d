#!/usr/bin/env python3
"""Writes taxonomies/*.yaml from the category lists in ../shared/reference/taxonomies/.

The object and part names are facts copied from the reference lists; the naming conventions,
synonyms and the PASCAL-Part base/novel split are written here by hand (see SYNONYMS). The
output format is documented in taxonomies/README.md. Only needed to regenerate the files:
the build and the tests read the committed YAML.

Run: python3 tools/make_taxonomies.py [REFERENCE_DIR]
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "reference", "taxonomies")
OUT = os.path.join(HERE, "..", "taxonomies")

ANIMALS_PASCAL = ["bird", "cat", "cow", "dog", "horse", "sheep"]

FILES = {
    "pascal_part": {
        "title": "PASCAL-Part, as converted by VLPart (20 VOC classes, 14 with parts, 93 parts)",
        "naming": "object:part",
        "example": "dog:head",
        "split_note": "VLPart's cross-category split: parts of bus and dog are novel (16), the rest base (77).",
        "synonyms": [
            {"canonical": "foot", "aliases": ["paw"], "also": ["hand"], "objects": ["cat", "dog"],
             "note": "a cat's or dog's paw is its foot; it may also match a biped's hand"},
            {"canonical": "mouth", "aliases": ["cap"], "objects": ["bottle"],
             "note": "PartImageNet calls a bottle's cap region its Mouth"},
        ],
    },
    "partimagenet": {
        "title": "PartImageNet (11 super-categories, 40 parts; part ids follow this order, 0-based)",
        "naming": "Object Part",
        "example": "Quadruped Head",
        "synonyms": [
            {"canonical": "torso", "aliases": ["Body"],
             "objects": ["Quadruped", "Biped", "Fish", "Bird", "Snake", "Reptile"],
             "note": "an animal's Body is the torso of PASCAL-Part and VLPart"},
            {"canonical": "wheel", "aliases": ["Tier"], "objects": ["Car", "Bicycle"],
             "note": "PartImageNet spells tyre 'Tier'; PASCAL-Part and PACO call it wheel"},
            {"canonical": "mirror", "aliases": ["Side Mirror"], "objects": ["Car"]},
            {"canonical": "saddle", "aliases": ["Seat"], "objects": ["Bicycle"]},
        ],
    },
    "paco": {
        "title": "PACO-LVIS (75 objects, 456 parts; LVIS object ids in comments)",
        "naming": "object:part",
        "example": "car_(automobile):wheel",
        "synonyms": [
            {"canonical": "torso", "aliases": ["body"], "objects": ["dog"],
             "note": "PACO's dog body is the torso of PASCAL-Part"},
        ],
    },
    "vlpart_additional": {
        "title": "The eleven ImageNet animals VLPart parsed with borrowed part taxonomies",
        "naming": "object:part",
        "example": "elephant:head",
        "synonyms": [
            {"canonical": "foot", "aliases": ["paw"], "also": ["hand"],
             "objects": ["elephant", "fox", "leopard", "tiger", "lion", "bear", "pig", "monkey", "panda"],
             "note": "paw → foot; a monkey's or bear's paw may also match a biped's hand"},
        ],
    },
}


def q(s):
    """YAML scalar: plain when safe, double-quoted otherwise."""
    plain = s and all(c.isalnum() or c in "_ ()-" for c in s) and s[0].isalpha() and s.lower() not in (
        "yes", "no", "true", "false", "on", "off", "null", "y", "n")
    return s if plain and ": " not in s else json.dumps(s)


def flow(items):
    return "[" + ", ".join(q(i) for i in items) + "]"


def write(name, spec):
    with open(os.path.join(REF, name + ".json")) as f:
        ref = json.load(f)
    lines = [
        f"# {spec['title']}.",
        f"# Source: {ref['source']}.",
        "# Format: taxonomies/README.md. Regenerate with tools/make_taxonomies.py.",
        f"name: {name}",
        f"title: {q(spec['title'])}",
        f"naming: {q(spec['naming'])}   # category names look like {q(spec['example'])}",
    ]
    novel = ref.get("split", {}).get("novel_objects")
    if novel:
        lines += [f"# {spec['split_note']}", "split:", f"  novel: {flow(novel)}"]
    lines.append("objects:")
    for obj in ref["objects"]:
        comment = f"   # LVIS id {obj['lvis_id']}" if "lvis_id" in obj else ""
        lines.append(f"  {q(obj['name'])}: {flow(obj['parts'])}{comment}")
    if spec["synonyms"]:
        lines.append("synonyms:")
        for syn in spec["synonyms"]:
            if "note" in syn:
                lines.append(f"  # {syn['note']}")
            lines.append(f"  - canonical: {q(syn['canonical'])}")
            lines.append(f"    aliases: {flow(syn['aliases'])}")
            if "also" in syn:
                lines.append(f"    also: {flow(syn['also'])}")
            if "objects" in syn:
                lines.append(f"    objects: {flow(syn['objects'])}")
    with open(os.path.join(OUT, name + ".yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, spec in FILES.items():
        write(name, spec)
