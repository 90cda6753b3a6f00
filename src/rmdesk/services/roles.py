"""Participant and facilitator modes, and the facilitator's PIN.

Participant mode is the default. Facilitator mode (model answers, notes, scoring, phase
control, the comparison dashboard) is unlocked with a PIN chosen on first use. The PIN is
kept only as a salted scrypt hash in the store's settings; after three wrong tries in a row
the service refuses every try until a deadline on the monotonic clock that doubles with
each further failure. The count of wrong tries is kept in the store, so quitting and
restarting the app does not reset the delay.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import os
import time
from collections.abc import Callable

from rmdesk.errors import RmdeskError
from rmdesk.services import settings as keys
from rmdesk.services.settings import SettingsService
from rmdesk.store.database import Store

PIN_MIN, PIN_MAX = 4, 12
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
FREE_TRIES = 3  # wrong PINs before the first delay
FIRST_DELAY = 5.0  # seconds after the third wrong PIN, doubling with each one after it
MAX_DELAY = 300.0


def delay_after(failures: int) -> float:
    """Seconds to wait after `failures` wrong tries in a row (0 while fewer than 3)."""
    if failures < FREE_TRIES:
        return 0.0
    return min(MAX_DELAY, FIRST_DELAY * 2 ** min(failures - FREE_TRIES, 16))


def check_pin_format(pin: str) -> str:
    if not (PIN_MIN <= len(pin) <= PIN_MAX) or not all("0" <= ch <= "9" for ch in pin):
        raise RmdeskError("pin_format")
    return pin


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P,
             salt: bytes | None = None) -> str:
    """'scrypt$n$r$p$salt$hash' with the salt and hash in base64."""
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                            maxmem=256 * n * r * p, dklen=HASH_BYTES)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode('ascii')}${b64(digest).decode('ascii')}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        n, r, p = (int(v) for v in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    # Parameters out of any sane range would make a check hang or exhaust memory.
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16
            and salt and digest):
        return None
    return n, r, p, salt, digest


def verify_pin(pin: str, stored: str) -> bool:
    parsed = _parse(stored)
    if parsed is None:
        return False
    n, r, p, salt, digest = parsed
    candidate = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                               maxmem=256 * n * r * p, dklen=len(digest))
    return hmac.compare_digest(candidate, digest)


class RolesService:
    """Which mode this laptop is in, and the PIN that unlocks facilitator mode.

    One instance per running app: the mode itself is not stored, so every start is in
    participant mode."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = SettingsService(store)
        self._clock = clock
        self._facilitator = False
        self._listeners: list[Callable[[bool], None]] = []
        failures = self._failures()
        self._deadline = clock() + delay_after(failures) if failures >= FREE_TRIES else 0.0

    # -- mode -----------------------------------------------------------------------------
    @property
    def is_facilitator(self) -> bool:
        return self._facilitator

    def subscribe(self, listener: Callable[[bool], None]) -> None:
        """`listener(is_facilitator)` after every change of mode."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[bool], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _set_mode(self, facilitator: bool) -> None:
        changed = facilitator != self._facilitator
        self._facilitator = facilitator
        if changed:
            for listener in list(self._listeners):
                listener(facilitator)

    def lock(self) -> None:
        """Back to participant mode."""
        self._set_mode(False)

    def require_facilitator(self) -> None:
        if not self._facilitator:
            raise RmdeskError("facilitator_only")

    # -- PIN ------------------------------------------------------------------------------
    def has_pin(self) -> bool:
        stored = self.settings.get(keys.FACILITATOR_PIN)
        return bool(stored) and _parse(stored or "") is not None

    def wait_seconds(self) -> float:
        """How long before the next try is accepted (0: now)."""
        return max(0.0, self._deadline - self._clock())

    def set_first_pin(self, pin: str, confirm: str | None = None) -> None:
        """Choose the PIN on first use; this also unlocks facilitator mode."""
        if self.has_pin():
            raise RmdeskError("pin_already_set")
        check_pin_format(pin)
        if confirm is not None and confirm != pin:
            raise RmdeskError("pin_mismatch")
        self.settings.set(keys.FACILITATOR_PIN, hash_pin(pin))
        self._record(success=True)
        self._set_mode(True)

    def unlock(self, pin: str) -> None:
        """Enter facilitator mode, or raise pin_wait / pin_wrong / pin_not_set."""
        self._verify(pin)
        self._set_mode(True)

    def change_pin(self, old: str, new: str, confirm: str | None = None) -> None:
        check_pin_format(new)
        if confirm is not None and confirm != new:
            raise RmdeskError("pin_mismatch")
        self._verify(old)
        self.settings.set(keys.FACILITATOR_PIN, hash_pin(new))

    def reset_pin(self) -> bool:
        """Forget the PIN and the count of wrong tries (for `rmdesk facilitator reset-pin`).

        The next unlock chooses a new PIN. Returns whether a PIN or a wait was there to
        clear. This needs no PIN: whoever can run commands on the laptop can read the store
        anyway; the PIN only keeps participants out of facilitator mode."""
        had = (self.settings.get(keys.FACILITATOR_PIN) is not None
               or self.settings.get(keys.FACILITATOR_PIN_FAILURES) is not None)
        self.settings.set(keys.FACILITATOR_PIN, None)
        self.settings.set(keys.FACILITATOR_PIN_FAILURES, None)
        self._deadline = 0.0
        self._set_mode(False)
        return had

    def _verify(self, pin: str) -> None:
        stored = self.settings.get(keys.FACILITATOR_PIN) or ""
        if _parse(stored) is None:
            raise RmdeskError("pin_not_set")
        wait = self.wait_seconds()
        if wait > 0:  # refused without even looking at the PIN
            raise RmdeskError("pin_wait", seconds=math.ceil(wait))
        if not verify_pin(pin, stored):
            failures = self._record(success=False)
            if failures >= FREE_TRIES:
                raise RmdeskError("pin_wait", seconds=math.ceil(delay_after(failures)))
            raise RmdeskError("pin_wrong")
        self._record(success=True)

    def _failures(self) -> int:
        try:
            return max(0, int(self.settings.get(keys.FACILITATOR_PIN_FAILURES) or 0))
        except ValueError:
            return FREE_TRIES  # a tampered counter counts as a used-up allowance

    def _record(self, success: bool) -> int:
        failures = 0 if success else self._failures() + 1
        self.settings.set(keys.FACILITATOR_PIN_FAILURES, str(failures) if failures else None)
        self._deadline = self._clock() + delay_after(failures) if failures else 0.0
        return failures
