"""The game clock: a daemon thread that resolves the turns whose timer ran out."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.game.engine import GameEngine

__all__ = ["Clock"]


class Clock:
    """A daemon thread that resolves turns whose timer ran out, every ``interval`` seconds."""

    def __init__(self, engine: GameEngine, interval: float = 0.5) -> None:
        self.engine = engine
        self.interval = interval
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="flashpoint-game-clock", daemon=True)

    def start(self) -> Clock:
        """Start ticking."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop ticking."""
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.engine.tick()
            except Exception:  # noqa: BLE001 — a failing game must not stop the clock of the others
                continue
