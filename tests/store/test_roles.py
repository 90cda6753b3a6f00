"""The facilitator PIN: set on first use, kept only as a salted slow hash, wrong PINs
refused, and an increasing wait after three wrong tries in a row (on an injected clock)."""

from __future__ import annotations

import pytest

from rmdesk.errors import RmdeskError
from rmdesk.services import settings as keys
from rmdesk.services.roles import RolesService, delay_after, hash_pin, verify_pin
from rmdesk.services.settings import SettingsService
from rmdesk.store.database import Store


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def codes(call) -> str:
    with pytest.raises(RmdeskError) as info:
        call()
    return info.value.code


def test_participant_mode_is_the_default_and_no_pin_is_set(store: Store) -> None:
    roles = RolesService(store)
    assert not roles.is_facilitator
    assert not roles.has_pin()
    assert codes(lambda: roles.unlock("1234")) == "pin_not_set"
    assert codes(roles.require_facilitator) == "facilitator_only"


def test_first_pin_unlocks_then_lock_and_unlock_again(store: Store, clock: Clock) -> None:
    roles = RolesService(store, clock)
    seen: list[bool] = []
    roles.subscribe(seen.append)
    roles.set_first_pin("4711", "4711")
    assert roles.is_facilitator and roles.has_pin()
    roles.lock()
    assert not roles.is_facilitator
    roles.unlock("4711")
    assert roles.is_facilitator
    assert seen == [True, False, True]
    # A second "first" PIN would let anyone take over: it must go through change_pin.
    assert codes(lambda: roles.set_first_pin("9999")) == "pin_already_set"


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", "", " 1234", "١٢٣٤"])
def test_pin_rules(store: Store, pin: str) -> None:
    roles = RolesService(store)
    assert codes(lambda: roles.set_first_pin(pin)) == "pin_format"
    assert not roles.has_pin()


def test_confirmation_must_match(store: Store) -> None:
    roles = RolesService(store)
    assert codes(lambda: roles.set_first_pin("1234", "1243")) == "pin_mismatch"
    assert not roles.has_pin()


def test_wrong_pin_refused(store: Store, clock: Clock) -> None:
    roles = RolesService(store, clock)
    roles.set_first_pin("24680")
    roles.lock()
    assert codes(lambda: roles.unlock("24681")) == "pin_wrong"
    assert not roles.is_facilitator


def test_hash_is_salted_slow_and_the_pin_is_not_in_the_store(store: Store) -> None:
    roles = RolesService(store)
    roles.set_first_pin("918273")
    stored = SettingsService(store).get(keys.FACILITATOR_PIN)
    assert stored is not None
    name, n, r, p, salt, digest = stored.split("$")
    assert (name, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert "918273" not in stored
    # Salted: the same PIN hashes differently each time, and both verify.
    other = hash_pin("918273")
    assert other != stored and verify_pin("918273", other) and verify_pin("918273", stored)
    assert not verify_pin("918274", stored)
    store.close()
    raw = store.path.read_bytes()
    for suffix in ("-wal", "-shm"):
        extra = store.path.with_name(store.path.name + suffix)
        if extra.exists():
            raw += extra.read_bytes()
    assert b"918273" not in raw


def test_delay_grows_after_three_wrong_tries(store: Store, clock: Clock) -> None:
    roles = RolesService(store, clock)
    roles.set_first_pin("1357")
    roles.lock()
    assert codes(lambda: roles.unlock("0000")) == "pin_wrong"
    assert codes(lambda: roles.unlock("0001")) == "pin_wrong"
    assert roles.wait_seconds() == 0
    with pytest.raises(RmdeskError) as third:
        roles.unlock("0002")
    assert third.value.code == "pin_wait" and third.value.params["seconds"] == 5
    # Even the right PIN is refused until the deadline, and the refusal says how long.
    clock.now += 2
    with pytest.raises(RmdeskError) as early:
        roles.unlock("1357")
    assert early.value.code == "pin_wait" and early.value.params["seconds"] == 3
    assert not roles.is_facilitator
    clock.now += 3
    assert codes(lambda: roles.unlock("0003")) == "pin_wait"
    assert roles.wait_seconds() == 10  # doubled
    clock.now += 10
    roles.unlock("1357")
    assert roles.is_facilitator and roles.wait_seconds() == 0
    roles.lock()
    assert codes(lambda: roles.unlock("0004")) == "pin_wrong"  # the count started again


def test_restarting_the_app_does_not_reset_the_delay(store: Store, clock: Clock) -> None:
    roles = RolesService(store, clock)
    roles.set_first_pin("1357")
    roles.lock()
    for pin in ("1111", "2222", "3333"):
        with pytest.raises(RmdeskError):
            roles.unlock(pin)
    again = RolesService(store, clock)
    assert again.wait_seconds() == 5
    assert codes(lambda: again.unlock("1357")) == "pin_wait"


def test_delays() -> None:
    assert [delay_after(n) for n in range(7)] == [0, 0, 0, 5, 10, 20, 40]
    assert delay_after(50) == 300


def test_change_pin_needs_the_old_one(store: Store, clock: Clock) -> None:
    roles = RolesService(store, clock)
    roles.set_first_pin("1234")
    assert codes(lambda: roles.change_pin("4321", "5678", "5678")) == "pin_wrong"
    assert codes(lambda: roles.change_pin("1234", "56", "56")) == "pin_format"
    assert codes(lambda: roles.change_pin("1234", "5678", "5679")) == "pin_mismatch"
    roles.change_pin("1234", "5678", "5678")
    roles.lock()
    assert codes(lambda: roles.unlock("1234")) == "pin_wrong"
    roles.unlock("5678")
    assert roles.is_facilitator


def test_a_damaged_hash_does_not_unlock(store: Store) -> None:
    SettingsService(store).set(keys.FACILITATOR_PIN, "scrypt$99999999$8$1$AAAA$BBBB")
    roles = RolesService(store)
    assert not roles.has_pin()
    assert codes(lambda: roles.unlock("1234")) == "pin_not_set"
    assert not verify_pin("1234", "plain text")


def test_reset_pin_forgets_the_pin_and_the_wait(store: Store, clock: Clock) -> None:
    roles = RolesService(store, clock)
    roles.set_first_pin("4711", "4711")
    roles.lock()
    for _ in range(4):
        codes(lambda: roles.unlock("0000"))
    assert roles.wait_seconds() > 0
    # A second app on the same store (the CLI) resets; the first one no longer waits there.
    assert RolesService(store, clock).reset_pin() is True
    again = RolesService(store, clock)
    assert not again.has_pin() and again.wait_seconds() == 0
    settings = SettingsService(store)
    assert settings.get(keys.FACILITATOR_PIN) is None
    assert settings.get(keys.FACILITATOR_PIN_FAILURES) is None
    again.set_first_pin("2468", "2468")  # the next unlock chooses a new PIN
    assert again.is_facilitator
    assert again.reset_pin() is True and not again.is_facilitator
    assert again.reset_pin() is False  # nothing left to clear
