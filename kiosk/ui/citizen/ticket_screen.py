"""Ticket: the number, where to wait, people ahead, the wait, a QR code; then back to Welcome."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout

from kiosk.errors import UserFacingError
from kiosk.i18n import N_
from kiosk.ui.citizen.screen_base import Actions, CitizenScreen

__all__ = ["TicketScreen", "qr_pixmap"]


def qr_pixmap(payload: str, scale: int = 8) -> QPixmap:
    """A QR code of ``payload`` as a pixmap (black on white, 4-module quiet zone)."""
    # Here: segno brings urllib's HTTP and mail modules, which the tablet would otherwise
    # load before it takes over from the start-up Welcome.
    import segno  # noqa: PLC0415

    code = segno.make(payload, error="m")
    width, height = (int(side) for side in code.symbol_size(scale=1))
    # One byte per module, built in Python and copied once (setPixel per pixel is slow and
    # crashed PySide 6.12 with ARGB values above 2**31), then enlarged by Qt without
    # smoothing: a pixel per module in Python took a tenth of a second per ticket.
    pixels = bytes(0 if dark else 255 for row in code.matrix_iter(scale=1, border=4)
                   for dark in row)
    image = QImage(pixels, width, height, width, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(image.scaled(width * scale, height * scale,
                                          Qt.AspectRatioMode.IgnoreAspectRatio,
                                          Qt.TransformationMode.FastTransformation))


class TicketScreen(CitizenScreen):
    """The ticket just issued; "done" wipes the visit. At a branch with the remote counter
    the visitor can ask for a specialist of the main office here."""

    _refused = False

    def build(self, layout: QVBoxLayout) -> None:
        """Number, counter, wait, QR code, and the finish button."""
        visit, tr = self.visit, self.marked
        ticket = visit.ticket
        if ticket is None:
            return
        layout.addWidget(self.label(tr(N_("Your number")), role="heading"))
        number = self.label(ticket.label, role="ticket", name="ticket-number")
        number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(number)
        layout.addWidget(self.label(tr(N_("Please wait for counter {counter} ({department})."),
                                       counter=ticket.counter, department=ticket.department)))
        if ticket.people_ahead == 0:
            # Honest: nobody ahead is "next", never "0 people, about 0 minutes" (the board's
            # estimate is for a ticket taken now, behind this one).
            layout.addWidget(self.label(tr(N_("You are next.")), name="ahead"))
        else:
            layout.addWidget(self.label(visit.tr.plural("{n} person is ahead of you.",
                                                  "{n} people are ahead of you.",
                                                  ticket.people_ahead), name="ahead"))
            layout.addWidget(self.label(tr(N_("Estimated wait: about {minutes} minutes."),
                                           minutes=ticket.wait_minutes), name="wait"))
        if ticket.message_id:
            layout.addWidget(self.label("⚠ " + tr(ticket.message_id), role="error"))
        layout.addWidget(self.label(tr(N_("The number is shown on the screen in the waiting "
                                          "room when it is your turn."))))
        self._specialist(layout)
        code = QLabel()
        code.setObjectName("ticket-qr")
        code.setPixmap(qr_pixmap(ticket.qr_payload or f"TOME-KIOSK-TICKET:{ticket.label}"))
        code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(code)

    def _specialist(self, layout: QVBoxLayout) -> None:
        # At a branch (総合支所) with the remote counter: a specialist of the main office by
        # video, at the branch's counter; the request names this ticket.
        visit, tr = self.visit, self.marked
        if visit.specialist.asked:
            layout.addWidget(self.label(tr(N_("A specialist at the main office has been asked. "
                                              "The staff will call you to the video counter.")),
                                        role="heading", name="specialist-asked"))
        elif visit.specialist.available:
            ask = self.button(tr(N_("Talk to a specialist at the main office by video")),
                              "ask-specialist", role="primary")
            ask.clicked.connect(self._on_ask_specialist)
            layout.addWidget(ask)
            if self._refused:
                layout.addWidget(self.label("⚠ " + tr(N_("The main office could not be asked. "
                                                        "Please ask the staff.")), role="error"))

    def _on_ask_specialist(self) -> None:
        try:
            self.visit.specialist.ask()
        except UserFacingError:
            self._refused = True
            self.refresh()

    def footer_actions(self) -> Actions:
        """Finish (no way back: the ticket is issued)."""
        return Actions(forward=self.action(N_("Finish"), "finish", self._on_finish))

    def _on_finish(self) -> None:
        self.visit.end("finished")
