"""The staff menu's "about this device": version, build, configuration file and its checksum.

IT compares the checksum with the one ``kiosk doctor`` prints (and the fleet's records) to see
that a tablet runs the configuration it should. The facts are read again each time the panel
is refreshed (when the staff menu opens), so an update or a changed file shows at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from kiosk.deploy.provenance import AboutInfo
from kiosk.i18n import S_, Translator
from kiosk.ui.common.leaded_label import LeadedLabel
from kiosk.ui.common.tokens import SPACE

__all__ = ["AboutPanel"]

# The build flavours (kiosk.deploy.provenance.FLAVOURS) as the staff menu names them.
_FLAVOURS = {"full": S_("full"), "tablet": S_("tablet")}
_UNKNOWN = "unknown"        # the revision of a checkout without git


class AboutPanel(QWidget):
    """Four lines: version, build (or source checkout), configuration file, its checksum.

    ``read_now=False``: the facts are read at the first :meth:`refresh` only (the tablet's
    staff menu refreshes when it opens; reading the checkout's revision runs ``git``).
    ``stacked``: each value under its name, the width of the panel (a narrow tablet).
    """

    def __init__(self, tr: Translator, info: Callable[[], AboutInfo],
                 parent: QWidget | None = None, *, read_now: bool = True,
                 stacked: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("about")
        self._tr = tr
        self._info = info
        self._stacked = stacked
        self.version = self._value("about-version")
        self.build = self._value("about-build")
        self.config = self._value("about-config")
        self.checksum = self._value("about-checksum")
        rows = ((S_("Version"), self.version), (S_("Build"), self.build),
                (S_("Configuration file"), self.config),
                (S_("Configuration checksum (SHA-256)"), self.checksum))
        # Stacked: each name over its value, a little room between the pairs.
        column = QVBoxLayout(self) if stacked else None
        form = None if stacked else QFormLayout(self)
        for name, value in rows:
            label = QLabel(tr(name))
            label.setProperty("role", "muted")     # the facts stand out, not their names
            if column is not None:
                column.addWidget(label)
                column.addWidget(value)
                column.addSpacing(SPACE.s)
            elif form is not None:
                form.addRow(label, value)
        if read_now:
            self.refresh()

    def _value(self, name: str) -> QLabel:
        # Stacked (a tablet, by touch): wrapped at the design's line pitch, as the citizen's
        # text is; beside its name (a desk, with a mouse): selectable, as IT copies the
        # checksum into tickets and fleet scripts. Either way a long path or build wraps
        # rather than widening the window past its screen.
        label = LeadedLabel() if self._stacked else QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        if not self._stacked:
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def refresh(self) -> None:
        """Read the facts again and show them."""
        info = self._info()
        tr = self._tr
        # The flavour tells IT whether this device can translate itself (full) or relies on
        # the clerk PC of its counter (tablet).
        flavour = tr(_FLAVOURS[info.flavour]) if info.flavour in _FLAVOURS else info.flavour
        self.version.setText(tr(S_("{version} ({flavour} build)"), version=info.version,
                                flavour=flavour) if info.flavour else info.version)
        # The commit's digits as they are; the words around them in the desk's language
        # (a Japanese login showed "… cefaa2fa207a-dirty").
        revision = tr(S_("unknown")) if info.revision == _UNKNOWN else info.revision[:12]
        build = tr(S_("{revision}, built {built_at}"), revision=revision,
                   built_at=info.built_at) if info.built_at \
            else tr(S_("source checkout {revision}"), revision=revision)
        if info.revision.endswith("-dirty"):
            build = tr(S_("{build}, with uncommitted changes"), build=build)
        self.build.setText(build)
        self.config.setText(info.config_path or tr(S_("none (defaults)")))
        self.checksum.setText(info.config_checksum)
