"""Write a synthetic resident register extract (no real person) for tests, training, benchmarks.

    python scripts/make_synthetic_register.py OUT_DIR [--count 50000] [--seed 20]

writes ``OUT_DIR/register-cp932.csv`` (Shift_JIS/CP932, as core systems export),
``OUT_DIR/register-utf8.csv`` (UTF-8 with BOM) and ``OUT_DIR/register-mapping.toml``. Never
commit the files: the tests and the benchmark generate them into temporary folders.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from devices.register.synthetic import MAPPING_TOML, synthetic_residents, write_extract


def main() -> int:
    """Parse the arguments and write the three files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    residents = synthetic_residents(args.count, args.seed)
    write_extract(residents, args.out_dir / "register-cp932.csv", "cp932")
    write_extract(residents, args.out_dir / "register-utf8.csv", "utf-8-sig")
    (args.out_dir / "register-mapping.toml").write_text(MAPPING_TOML, encoding="utf-8")
    print(f"{len(residents)} synthetic residents written to {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
