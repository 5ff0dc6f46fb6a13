"""``kiosk models``: install and list the offline models (translation packs, speech recognition,
Open JTalk's Japanese dictionary).

IT copies the files onto the device (USB stick, software distribution); nothing is downloaded.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.config import Config


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


def run_install(args: argparse.Namespace, config: Config) -> int:
    """Install each pack; stops at the first invalid one (its message names the file)."""
    from kiosk.app import install_translation_package  # noqa: PLC0415 - composition root

    for path in args.packages:
        pair = install_translation_package(config, path)
        print(f"installed {pair} from {path}")
    return 0


def run_install_stt(args: argparse.Namespace, config: Config) -> int:
    """Check and copy the speech recognition model."""
    from kiosk.app import install_speech_model  # noqa: PLC0415

    print(f"installed speech model into {install_speech_model(config, args.directory)}")
    return 0


def run_install_japanese(args: argparse.Namespace, config: Config) -> int:
    """Check and copy the Japanese dictionary."""
    # IT only; devices directly, as `kiosk card status` does.
    from devices.speech.japanese_dictionary import install_dictionary  # noqa: PLC0415

    print(f"installed the Japanese dictionary into "
          f"{install_dictionary(args.directory, config.models_dir)}")
    return 0


def run_list(args: argparse.Namespace, config: Config) -> int:
    """Print the translation pairs (direct and through English) and the speech model."""
    from devices.speech.japanese_dictionary import find_dictionary  # noqa: PLC0415
    from kiosk.app import describe_models  # noqa: PLC0415

    for line in describe_models(config):
        print(line)
    dictionary = find_dictionary(config.models_dir)
    print(f"japanese    {dictionary}" if dictionary
          else "japanese: no Open JTalk dictionary (kiosk models install-japanese DIR)")
    return 0


def run_check(_args: argparse.Namespace, config: Config) -> int:
    """Run each installed model once; exit 1 when one failed."""
    from kiosk.app import run_models  # noqa: PLC0415
    from kiosk.doctor import Status  # noqa: PLC0415

    checks = run_models(config)
    for check in checks:
        print(f"{check.status.value:4} {check.name}: {check.detail}"
              + (f" ({check.fix})" if check.fix else ""))
    return 1 if any(check.status is Status.FAIL for check in checks) else 0
