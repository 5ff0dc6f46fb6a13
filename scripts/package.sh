#!/usr/bin/env bash
# `make package`: the Linux one-folder bundles, each with its provenance manifest and a smoke
# test of the bundle itself (version, self-test as JSON without and with the Japanese
# dictionary, the demo windows offscreen, a form and a receipt printed to PDF, the tablet's
# start to its first screen), and Open JTalk's Japanese dictionary in dist/japanese-dictionary
# (IT installs it like a model). Two flavours from the one spec (packaging/pyinstaller/kiosk.spec):
#   dist/kiosk         full: clerk PCs (translation engine and speech recognizer included)
#   dist/kiosk-tablet  tablet: counter tablets and the board (neither: the clerk PC translates)
# KIOSK_BUNDLE=full or KIOSK_BUNDLE=tablet (`make package KIOSK_BUNDLE=tablet`) builds only one.
set -euo pipefail
cd "$(dirname "$0")/.."
flavours=${KIOSK_BUNDLE:-full tablet}
bundle_of() { if [ "$1" = full ]; then echo dist/kiosk; else echo "dist/kiosk-$1"; fi; }

.venv/bin/kiosk i18n compile
for flavour in $flavours; do
  echo "== building the $flavour bundle"
  rm -rf "build/pyinstaller/$flavour" "$(bundle_of "$flavour")"
  KIOSK_BUNDLE=$flavour .venv/bin/pyinstaller --noconfirm --log-level WARN --distpath dist \
    --workpath "build/pyinstaller/$flavour" packaging/pyinstaller/kiosk.spec
  .venv/bin/kiosk manifest "$(bundle_of "$flavour")" --write
done
# The dictionary the bundles leave out, from the same pyopenjtalk-plus wheel (with its licence).
rm -rf dist/japanese-dictionary
cp -r "$(.venv/bin/python -c 'import importlib.util, pathlib; print(pathlib.Path(importlib.util.find_spec("pyopenjtalk").origin).parent / "dictionary")')" dist/japanese-dictionary

smoke=$(mktemp -d)
trap 'rm -rf "$smoke"' EXIT
export QT_QPA_PLATFORM=offscreen

doctor() {   # doctor --json of bundle $1 ($2 = flavour); fails on a failed check; $3 = expected speech.ja
  "$1/kiosk" doctor --json > "$smoke/doctor.json" || true
  python3 - "$smoke/doctor.json" "$2" "$3" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
flavour, speech = sys.argv[2], sys.argv[3]
checks = {c["name"]: c for c in report["checks"]}
for check in report["checks"]:
    print(f'{check["status"]:4} {check["name"]}: {check["detail"]}')
failed = [name for name, c in checks.items() if c["status"] == "fail"]
if failed:
    sys.exit(f"bundle self-test failed: {failed}")
if checks["speech.ja"]["status"] != speech:
    sys.exit(f"speech.ja is {checks['speech.ja']['status']}, expected {speech}")
if f"{flavour} build" not in checks["build.files"]["detail"]:
    sys.exit(f"build.files does not name the {flavour} build")
if flavour == "tablet" and checks.get("translation.engine", {}).get("status") != "ok":
    sys.exit("the tablet build does not report its missing translation engine as expected")
PY
}

smoke_test() {   # $1 = bundle folder, $2 = flavour
  local app=$1 flavour=$2
  echo "== smoke test of $app ($flavour)"
  rm -rf "$smoke/home" && mkdir -p "$smoke/home"
  export HOME="$smoke/home" KIOSK_DEVICE_DATA_DIR="$smoke/home/data"
  "$app/kiosk" --version
  echo "-- without the Japanese dictionary"
  doctor "$app" "$flavour" warn
  "$app/kiosk" models install-japanese dist/japanese-dictionary
  echo "-- with the Japanese dictionary"
  doctor "$app" "$flavour" ok
  if [ "$flavour" = tablet ]; then    # refused with a reason, not a traceback
    echo junk > "$smoke/pack.argosmodel"
    if "$app/kiosk" models install "$smoke/pack.argosmodel" 2> "$smoke/err.txt"; then
      echo "the tablet build installed a translation pack"; exit 1
    fi
    cat "$smoke/err.txt"
    grep -q "Cannot install translation models" "$smoke/err.txt"
  else    # the engines inside the bundle load and run: a language pack and Whisper base
    echo "-- translation and speech models, run once"
    .venv/bin/python scripts/smoke_models.py "$smoke/models"
    "$app/kiosk" models install "$smoke/models/ja_en.argosmodel"
    "$app/kiosk" models install-stt "$(cat "$smoke/models/whisper.path")"
    "$app/kiosk" models check
  fi
  "$app/kiosk" demo --quit-after 3 --report "$smoke/windows.json"
  python3 -c "import json,sys; w=json.load(open(sys.argv[1])); assert len(w)==3 and all(x['visible'] and not x['missing_glyphs'] for x in w), w; print('demo windows ok')" "$smoke/windows.json"
  if command -v xvfb-run > /dev/null; then   # the X11 platform plugin with the libraries kept
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x1024x24" \
      "$app/kiosk" demo --quit-after 3 --report "$smoke/windows.json"
    python3 -c "import json,sys; w=json.load(open(sys.argv[1])); assert len(w)==3 and all(x['visible'] for x in w), w; print('demo windows on X11 ok')" "$smoke/windows.json"
  fi
  # reportlab (with Pillow less its codecs), the QR code and HarfBuzz shaping of Nepali.
  "$app/kiosk" forms print juminhyo --sample --lang ne --out "$smoke/form.pdf" --receipt "$smoke/receipt.pdf"
  python3 -c "import sys; assert all(open(p,'rb').read(5)==b'%PDF-' for p in sys.argv[1:]); print('form and receipt ok')" "$smoke/form.pdf" "$smoke/receipt.pdf"
  python3 - "$app/kiosk" "$smoke/tablet.json" <<'PY'
# `kiosk tablet` until the tablet has taken over from the start-up Welcome (services built).
import json, subprocess, sys, time
app, report = sys.argv[1], sys.argv[2]
process = subprocess.Popen([app, "tablet", "--quit-after", "120", "--report", report])
started = time.monotonic()
try:
    while True:
        try:
            if json.load(open(report)).get("ready"):
                break
        except (OSError, ValueError):
            pass
        if process.poll() is not None:
            sys.exit(f"kiosk tablet ended ({process.returncode}) before the tablet was ready")
        if time.monotonic() - started > 90:
            sys.exit("kiosk tablet not ready in 90 s")
        time.sleep(0.1)
    print(f"tablet ready in {time.monotonic() - started:.1f} s")
finally:
    process.terminate()
    process.wait(timeout=60)
PY
}

for flavour in $flavours; do
  smoke_test "$(bundle_of "$flavour")" "$flavour"
done
for flavour in $flavours; do du -sh "$(bundle_of "$flavour")"; done
du -sh dist/japanese-dictionary
