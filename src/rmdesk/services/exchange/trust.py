"""Who may write what: the workshop's Ed25519 keys, and signing and checking files.

Signatures are Ed25519 from `cryptography` (a maintained, audited implementation; no
cryptography of our own). Every exchange file carries `signature.json`: a signature over
the exact bytes of its manifest, which lists the size and SHA-256 of every other member,
so changing any byte of the file, or re-hashing the manifest after an edit, breaks it.

Keys, per workshop (table exchange_key):

- the facilitator's: made on the laptop where the workshop was created, the first time it
  signs something; its private half never leaves that laptop. A participant laptop pins
  the public half from the first kit of the workshop it imports, and from then on accepts
  kits for that workshop only when signed by that key;
- one per group: made by the facilitator's laptop when it writes that group's kit. The
  kit for a group's laptop carries that group's private key and no other, so a group's
  laptop can sign its own group's work and nobody else's. Every kit carries the public
  keys of all groups, so laptops can check each other's files.

The facilitator's laptop accepts group work signed by that group's key or by its own;
so does a participant laptop (two laptops of one group sharing work).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from sqlmodel import Session, select

from rmdesk.store.models import ExchangeKey

FACILITATOR = ""  # the group_id of the facilitator's key row
SIGNATURE_CONTEXT = b"rmdesk-exchange/1 manifest\n"  # a signature means only this


@dataclass(frozen=True)
class KeyPair:
    public: str  # base64 of the raw 32-byte key
    private: str  # base64 of the raw 32-byte seed; "" when not held


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, size: int) -> bytes | None:
    """The bytes of a base64 text of exactly `size` bytes, or None."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    return raw if len(raw) == size else None


def new_keypair() -> KeyPair:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return KeyPair(b64(public), b64(private))


def public_of(private: str) -> str | None:
    raw = unb64(private, 32)
    if raw is None:
        return None
    key = Ed25519PrivateKey.from_private_bytes(raw)
    return b64(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def sign(private: str, manifest: bytes) -> str:
    raw = unb64(private, 32)
    if raw is None:  # only our own stored keys come here
        raise ValueError("not an Ed25519 private key")
    return b64(Ed25519PrivateKey.from_private_bytes(raw).sign(SIGNATURE_CONTEXT + manifest))


def verify(public: str, signature: str, manifest: bytes) -> bool:
    """Whether `signature` is `public`'s signature of these manifest bytes."""
    key, sig = unb64(public, 32), unb64(signature, 64)
    if key is None or sig is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(sig, SIGNATURE_CONTEXT + manifest)
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(public: str) -> str:
    """A short form of a public key for messages (first 16 hex digits of its bytes)."""
    raw = unb64(public, 32) or b""
    return raw.hex()[:16]


# -- keys in the store ---------------------------------------------------------------------
def get_key(s: Session, workshop_id: str, group_id: str = FACILITATOR) -> ExchangeKey | None:
    return s.get(ExchangeKey, (workshop_id, group_id))


def workshop_keys(s: Session, workshop_id: str) -> list[ExchangeKey]:
    return list(s.exec(select(ExchangeKey).where(ExchangeKey.workshop_id == workshop_id)
                       .order_by(ExchangeKey.group_id)))


def own_facilitator_key(s: Session, workshop_id: str, *, create: bool) -> ExchangeKey | None:
    """This laptop's facilitator key for the workshop, if this laptop is its facilitator's.

    A workshop with no key row at all was made here (kits always bring one), so the key is
    made on first use. A pinned key without its private half means another laptop is the
    facilitator's: None."""
    row = get_key(s, workshop_id)
    if row is None and create:
        pair = new_keypair()
        row = ExchangeKey(workshop_id=workshop_id, group_id=FACILITATOR,
                          public_key=pair.public, private_key=pair.private)
        s.add(row)
        s.flush()
    if row is None or not row.private_key:
        return None
    return row


def issue_group_key(s: Session, workshop_id: str, group_id: str) -> ExchangeKey:
    """The group's key, made the first time the facilitator's laptop needs it."""
    row = get_key(s, workshop_id, group_id)
    if row is None:
        pair = new_keypair()
        row = ExchangeKey(workshop_id=workshop_id, group_id=group_id,
                          public_key=pair.public, private_key=pair.private)
        s.add(row)
        s.flush()
    return row


def pin_key(s: Session, workshop_id: str, group_id: str, public: str,
            private: str = "") -> None:
    """Remember a key brought by a kit (a private half only for this laptop's group)."""
    row = get_key(s, workshop_id, group_id)
    if row is None:
        s.add(ExchangeKey(workshop_id=workshop_id, group_id=group_id, public_key=public,
                          private_key=private))
        return
    if row.private_key and group_id == FACILITATOR:
        return  # the facilitator's own laptop: its key stays whole
    row.public_key, row.private_key = public, private
    s.add(row)
