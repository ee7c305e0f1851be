#!/usr/bin/env bash
# System packages (Debian/Ubuntu): Tesseract's English language data (OCR engine), Chromium
# with its driver (the gallery's browser tests), and TeX Live for gold induced from LaTeX
# (tests/test_typeset_gold.py, benchmarks/typeset; the real sources of ../shared/latex need the
# publishers' classes, cm-super and lmodern). TeX Live: about 0.9 GB, 95 s with apt-get update here.
# Uses sudo when not root. On other systems, install the equivalents by hand.
set -euo pipefail
packages=(tesseract-ocr-eng chromium chromium-driver
  texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
  texlive-publishers texlive-science texlive-pictures texlive-bibtex-extra texlive-plain-generic
  cm-super lmodern)
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: no apt-get here; install Tesseract with English data (and TeX Live) yourself" >&2
  exit 0
fi
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
run apt-get update -qq
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
