"""The demo workshop: three groups at different stages of a whole workshop, and the model.

resources/content/demo.toml names the workshop, its groups, their members and their
E2/E3 registers; each group's `work` file (resources/content/demo/) holds its answers to
the other exercises, keyed by exercise id of the built-in pack, in the shapes that
rmdesk.services.group_fill stores through the same services the GUI uses, so the demo is
what a group would have typed. A fourth group, "Model answer", holds the pack's model
work (rmdesk.services.model_answers).
"""

from __future__ import annotations

import tomllib
from typing import Any

from rmdesk import paths
from rmdesk.content.pack import builtin_pack
from rmdesk.services.group_fill import GroupFiller
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store
from rmdesk.store.models import Workshop

DEMO_TITLE = "Demo workshop"
DEMO_FILE = "demo.toml"


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads((paths.builtin_content_dir() / name).read_text(encoding="utf-8"))


def create_demo(store: Store) -> Workshop:
    data = _load(DEMO_FILE)
    meta = data["workshop"]
    pack = builtin_pack()
    workshops = WorkshopService(store)
    workshop = workshops.create_workshop(
        WorkshopInput(
            title=meta.get("title", DEMO_TITLE),
            venue=meta.get("venue", ""),
            start_date=meta.get("start"),
            end_date=meta.get("end"),
            languages=tuple(meta.get("languages", ["en"])),
        ),
        pack.pack.id,
        pack.pack.version,
    )
    for group_data in data["groups"]:
        group = workshops.add_group(workshop.id, group_data["name"])
        for member in group_data.get("members", []):
            workshops.add_member(group.id, member["name"], member.get("administration", ""))
        filler = GroupFiller(store, pack, group.id)
        filler.add_risks(group_data.get("risks", []))
        if group_data.get("work"):
            filler.fill(_load(group_data["work"]))
        filler.register.history.clear()
    # The pack's model answers, as a fourth group: seen, printed and compared like any
    # group's work (and what `rmdesk check` must find nothing wrong with).
    from rmdesk.services.model_answers import MODEL_GROUP_NAME, ModelAnswerService

    if pack.model_work:
        model = workshops.add_group(workshop.id, meta.get("model_group", MODEL_GROUP_NAME))
        ModelAnswerService(store, pack).fill_group(model.id, meta.get("model_language", "en"))
    return workshop
