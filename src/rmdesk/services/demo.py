"""The demo workshop: three groups with a filled-in register, for newcomers and checks."""

from __future__ import annotations

import tomllib

from rmdesk import paths
from rmdesk.content.pack import builtin_pack
from rmdesk.domain.register import EDITABLE_FIELDS
from rmdesk.services.register import RegisterService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store
from rmdesk.store.models import Workshop

DEMO_TITLE = "Demo workshop"
DEMO_FILE = "demo.toml"


def create_demo(store: Store) -> Workshop:
    data = tomllib.loads((paths.builtin_content_dir() / DEMO_FILE).read_text(encoding="utf-8"))
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
    register = RegisterService(store)
    for group_data in data["groups"]:
        group = workshops.add_group(workshop.id, group_data["name"])
        for member in group_data.get("members", []):
            workshops.add_member(group.id, member["name"], member.get("administration", ""))
        for risk in group_data.get("risks", []):
            register.add_risk(group.id, **{k: v for k, v in risk.items() if k in EDITABLE_FIELDS})
    register.history.clear()
    return workshop
