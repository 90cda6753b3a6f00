"""Which of its pack's exercises a workshop uses (its agenda).

The choice is kept in the Setting table under "workshop.<id>.exercises" as a JSON list of
exercise ids (no schema change); no entry means every exercise of the pack. Hidden
exercises keep their stored work: only the views built on `visible_pack` leave them out
(navigation, prints, progress), so showing an exercise again brings its work back.
"""

from __future__ import annotations

import json

from rmdesk.content.pack import ContentPack
from rmdesk.errors import RmdeskError
from rmdesk.services.settings import SettingsService
from rmdesk.store.database import Store

MAX_IDS = 64  # more ids than any pack has exercises is hostile input, refused before parsing
MAX_ID_LENGTH = 64


def setting_key(workshop_id: str) -> str:
    return f"workshop.{workshop_id}.exercises"


def chosen_ids(store: Store, workshop_id: str) -> list[str] | None:
    """The exercise ids chosen for the workshop; None for "all" (nothing chosen, or an
    entry this version cannot read)."""
    return parse_stored(SettingsService(store).get(setting_key(workshop_id)))


def parse_stored(raw: str | None) -> list[str] | None:
    """The Setting's JSON list, or None ("all") when there is none or it is unreadable."""
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
        return None
    return value


def apply(pack: ContentPack, ids: list[str] | None) -> ContentPack:
    """The pack as the workshop shows it: only the chosen exercises, in pack order. Ids the
    pack does not know are ignored; a choice that leaves nothing shows everything."""
    if ids is None:
        return pack
    wanted = set(ids)
    kept = [e for e in pack.exercises if e.id in wanted]
    if not kept or len(kept) == len(pack.exercises):
        return pack
    return pack.model_copy(update={"exercises": kept})


def visible_pack(store: Store, workshop_id: str | None, pack: ContentPack) -> ContentPack:
    return pack if workshop_id is None else apply(pack, chosen_ids(store, workshop_id))


def hidden_ids(store: Store, workshop_id: str, pack: ContentPack) -> list[str]:
    shown = {e.id for e in visible_pack(store, workshop_id, pack).exercises}
    return [e.id for e in pack.exercises if e.id not in shown]


def parse_exercise_list(text: str) -> list[str]:
    """"E1, e4,e2e3" -> ["e1", "e4", "e2e3"] (ids are lower case in packs)."""
    if len(text) > MAX_IDS * (MAX_ID_LENGTH + 2):
        raise RmdeskError("agenda_too_many", count=MAX_IDS)
    return [part.strip().lower() for part in text.split(",") if part.strip()]


def validate(pack: ContentPack, ids: list[str]) -> list[str]:
    """The ids in pack order, or RmdeskError naming what is wrong."""
    if len(ids) > MAX_IDS:
        raise RmdeskError("agenda_too_many", count=MAX_IDS)
    known = [e.id for e in pack.exercises]
    unknown = [i for i in ids if i not in known]
    if unknown:
        shown = ", ".join(i[:MAX_ID_LENGTH] for i in unknown[:5])
        raise RmdeskError("agenda_unknown_exercises", found=shown, choices=", ".join(known))
    if not ids:
        raise RmdeskError("agenda_empty")
    wanted = set(ids)
    return [i for i in known if i in wanted]


def preset_ids(pack: ContentPack, agenda_id: str) -> list[str]:
    agenda = pack.agenda(agenda_id)
    if agenda is None:
        raise RmdeskError("agenda_unknown_preset", found=agenda_id[:MAX_ID_LENGTH],
                          choices=", ".join(a.id for a in pack.agendas) or "-")
    return agenda.exercise_ids(pack)


def choose(store: Store, workshop_id: str, pack: ContentPack, ids: list[str]) -> list[str]:
    """Store the workshop's exercises (validated); all of them is stored as "all", so
    exercises a later pack version adds are shown too. Returns the ids shown."""
    ordered = validate(pack, ids)
    every = len(ordered) == len(pack.exercises)
    SettingsService(store).set(setting_key(workshop_id),
                               None if every else json.dumps(ordered))
    return ordered
