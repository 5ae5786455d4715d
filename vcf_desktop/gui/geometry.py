"""Window and dialog sizes that fit the screen they open on, remembered between sessions (QSettings).

A window opens at its remembered size and place when that still fits the screen's available area
(a screen can be smaller than last time, or scaled); otherwise at its preferred size shrunk to fit,
centred. The main window opens maximised on screens smaller than 1400x900 (the commonest hospital
screens, and any screen at 150 % scaling). Room is left for the window manager's frame, which is
not known before the window is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from vcf_desktop.gui.qt_lazy import Qt

#: Below this available size the main window opens maximised.
MAXIMISE_BELOW = QSize(1400, 900)
#: Allowance for a window manager's frame: borders and the title bar.
FRAME_ALLOWANCE = QSize(16, 48)


def settings() -> QSettings:
    """The app's settings file (in the config folder, so `VCF_DESKTOP_DATA_DIR` moves it too)."""
    from vcf_desktop.gui.files import config_dir

    return QSettings(str(config_dir() / "settings.ini"), QSettings.Format.IniFormat)


def available_area(widget: QWidget) -> QRect:
    """The available geometry (without panels and docks) of the screen the widget is on, or the primary."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted_size(preferred: QSize, area: QRect) -> QSize:
    """`preferred`, shrunk to fit `area` with room for the frame."""
    return preferred.boundedTo(area.size() - FRAME_ALLOWANCE)


def _fits(rect: QRect, area: QRect) -> bool:
    return rect.isValid() and area.contains(rect.adjusted(0, -FRAME_ALLOWANCE.height() // 2, 0, 0))


def place(widget: QWidget, key: str, preferred: QSize, *, maximise_small: bool = False) -> bool:
    """Size and place a top-level `widget`: as remembered under `key` if that still fits, else `preferred`
    shrunk to fit and centred on its parent (or the screen). Returns whether to show it maximised (as
    remembered, or on a small screen if asked): the caller shows it with `showMaximized()`, which builds
    no Qt enum before the first paint (see gui.qt_lazy)."""
    area = available_area(widget)
    store = settings()
    saved = store.value(f"{key}/geometry")
    maximised = store.value(f"{key}/maximised", False, type=bool)
    small = area.width() < MAXIMISE_BELOW.width() or area.height() < MAXIMISE_BELOW.height()
    if isinstance(saved, QRect) and _fits(saved, area):
        widget.setGeometry(saved)
    else:
        size = fitted_size(preferred, area)
        widget.resize(size)
        parent = widget.parentWidget()
        centre = parent.window().frameGeometry().center() if parent is not None else area.center()
        top_left = centre - QPoint(size.width() // 2, size.height() // 2)
        x = min(max(top_left.x(), area.left()), area.right() + 1 - size.width() - FRAME_ALLOWANCE.width())
        y = min(max(top_left.y(), area.top()), area.bottom() + 1 - size.height() - FRAME_ALLOWANCE.height())
        widget.move(max(x, area.left()), max(y, area.top()))
        maximised = maximised or (maximise_small and small)
    return bool(maximised)


def remember(widget: QWidget, key: str) -> None:
    """Store the widget's normal (not maximised) geometry and whether it is maximised."""
    store = settings()
    store.setValue(f"{key}/geometry", widget.normalGeometry() if widget.isMaximized() else widget.geometry())
    store.setValue(f"{key}/maximised", widget.isMaximized())
    store.sync()


class _Remembered(QObject):
    """Places a dialog when it is first shown and remembers its geometry when it closes."""

    def __init__(self, widget: QWidget, key: str, preferred: QSize) -> None:
        super().__init__(widget)
        self.key, self.preferred, self.placed = key, preferred, False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if isinstance(watched, QWidget):
            if event.type() == QEvent.Type.Show and not self.placed:
                self.placed = True
                if place(watched, self.key, self.preferred):
                    watched.setWindowState(watched.windowState() | Qt.WindowState.WindowMaximized)
            elif event.type() == QEvent.Type.Hide and self.placed:
                remember(watched, self.key)
        return False


def fit_dialog(dialog: QWidget, key: str, preferred: QSize) -> None:
    """Make `dialog` open at its remembered or preferred size, fitted to the screen, and remember it."""
    dialog.resize(fitted_size(preferred, available_area(dialog)))
    _Remembered(dialog, key, preferred)
