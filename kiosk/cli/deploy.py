"""``kiosk install|versions|switch|rollback|watchdog|manifest``: installing and keeping builds running."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.config import Config
from kiosk.deploy.installs import Installs
from kiosk.deploy.provenance import git_revision, read_manifest, verify_manifest, write_manifest
from kiosk.deploy.watchdog import Watchdog, WatchdogPolicy


def default_root() -> Path:
    """Where versions are installed unless ``--root`` or ``KIOSK_INSTALL_ROOT`` says otherwise."""
    if os.environ.get("KIOSK_INSTALL_ROOT"):
        return Path(os.environ["KIOSK_INSTALL_ROOT"])
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "kakanai-kiosk"
    return Path("/opt/kakanai-kiosk")


def register(subparsers: Any) -> None:
    """Add the deployment commands."""
    def with_root(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        parser.add_argument("--root", type=Path, default=None,
                            help=f"installation root (default: {default_root()})")
        return parser

    install = with_root(subparsers.add_parser("install", help="install a build side by side"))
    install.add_argument("build", type=Path, help="a built kiosk folder (with kiosk-build.json)")
    install.add_argument("--no-activate", action="store_true", help="install without switching")
    install.set_defaults(handler=_install)
    with_root(subparsers.add_parser("versions", help="list installed versions")).set_defaults(
        handler=_versions)
    switch = with_root(subparsers.add_parser("switch", help="make an installed version current"))
    switch.add_argument("version")
    switch.set_defaults(handler=_switch)
    with_root(subparsers.add_parser("rollback", help="switch back to the previous version")
              ).set_defaults(handler=_rollback)
    watchdog = subparsers.add_parser("watchdog", help="run a command and restart it when it "
                                     "exits with an error or hangs")
    watchdog.add_argument("--heartbeat", type=Path, default=None)
    watchdog.add_argument("--hang-after", type=float, default=60.0, metavar="SECONDS")
    watchdog.add_argument("command", nargs=argparse.REMAINDER,
                          help="the command after --, e.g. -- kiosk tablet")
    watchdog.set_defaults(handler=_watchdog)
    manifest = subparsers.add_parser("manifest", help="write or verify a build's provenance")
    manifest.add_argument("folder", type=Path)
    manifest.add_argument("--write", action="store_true", help="hash the folder and write it")
    manifest.set_defaults(handler=_manifest)


def _installs(args: argparse.Namespace) -> Installs:
    return Installs(args.root or default_root())


def _install(args: argparse.Namespace, _config: Config) -> int:
    version = _installs(args).install(args.build, activate=not args.no_activate)
    print(f"installed {version}" + ("" if args.no_activate else " (current)"))
    return 0


def _versions(args: argparse.Namespace, _config: Config) -> int:
    installs = _installs(args)
    current = installs.current()
    for version in installs.versions():
        print(f"{'*' if version == current else ' '} {version}")
    return 0


def _switch(args: argparse.Namespace, _config: Config) -> int:
    _installs(args).switch(args.version)
    print(f"current: {args.version}")
    return 0


def _rollback(args: argparse.Namespace, _config: Config) -> int:
    print(f"current: {_installs(args).rollback()}")
    return 0


def _watchdog(args: argparse.Namespace, config: Config) -> int:
    command = [part for part in args.command if part != "--"] or [sys.argv[0], "tablet"]
    heartbeat = args.heartbeat or config.device.data_dir / "heartbeat"
    heartbeat.parent.mkdir(parents=True, exist_ok=True)
    policy = WatchdogPolicy(hang_after_s=args.hang_after)
    return Watchdog(command, heartbeat, policy).run()


def _manifest(args: argparse.Namespace, _config: Config) -> int:
    if args.write:
        info = write_manifest(args.folder, __version__, git_revision(Path.cwd()),
                              datetime.now(UTC))
        print(f"{len(info.files)} files, version {info.version}, revision {info.revision}")
        return 0
    info = read_manifest(args.folder)
    problems = verify_manifest(args.folder)
    for problem in problems:
        print(problem)
    print(f"version {info.version} ({info.revision}): "
          + (f"{len(problems)} problem(s)" if problems else "all files as built"))
    return 1 if problems else 0
