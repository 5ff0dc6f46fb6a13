"""Benchmark: live captions as the app builds them, both sides of the counter (issue 23).

Everything goes through the app's own builders: ``build_captioner(config, events, catalog)``
(the clerk's microphone, with the vocabulary the app sets and refreshes from the visit) and
``build_visitor_speech`` (the visitor's microphone on the same model). Speech is synthesized
(Open JTalk for Japanese, espeak-ng for the visitor's languages) and played through the
configured capture command, at real time for the latencies.

* accuracy: CER (Japanese counter phrases) and WER (English) with the app's configuration
  and with the vocabulary emptied, side by side;
* end of utterance -> caption: counter phrases and short utterances (digits, yes/no, single
  words, three voices); the tail of the short ones is the issue's point 2;
* the visitor's speech (vi, en, zh) -> the clerk's Japanese line: Whisper in the visitor's
  language, Whisper's English where no pack leads to Japanese, then the translation (copy
  packs built offline: the kiosk's own cost, not a real model's);
* RSS with both directions loaded (one Whisper model, the translator);
* translation overhead per sentence through a copy .argosmodel (the kiosk's own cost).

The machine is shared: the load average is printed next to the figures.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_captions.py [--threads 2]
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))

from spoken import (
    ENGLISH_VOICES,
    JAPANESE_VOICES,
    cer,
    espeak,
    open_jtalk,
    pcm_file,
    stream,
    wer,
)

from devices.audio.live import LiveCaptioner
from devices.audio.visitor_listener import VisitorListener
from devices.translation.argos_translator import ArgosTranslator
from devices.translation.copy_package import build_copy_package
from devices.translation.packages import install_package
from kiosk.app import build_captioner, build_visitor_speech
from kiosk.config import Config, DeviceConfig, ModelsConfig
from kiosk.events import EventBus
from kiosk.ports import SystemClock, Utterance
from kiosk.procedures.catalog import load_catalog
from kiosk.services.conversation import Conversation

PHRASES = [
    "住民票の写しをお取りしますか。",
    "マイナンバーカードをお持ちですか。",
    "こちらの番号札をお持ちになってお待ちください。",
    "印鑑登録証明書の交付申請ですね。",
    "本人確認書類を拝見します。",
    "手数料は窓口でお支払いください。",
]
ENGLISH = ["Please take a number and wait here.", "Do you have your residence card with you?",
           "The certificate will be ready in ten minutes.", "Please sign at the bottom of this form."]
SHORT_JA = ["はい", "いいえ", "いち", "さん", "ご ご", "ゼロ きゅう ゼロ", "よん", "なな", "ろく",
            "わかりました", "お願いします", "住民票", "印鑑", "たなか", "そうです"]
SHORT_EN = ["five five", "three", "seven", "yes", "no", "zero nine zero", "eight eight eight",
            "Smith", "okay", "one two three four"]
VISITOR = {
    "vi": ("vi", 130, ["Xin cảm ơn.", "Tôi muốn lấy giấy chứng nhận.", "Tôi không hiểu."]),
    "en": ("en-us", 150, ["I would like a copy of my residence record.", "Thank you very much.",
                          "Where should I go next?"]),
    "zh_Hans": ("cmn-latn-pinyin", 120, ["wo3 mei2 you3 ka3", "xie4 xie5",
                                         "yi1 er4 san1"]),
}
# Writes a raw PCM file to stdout at real time (16 kHz, 16-bit): a microphone, for the app.
PACED = ("import sys,time;f=open(sys.argv[1],'rb');t=time.monotonic();n=0\n"
         "while (b:=f.read(1600)):\n"
         " n+=len(b);sys.stdout.buffer.write(b);sys.stdout.flush()\n"
         " time.sleep(max(0,t+n/32000-time.monotonic()))")


def whisper_model() -> Path:
    """The test model joined from the pinned wheels (same code as the tests)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "devices" / "audio"))
    from conftest import whisper_base_dir

    return Path(whisper_base_dir())


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def line(name: str, value: float, unit: str, goal: str, ok: bool) -> None:
    print(f"{name:<50} {value:8.2f} {unit:<3} goal {goal:<9} {'met' if ok else 'MISSED'}"
          f"   ({load()})")


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95)) if values else float("nan")


class App:
    """A clerk PC configured like a counter's: service A, both microphones, the test model."""

    def __init__(self, folder: Path, threads: int) -> None:
        self.folder = folder
        models = folder / "models"
        (models / "stt").mkdir(parents=True)
        (models / "stt" / "whisper").symlink_to(whisper_model())
        corpus = [*PHRASES, *ENGLISH, "Xin cảm ơn.", "谢谢", "Thank you."] * 4
        for source, target in (("en", "ja"), ("zh", "ja"), ("ja", "en"), ("ja", "zh")):
            install_package(build_copy_package(folder / f"{source}{target}.argosmodel",
                                               source=source, target=target, corpus=corpus),
                            models)
        self.translator = ArgosTranslator(models)
        self.catalog = load_catalog()
        self.config = Config(
            device=DeviceConfig(role="clerk", services=("A",), data_dir=folder / "data"),
            models=ModelsConfig(dir=models, stt_threads=threads,
                                microphone=self._mic("clerk.pcm"),
                                visitor_microphone=self._mic("visitor.pcm")))

    def _mic(self, name: str) -> str:
        return " ".join(shlex.quote(part) for part in (sys.executable, "-c", PACED,
                                                       str(self.folder / name)))

    def captioner(self, events: EventBus) -> LiveCaptioner:
        captioner = build_captioner(self.config, events, self.catalog)
        assert isinstance(captioner, LiveCaptioner)
        return captioner

    def fast(self, events: EventBus) -> LiveCaptioner:
        """The app's captioner reading its microphone file as fast as it can (accuracy)."""
        config = Config(device=self.config.device, models=ModelsConfig(
            dir=self.config.models.dir, stt_threads=self.config.models.stt_threads,
            microphone=f"cat {self.folder / 'clerk.pcm'}"))
        captioner = build_captioner(config, events, self.catalog)
        assert isinstance(captioner, LiveCaptioner)
        return captioner


def run(captioner: LiveCaptioner, samples: np.ndarray, path: Path) -> list[Utterance]:
    pcm_file(samples, path)
    heard: list[Utterance] = []
    captioner.start(heard.append)
    captioner.wait_until_drained(timeout=1200)
    captioner.stop()
    return heard


def bench_accuracy(app: App) -> None:
    clips = [open_jtalk(text) for text in PHRASES]
    print(f"\nAccuracy through build_captioner() ({len(PHRASES)} counter phrases, Open JTalk; "
          f"{len(ENGLISH)} English phrases, espeak-ng)")
    print(f"{'configuration':<44} {'ja CER':>7} {'en WER':>7}")
    setups: list[tuple[str, Callable[[LiveCaptioner, Conversation], None]]] = [
        ("app: desk + city + visit (juminhyo, inkan)",
         lambda _c, conversation: conversation.set_procedures(["juminhyo", "inkan_shomei"])),
        ("app: desk + city, no visit told", lambda _c, _conversation: None),
        ("no vocabulary (emptied)", lambda captioner, _conv: captioner.set_vocabulary([])),
    ]
    figures = {}
    for name, setup in setups:
        events = EventBus()
        captioner = app.fast(events)
        setup(captioner, Conversation(events, SystemClock(), None))
        heard = run(captioner, stream(clips), app.folder / "clerk.pcm")
        japanese = cer("".join(PHRASES), "".join(u.text for u in heard))
        english_captioner = LiveCaptioner(captioner._open_source, captioner.recognizer,
                                          language="en")
        english_captioner.set_vocabulary(captioner.vocabulary)
        english = run(english_captioner, stream([espeak(t) for t in ENGLISH]),
                      app.folder / "clerk.pcm")
        figures[name] = japanese
        print(f"{name:<44} {japanese:7.1%} "
              f"{wer(' '.join(ENGLISH), ' '.join(u.text for u in english)):7.1%}")
    first = next(iter(figures.values()))
    line("Japanese counter phrases CER, app configuration", first * 100, "%", "< 10 %",
         first < 0.10)


def bench_latency(app: App) -> None:
    said = [(text, open_jtalk(text)) for text in PHRASES]
    short = [(text, open_jtalk(text, *voice)) for voice in JAPANESE_VOICES for text in SHORT_JA]
    events = EventBus()
    captioner = app.captioner(events)
    Conversation(events, SystemClock(), None).set_procedures(["juminhyo", "inkan_shomei"])
    recognizer = captioner.recognizer
    full_runs = [0]
    original = recognizer._transcribe_full

    def counted(*args: object) -> list[str]:
        full_runs[0] += 1
        return original(*args)  # type: ignore[arg-type]

    recognizer._transcribe_full = counted  # type: ignore[method-assign]
    recognizer.transcribe(said[0][1], "ja")      # warm-up: the first call allocates buffers
    full_runs[0] = 0
    heard = run(captioner, stream([clip for _, clip in said + short], pause_s=1.2),
                app.folder / "clerk.pcm")
    latencies = [u.recognised_at_s - u.ended_at_s for u in heard]
    short_latencies = [u.recognised_at_s - u.ended_at_s for u in heard if u.audio_s < 2.5]
    print(f"\nEnd of utterance -> caption, app's captioner fed at real time "
          f"({len(heard)}/{len(said) + len(short)} captioned; {len(short)} short utterances "
          f"in {len(JAPANESE_VOICES)} voices; 30 s window runs: {full_runs[0]})")
    worst = sorted(zip(latencies, [u.text for u in heard], strict=True), reverse=True)[:3]
    print("slowest:", ", ".join(f"{x:.2f} s {t[:12]!r}" for x, t in worst))
    line("all utterances -> caption median", statistics.median(latencies), "s", "< 0.6 s",
         statistics.median(latencies) < 0.6)
    line("all utterances -> caption p95", p95(latencies), "s", "< 1.0 s", p95(latencies) < 1.0)
    line("short utterances (< 2.5 s) -> caption median", statistics.median(short_latencies),
         "s", "< 0.6 s", statistics.median(short_latencies) < 0.6)
    line("short utterances (< 2.5 s) -> caption p95", p95(short_latencies), "s", "< 1.0 s",
         p95(short_latencies) < 1.0)
    english = [espeak(text, *voice) for voice in ENGLISH_VOICES for text in SHORT_EN]
    english_captioner = LiveCaptioner(captioner._open_source, recognizer, language="en")
    heard = run(english_captioner, stream(english, pause_s=1.2), app.folder / "clerk.pcm")
    tail = [u.recognised_at_s - u.ended_at_s for u in heard]
    line(f"English short utterances ({len(heard)}/{len(english)}) p95", p95(tail), "s",
         "< 1.0 s", p95(tail) < 1.0)


def bench_visitor(app: App) -> None:
    events = EventBus()
    captioner = app.captioner(events)
    # Loaded at start of day (kiosk doctor's probe, the clerk's first caption), not per visit.
    captioner.recognizer.load()
    latencies: list[float] = []
    print("\nThe visitor's speech -> the clerk's Japanese line (build_visitor_speech, "
          "real time; copy translation packs en/zh->ja, no vi pack)")
    for code, (voice, speed, sentences) in VISITOR.items():
        conversation = Conversation(events, SystemClock(), app.translator, code)
        speech = build_visitor_speech(app.config, captioner, conversation, events)
        assert speech is not None
        said = conversation.add_citizen_speech
        times: list[float] = []
        recognised: list[float] = []

        def timed(utterance: Utterance, english: str = "", said: Callable[..., object] = said,
                  times: list[float] = times, recognised: list[float] = recognised) -> None:
            said(utterance, english)
            times.append(time.monotonic() - utterance.ended_at_s)
            recognised.append(utterance.recognised_at_s - utterance.ended_at_s)

        conversation.add_citizen_speech = timed  # type: ignore[method-assign]
        pcm_file(stream([espeak(s, voice, speed) for s in sentences], pause_s=1.2),
                 app.folder / "visitor.pcm")
        conversation.signals.request_microphone(True)
        listener = speech._listener
        assert isinstance(listener, VisitorListener)
        listener.wait_until_drained(timeout=600)
        lines = conversation.lines()
        speech.close()
        latencies += times
        route = "Whisper en -> ja" if code == "vi" else "direct pack"
        print(f"  {code:<8} {len(lines)}/{len(sentences)} lines ({route}); recognised "
              f"{' '.join(f'{x:.2f}' for x in recognised)} s; in Japanese "
              f"{' '.join(f'{x:.2f}' for x in times)} s")
    line("visitor speech (vi/en/zh) -> Japanese caption p95", p95(latencies), "s", "< 2.0 s",
         p95(latencies) < 2.0)
    line("RSS with both directions loaded", rss_mb(), "MB", "< 900 MB", rss_mb() < 900)


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
    parser.add_argument("--only", choices=("accuracy", "latency", "visitor", "translation"))
    args = parser.parse_args()
    print(f"Whisper base int8, {args.threads} thread(s), {os.cpu_count()} CPUs, {load()}")
    with tempfile.TemporaryDirectory() as folder:
        app = App(Path(folder), args.threads)
        # The visitor first: its RSS is then that of one device with both directions loaded
        # (the later sections build more captioners, each with its own model).
        if args.only in (None, "visitor"):
            bench_visitor(app)
        if args.only in (None, "accuracy"):
            bench_accuracy(app)
        if args.only in (None, "latency"):
            bench_latency(app)
    if args.only in (None, "translation"):
        bench_translation()


if __name__ == "__main__":
    main()
