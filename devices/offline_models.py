"""The device's offline models (translation packs, speech recognition, Open JTalk's dictionary):
installing, listing, trying and checking them (:class:`~kiosk.ports.ModelStore`).

IT copies the files onto the device (USB stick, software distribution); nothing is downloaded.
The tablet build leaves the translation engine and the speech recognizer out: the clerk PC at
the same counter translates and captions for its tablet, and the messages say so.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from devices.audio.whisper_model import install_stt_model, stt_model_dir
from devices.speech.japanese_dictionary import find_dictionary, install_dictionary, use_models_dir
from devices.translation.argos_translator import ArgosTranslator
from devices.translation.packages import install_package, installed_packages
from kiosk.deploy.provenance import build_flavour
from kiosk.doctor import Check, Status, guarded
from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["SPEECH_RECOGNIZER", "TRANSLATION_ENGINE", "OfflineModels", "missing_module"]

# The modules a build needs to translate or to recognise speech. The tablet build leaves them
# out (packaging/pyinstaller/kiosk.spec): the clerk PC at the same counter translates the lines
# of the conversation and recognises the clerk's speech (kiosk.storage.conversation_relay).
TRANSLATION_ENGINE = ("ctranslate2", "sentencepiece")
SPEECH_RECOGNIZER = ("faster_whisper", "ctranslate2", "numpy")

# A short sentence per source language for ``kiosk models check`` (not personal data).
_TRIAL_SENTENCES = {"ja": "番号札をお取りください。", "en": "Please take a number."}


def missing_module(modules: tuple[str, ...]) -> str | None:
    """The first of ``modules`` this installation cannot import, or ``None``; imports none."""
    for name in modules:
        try:
            if importlib.util.find_spec(name) is None:
                return name
        except (ImportError, ValueError):     # a broken or placeholder module counts as absent
            return name
    return None


def _lacks(modules: tuple[str, ...], what: str) -> str:
    """``"this build has no <what> (<why>)"``, why being the build's flavour or the module a
    checkout lacks; ``""`` when every module is there."""
    module = missing_module(modules)
    if module is None:
        return ""
    flavour = build_flavour()
    why = f"{flavour} build" if flavour else f"{module} is not installed"
    return f"this build has no {what} ({why})"


class OfflineModels:
    """The models under ``models_dir`` of a device of ``role``.

    Args:
        models_dir: ``[models] dir``.
        role: ``[device] role``; the clerk PC is the device that translates and captions.
        captions: ``[models] captions``: whether this device should caption.
        stt_threads: ``[models] stt_threads`` for the trial run of the recognizer.
    """

    def __init__(self, models_dir: Path, *, role: str, captions: bool, stt_threads: int) -> None:
        self.models_dir = models_dir
        self._role = role
        self._captions = captions
        self._stt_threads = stt_threads

    def __repr__(self) -> str:
        return f"OfflineModels({self.models_dir})"

    def install_translation(self, archive: Path) -> str:
        """Install a ``.argosmodel`` file; returns the pair.

        Raises:
            DeviceError: the file is not a language pack, or this build cannot translate.
        """
        no_engine = _lacks(TRANSLATION_ENGINE, "translation engine")
        if no_engine:
            raise DeviceError(S_("Cannot install translation models: {reason}. Install them on "
                                 "the clerk PC of the counter (full build), which translates for "
                                 "its tablet."), reason=no_engine)
        return install_package(archive, self.models_dir).pair

    def install_speech(self, directory: Path) -> Path:
        """Install a faster-whisper model directory; returns where it went.

        Raises:
            DeviceError: the directory is not a model, or this build cannot recognise speech.
        """
        no_recognizer = _lacks(SPEECH_RECOGNIZER, "speech recognizer")
        if no_recognizer:
            raise DeviceError(S_("Cannot install a speech recognition model: {reason}. Install "
                                 "it on the clerk PC of the counter (full build), which captions "
                                 "for its tablet."), reason=no_recognizer)
        return install_stt_model(directory, self.models_dir)

    def install_japanese(self, directory: Path) -> Path:
        """Install Open JTalk's Japanese dictionary (voice and readings); returns where it went.

        Raises:
            DeviceError: the directory is not the dictionary.
        """
        return install_dictionary(directory, self.models_dir)

    def use_japanese_dictionary(self) -> None:
        """Point Open JTalk at the dictionary IT installed under the models directory (a bundle
        leaves it out; a venv uses the wheel's copy)."""
        use_models_dir(self.models_dir)

    def describe(self) -> list[str]:
        """Lines for ``kiosk models list``: packs, reachable pairs through English, the speech
        model and the Japanese dictionary."""
        packs = installed_packages(self.models_dir)
        lines = [f"translation {pack.pair:<10} version {pack.version:<8} {pack.path}"
                 for pack in packs]
        no_engine = _lacks(TRANSLATION_ENGINE, "translation engine")
        if no_engine:
            lines.append(f"translation: {no_engine}; the clerk PC at the counter translates")
        elif not packs:
            lines.append(f"translation: no pack in {self.models_dir / 'translation'}")
        translator = ArgosTranslator(self.models_dir)
        codes = sorted({code for pack in packs for code in (pack.source, pack.target)})
        for source in codes:
            for target in codes:
                route = translator.route(source, target)
                if route is not None and len(route) == 3:
                    lines.append(f"translation {source}->{target:<7} through English")
        model = stt_model_dir(self.models_dir)
        no_recognizer = _lacks(SPEECH_RECOGNIZER, "speech recognizer")
        lines.append(f"speech: {no_recognizer}; the clerk PC at the counter captions"
                     if no_recognizer
                     else f"speech      {model}" if (model / "model.bin").is_file()
                     else f"speech: no model in {model}")
        dictionary = find_dictionary(self.models_dir)
        lines.append(f"japanese    {dictionary}" if dictionary
                     else "japanese: no Open JTalk dictionary (kiosk models install-japanese DIR)")
        return lines

    def run(self) -> list[Check]:
        """``kiosk models check``: load every installed model and run it once, so IT knows
        after an install (or a bundle update) that translation and captions really work here."""
        checks: list[Check] = []
        no_engine = _lacks(TRANSLATION_ENGINE, "translation engine")
        packs = [] if no_engine else installed_packages(self.models_dir)
        if no_engine:
            checks.append(Check("translation.run", Status.OK, f"{no_engine}: nothing to run"))
        translator = ArgosTranslator(self.models_dir)
        for pack in packs:
            name = f"translation.run.{pack.pair}"
            checks += guarded(name, functools.partial(_run_pack, translator, pack.source,
                                                      pack.target, name))
        checks += guarded("captions.run", lambda: [self._run_recognizer()])
        return checks

    def _run_recognizer(self) -> Check:
        no_recognizer = _lacks(SPEECH_RECOGNIZER, "speech recognizer")
        model = stt_model_dir(self.models_dir)
        if no_recognizer:
            return Check("captions.run", Status.OK, f"{no_recognizer}: nothing to run")
        if not (model / "model.bin").is_file():
            return Check("captions.run", Status.OK, f"no speech model in {model}: nothing to run")
        from devices.audio.recognizer import WhisperRecognizer  # noqa: PLC0415 - numpy, Whisper

        recognizer = WhisperRecognizer(model, threads=self._stt_threads)
        # A second of silence: loads the model and runs the encoder and the decoder once.
        import numpy as np  # noqa: PLC0415

        heard = recognizer.transcribe(np.zeros(16_000, dtype=np.float32), "ja")
        return Check("captions.run", Status.OK if heard == "" else Status.WARN,
                     "loaded and ran" if heard == "" else "heard words in silence",
                     "" if heard == "" else "Reinstall the speech model.")

    def probe(self) -> list[Check]:
        """``kiosk doctor``: the translation engine and packs, and the captions model."""
        return [*self._translation_checks(), self._captions_check()]

    def _translation_checks(self) -> list[Check]:
        no_engine = _lacks(TRANSLATION_ENGINE, "translation engine")
        if not no_engine:
            return list(ArgosTranslator(self.models_dir).probe())
        if self._role == "clerk":
            # The clerk PC is the device that translates for its counter.
            return [Check("translation.engine", Status.WARN,
                          f"{no_engine}: the visitor's lines stay untranslated at this counter",
                          "Install the full build on clerk PCs (the tablet build is for tablets "
                          "and boards).")]
        return [Check("translation.engine", Status.OK,
                      f"{no_engine}: translations come from the clerk PC at the same counter")]

    def _captions_check(self) -> Check:
        model = stt_model_dir(self.models_dir)
        no_recognizer = _lacks(SPEECH_RECOGNIZER, "speech recognizer")
        if no_recognizer:
            if self._role == "clerk" and self._captions:
                return Check("captions.model", Status.WARN,
                             f"{no_recognizer}: the clerk's speech is not captioned",
                             "Install the full build on clerk PCs (the tablet build is for "
                             "tablets and boards).")
            return Check("captions.model", Status.OK,
                         f"{no_recognizer}: captions are recognised on the clerk PC at the same "
                         "counter")
        if not (model / "model.bin").is_file():
            status = Status.WARN if self._captions else Status.OK
            return Check("captions.model", status, f"no speech model in {model}",
                         "Copy a faster-whisper model and run: kiosk models install-stt DIR")
        return Check("captions.model", Status.OK, f"speech model at {model}")


def _run_pack(translator: ArgosTranslator, source: str, target: str, name: str) -> list[Check]:
    result = translator.translate(_TRIAL_SENTENCES.get(source, "OK."), source, target)
    if not result:
        return [Check(name, Status.FAIL, "the model gave no text", "Reinstall the pack.")]
    return [Check(name, Status.OK, "loaded and ran")]
