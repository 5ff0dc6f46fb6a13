"""Benchmark: live captions and translation on this machine (goals of issue 8, 2 cores).

* end of utterance -> caption: from the last voiced frame of a Japanese phrase (played at real
  time through the live pipeline) to the recognised text handed to the conversation; includes
  the pause before the chunker's tentative cut (180 ms; the final cut at 450 ms overlaps the
  recognition) and Whisper base int8 in a window sized to the phrase
  (devices/audio/short_window.py), prompted with the vocabulary of the visit's procedures as
  at the counter. The Qt hop to the screen is a queued signal and not measured here.
* real-time factor: recognition time / audio length, per phrase.
* RSS: resident memory of this process with the model loaded and used.
* translation overhead: per sentence through a real .argosmodel (copy model built offline), so
  the figure is the kiosk's own cost (splitting, tokenizing, the batched CTranslate2 call).

    .venv/bin/python bench/bench_captions.py [--threads 2]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from devices.audio.live import LiveCaptioner
from devices.audio.recognizer import WhisperRecognizer, vocabulary_prompt
from devices.audio.sources import ArraySource, resample
from devices.audio.vad import SAMPLE_RATE
from devices.translation.argos_translator import ArgosTranslator
from devices.translation.copy_package import build_copy_package
from devices.translation.packages import install_package
from kiosk.ports import Utterance
from kiosk.procedures.catalog import load_catalog
from kiosk.services.captions import counter_vocabulary

PHRASES = [
    "住民票の写しをお取りしますか。",
    "マイナンバーカードをお持ちですか。",
    "こちらの番号札をお持ちになってお待ちください。",
    "印鑑登録証明書の交付申請ですね。",
    "本人確認書類を拝見します。",
    "手数料は窓口でお支払いください。",
]


def whisper_model() -> Path:
    """The test model joined from the pinned wheels (same code as the tests)."""
    conftest = Path(__file__).resolve().parents[1] / "tests" / "devices" / "audio" / "conftest.py"
    spec = importlib.util.spec_from_file_location("audio_conftest", conftest)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Path(module.whisper_base_dir())


def speech(text: str) -> np.ndarray:
    import pyopenjtalk

    samples, rate = pyopenjtalk.tts(text)
    return resample((np.asarray(samples) / 32768.0).astype(np.float32), rate)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def line(name: str, value: float, unit: str, goal: str, ok: bool) -> None:
    print(f"{name:<42} {value:8.2f} {unit:<3} goal {goal:<9} {'OK' if ok else 'MISSED'}")


def bench_recognition(threads: int) -> None:
    model = whisper_model()
    recognizer = WhisperRecognizer(model, threads=threads)
    recognizer.load()
    terms = counter_vocabulary(load_catalog(), ["juminhyo", "inkan_shomei"])
    clips = [speech(text) for text in PHRASES]
    recognizer.transcribe(clips[0], "ja")             # warm-up: first call allocates buffers
    factors, seconds = [], []
    prompt = vocabulary_prompt(terms, "ja")
    for clip in clips:
        start = time.perf_counter()
        recognizer.transcribe(clip, "ja", prompt=prompt)
        seconds.append(time.perf_counter() - start)
        factors.append(seconds[-1] / (len(clip) / SAMPLE_RATE))
    pause = np.zeros(int(1.2 * SAMPLE_RATE), dtype=np.float32)
    stream = np.concatenate([pause, *[np.concatenate([c, pause]) for c in clips]])
    captioner = LiveCaptioner(lambda: ArraySource(stream, realtime=True), recognizer)
    captioner.set_vocabulary(terms)
    heard: list[Utterance] = []
    captioner.start(heard.append)
    captioner.wait_until_drained(timeout=120)
    captioner.stop()
    latencies = [u.recognised_at_s - u.ended_at_s for u in heard]
    print("latencies (s):", " ".join(f"{x:.2f}" for x in latencies))
    print(f"where it goes: pause before the tentative cut 0.18 s + up to one 0.05 s block; "
          f"recognition median {statistics.median(seconds):.2f} s (encoder on a 10 s window "
          f"sized to the phrase, greedy decoding)")
    print(f"Whisper base int8, {threads} thread(s), {len(heard)}/{len(clips)} utterances captioned")
    median = statistics.median(latencies) if latencies else float("nan")
    line("end of utterance -> caption median", median, "s", "< 1.0 s", median < 1.0)
    line("real-time factor (median)", statistics.median(factors), "", "< 0.3",
         statistics.median(factors) < 0.3)
    line("RSS with model loaded", rss_mb(), "MB", "< 900 MB", rss_mb() < 900)


def bench_translation() -> None:
    corpus = [*PHRASES, "Please wait here.", "Xin vui lòng chờ ở đây."] * 4
    with tempfile.TemporaryDirectory() as tmp:
        models = Path(tmp)
        for source, target in (("ja", "en"), ("en", "vi")):
            install_package(build_copy_package(models / f"{source}{target}.argosmodel",
                                               source=source, target=target, corpus=corpus),
                            models)
        translator = ArgosTranslator(models)
        translator.translate("ウォームアップ。", "ja", "vi")
        sentences = [f"{n}番の{text}" for n in range(40) for text in PHRASES[:3]]   # no cache hits
        for route, target in (("direct ja->en", "en"), ("pivot ja->en->vi", "vi")):
            times = []
            for sentence in sentences:
                start = time.perf_counter()
                translator.translate(sentence, "ja", target)
                times.append((time.perf_counter() - start) * 1000)
            translator.forget()
            median = statistics.median(times)
            line(f"translation per sentence, {route}", median, "ms", "< 15 ms", median < 15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    bench_translation()
    bench_recognition(args.threads)


if __name__ == "__main__":
    main()
