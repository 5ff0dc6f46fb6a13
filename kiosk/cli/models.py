"""``kiosk models``: install and list the offline models (translation packs, speech recognition,
Open JTalk's Japanese dictionary).

IT copies the files onto the device (USB stick, software distribution); nothing is downloaded.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.doctor import Status
from kiosk.ports import ModelStore


def register(subparsers: Any) -> None:
    """Add ``models install``, ``install-stt``, ``install-japanese``, ``list`` and ``check``."""
    parser = subparsers.add_parser("models", help="install and list translation and speech models")
    commands = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    install = commands.add_parser("install", help="install a translation pack (.argosmodel)")
    install.add_argument("packages", type=Path, nargs="+", metavar="PATH.argosmodel")
    install.set_defaults(handler=run_install)
    stt = commands.add_parser("install-stt", help="install a faster-whisper model directory")
    stt.add_argument("directory", type=Path, metavar="DIR")
    stt.set_defaults(handler=run_install_stt)
    japanese = commands.add_parser(
        "install-japanese", help="install Open JTalk's Japanese dictionary (voice and readings)")
    japanese.add_argument("directory", type=Path, metavar="DIR",
                          help="the japanese-dictionary folder that comes with the build")
    japanese.set_defaults(handler=run_install_japanese)
    listing = commands.add_parser("list", help="list the installed models")
    listing.set_defaults(handler=run_list)
    check = commands.add_parser(
        "check", help="load every installed translation and speech model and run it once")
    check.set_defaults(handler=run_check)


def _models(config: Config) -> ModelStore:
    from kiosk.app import build_models  # noqa: PLC0415 - the composition root

    return build_models(config)


def run_install(args: argparse.Namespace, config: Config) -> int:
    """Install each pack; stops at the first invalid one (its message names the file)."""
    models = _models(config)
    for path in args.packages:
        pair = models.install_translation(path)
        print(f"installed {pair} from {path}")
    return 0


def run_install_stt(args: argparse.Namespace, config: Config) -> int:
    """Check and copy the speech recognition model."""
    print(f"installed speech model into {_models(config).install_speech(args.directory)}")
    return 0


def run_install_japanese(args: argparse.Namespace, config: Config) -> int:
    """Check and copy the Japanese dictionary."""
    print(f"installed the Japanese dictionary into "
          f"{_models(config).install_japanese(args.directory)}")
    return 0


def run_list(args: argparse.Namespace, config: Config) -> int:
    """Print the translation pairs (direct and through English), the speech model and the
    Japanese dictionary."""
    for line in _models(config).describe():
        print(line)
    return 0


def run_check(_args: argparse.Namespace, config: Config) -> int:
    """Run each installed model once; exit 1 when one failed."""
    checks = _models(config).run()
    for check in checks:
        print(f"{check.status.value:4} {check.name}: {check.detail}"
              + (f" ({check.fix})" if check.fix else ""))
    return 1 if any(check.status is Status.FAIL for check in checks) else 0
