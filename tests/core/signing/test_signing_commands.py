"""``kiosk forms print --signed`` and ``kiosk verify-pdf``: what IT runs to check the chain."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from devices.signing.throwaway import make_throwaway


def _kiosk(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"),
           "HOME": str(tmp_path), "KIOSK_CONFIG": ""}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, env=env, timeout=180, check=False)


@pytest.fixture(scope="module")
def signed_sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    out = folder / "sample.pdf"
    done = _kiosk(folder, "forms", "print", "juminhyo", "--sample", "--signed", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return folder, out, done.stdout


def test_forms_print_signed__no_key_configured__private_file_marked_test(signed_sample):
    _folder, out, stdout = signed_sample

    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "TEST" in stdout
    report = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True,
                            check=False).stdout
    assert "Signature is Valid." in report
    assert "TEST SIGNATURE" in report


def test_verify_pdf__test_signature__intact_but_not_ok_in_japanese(signed_sample):
    folder, out, _ = signed_sample

    done = _kiosk(folder, "verify-pdf", str(out))

    assert done.returncode == 1
    assert "署名後に文書は変更されていません。" in done.stdout
    assert "試験用署名です。" in done.stdout
    assert "結果: 問題あり" in done.stdout


def test_verify_pdf__other_trust_root__not_trusted(signed_sample, tmp_path):
    folder, out, _ = signed_sample
    root = tmp_path / "other-ca.pem"
    root.write_bytes(make_throwaway().cert_pem())

    done = _kiosk(folder, "verify-pdf", "--trust", str(root), "--lang", "en", str(out))

    assert "The signer is NOT trusted" in done.stdout
    assert done.returncode == 1


@pytest.mark.parametrize("content", [b"", b"garbage", b"%PDF-1.4\n1 0 obj\n<<>>\n"],
                         ids=["empty", "garbage", "truncated"])
def test_verify_pdf__malformed_file__message_exit_2_no_traceback(tmp_path, content):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)

    done = _kiosk(tmp_path, "verify-pdf", str(bad))

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "PDF" in done.stderr


def test_verify_pdf__missing_file__message_exit_2(tmp_path):
    done = _kiosk(tmp_path, "verify-pdf", str(tmp_path / "nothing.pdf"))

    assert done.returncode == 2
    assert "読み込めません" in done.stderr
