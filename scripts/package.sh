#!/usr/bin/env bash
# `make package`: the Linux one-folder bundle in dist/kiosk, its provenance manifest, Open JTalk's
# Japanese dictionary in dist/japanese-dictionary (IT installs it like a model), and a smoke test
# of the bundle itself (version, self-test as JSON without and with the dictionary, the demo
# windows offscreen).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/kiosk i18n compile
rm -rf build/pyinstaller dist/kiosk dist/japanese-dictionary
.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
  packaging/pyinstaller/kiosk.spec
.venv/bin/kiosk manifest dist/kiosk --write
# The dictionary the bundle leaves out, from the same pyopenjtalk-plus wheel (with its licence).
cp -r "$(.venv/bin/python -c 'import importlib.util, pathlib; print(pathlib.Path(importlib.util.find_spec("pyopenjtalk").origin).parent / "dictionary")')" dist/japanese-dictionary

echo "== smoke test of dist/kiosk"
smoke=$(mktemp -d)
trap 'rm -rf "$smoke"' EXIT
export QT_QPA_PLATFORM=offscreen KIOSK_DEVICE_DATA_DIR="$smoke/data" HOME="$smoke"
dist/kiosk/kiosk --version
doctor() {   # doctor --json of the bundle; fails on a failed check; $1 = the expected speech.ja
  dist/kiosk/kiosk doctor --json > "$smoke/doctor.json" || true
  python3 - "$smoke/doctor.json" "$1" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
failed = [c for c in report["checks"] if c["status"] == "fail"]
for check in report["checks"]:
    print(f'{check["status"]:4} {check["name"]}: {check["detail"]}')
if failed:
    sys.exit(f"bundle self-test failed: {[c['name'] for c in failed]}")
ja = next(c for c in report["checks"] if c["name"] == "speech.ja")
if ja["status"] != sys.argv[2]:
    sys.exit(f"speech.ja is {ja['status']}, expected {sys.argv[2]}: {ja['detail']}")
PY
}
echo "-- without the Japanese dictionary"
doctor warn
dist/kiosk/kiosk models install-japanese dist/japanese-dictionary
echo "-- with the Japanese dictionary"
doctor ok
dist/kiosk/kiosk demo --quit-after 3 --report "$smoke/windows.json"
python3 -c "import json,sys; w=json.load(open(sys.argv[1])); assert len(w)==3 and all(x['visible'] and not x['missing_glyphs'] for x in w), w; print('demo windows ok')" "$smoke/windows.json"
du -sh dist/kiosk dist/japanese-dictionary
