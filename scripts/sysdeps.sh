#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the kiosk needs, when it can (root or passwordless sudo).
# Usage: scripts/sysdeps.sh run|test
#   run:  what `make run` needs (build pyscard, Qt's xcb libraries, speech, the rare-kanji font)
#   test: that plus the real services the tests start (pcscd + vpcd, PostgreSQL, CUPS, Xvfb)
# Without root or sudo it names the missing packages and stops.
set -euo pipefail
mode=${1:-run}
python=${PYTHON:-python3}

run_pkgs=(
  gcc swig libpcsclite-dev libpcsclite1           # pyscard builds from source on Linux
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0  # Qt's xcb platform plugin
  libpulse0                                        # QtMultimedia loads it at import time
  espeak-ng                                        # pyttsx3's voices on Linux
  fonts-ipamj-mincho                               # fallback for rare kanji (外字)
  fonts-noto-core fonts-wqy-microhei fonts-nanum  # Vietnamese, Devanagari, Thai, hanzi, Hangul
)
test_pkgs=(
  pcscd vsmartcard-vpcd                            # the real PC/SC stack with a virtual reader
  postgresql                                       # server binaries for a throwaway cluster
  cups cups-client printer-driver-cups-pdf         # the KioskPDF queue
  xvfb xdotool                                     # real windows and real input events
  poppler-utils                                    # pdffonts / pdftoppm to check PDFs; pdfsig checks signed PDFs
  strace                                           # tests/e2e/test_no_network.py: no call out
  softhsm2                                         # a PKCS#11 token for the signing tests
  chromium chromium-driver                         # the web pages in a real headless browser
)

pkgs=("${run_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

# Python's venv module and headers, when this Python lacks them (Debian splits them out).
if ! "$python" -c 'import ensurepip' 2>/dev/null; then
  pkgs+=("python3-venv")
fi
if ! "$python" -c 'import os, sysconfig, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
  pkgs+=("python3-dev")
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "sysdeps: not a Debian/Ubuntu system; install the equivalents of: ${pkgs[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${pkgs[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "sysdeps: these packages are missing and I cannot install them without root:" >&2
  echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "sysdeps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Services must not start on install: the tests start their own, and stop them by PID.
"${sudo[@]}" apt-get update -qq
RUNLEVEL=1 "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
