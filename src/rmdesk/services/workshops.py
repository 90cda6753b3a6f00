"""Workshops, groups and members, and which group this laptop is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import select

from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGES
from rmdesk.services import settings as keys
from rmdesk.services.settings import SettingsService
from rmdesk.store.database import Store
from rmdesk.store.models import Member, WorkGroup, Workshop

MAX_NAME = 200


@dataclass
class WorkshopInput:
    title: str
    venue: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    languages: tuple[str, ...] = ("en",)

    def validated(self) -> WorkshopInput:
        title = self.title.strip()
        if not title:
            raise RmdeskError("title_required")
        if len(title) > MAX_NAME:
            raise RmdeskError("text_too_long", field="title", length=len(title), limit=MAX_NAME)
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise RmdeskError("dates_out_of_order")
        langs = tuple(lang for lang in LANGUAGES if lang in self.languages) or ("en",)
        return WorkshopInput(title, self.venue.strip(), self.start_date, self.end_date, langs)


class WorkshopService:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.settings = SettingsService(store)

    # -- workshops ---------------------------------------------------------------
    def create_workshop(
        self, data: WorkshopInput, pack_id: str = "", pack_version: str = ""
    ) -> Workshop:
        data = data.validated()
        workshop = Workshop(
            title=data.title,
            venue=data.venue,
            start_date=data.start_date,
            end_date=data.end_date,
            languages=" ".join(data.languages),
            pack_id=pack_id,
            pack_version=pack_version,
        )
        with self.store.session() as s:
            s.add(workshop)
        return workshop

    def update_workshop(self, workshop_id: str, data: WorkshopInput) -> Workshop:
        data = data.validated()
        with self.store.session() as s:
            workshop = s.get(Workshop, workshop_id)
            if workshop is None:
                raise RmdeskError("unknown_workshop", title=workshop_id)
            workshop.title = data.title
            workshop.venue = data.venue
            workshop.start_date = data.start_date
            workshop.end_date = data.end_date
            workshop.languages = " ".join(data.languages)
            workshop.revision += 1
            s.add(workshop)
        return workshop

    def list_workshops(self) -> list[Workshop]:
        with self.store.session() as s:
            return list(s.exec(select(Workshop).order_by(Workshop.created_at)))

    def get_workshop(self, workshop_id: str) -> Workshop | None:
        with self.store.session() as s:
            return s.get(Workshop, workshop_id)

    def find_workshop(self, title: str) -> Workshop:
        with self.store.session() as s:
            found = s.exec(select(Workshop).where(Workshop.title == title)).first()
        if found is None:
            raise RmdeskError("unknown_workshop", title=title)
        return found

    # -- groups ------------------------------------------------------------------
    def list_groups(self, workshop_id: str) -> list[WorkGroup]:
        with self.store.session() as s:
            query = (
                select(WorkGroup)
                .where(WorkGroup.workshop_id == workshop_id)
                .order_by(WorkGroup.position, WorkGroup.name)
            )
            return list(s.exec(query))

    def add_group(self, workshop_id: str, name: str) -> WorkGroup:
        name = self._clean_name(name)
        groups = self.list_groups(workshop_id)
        if any(g.name.casefold() == name.casefold() for g in groups):
            raise RmdeskError("duplicate_group", name=name)
        group = WorkGroup(workshop_id=workshop_id, name=name, position=len(groups))
        with self.store.session() as s:
            s.add(group)
        return group

    def rename_group(self, group_id: str, name: str) -> WorkGroup:
        name = self._clean_name(name)
        with self.store.session() as s:
            group = s.get(WorkGroup, group_id)
            if group is None:
                raise RmdeskError("unknown_group", name=group_id)
            others = s.exec(
                select(WorkGroup).where(
                    WorkGroup.workshop_id == group.workshop_id, WorkGroup.id != group_id
                )
            )
            if any(g.name.casefold() == name.casefold() for g in others):
                raise RmdeskError("duplicate_group", name=name)
            group.name = name
            group.revision += 1
            s.add(group)
        return group

    def remove_group(self, group_id: str) -> None:
        with self.store.session() as s:
            group = s.get(WorkGroup, group_id)
            if group is not None:
                s.delete(group)
        if self.settings.get(keys.CURRENT_GROUP) == group_id:
            self.settings.set(keys.CURRENT_GROUP, None)

    def find_group(self, workshop_id: str, name: str) -> WorkGroup:
        groups = self.list_groups(workshop_id)
        for group in groups:
            if group.name == name:
                return group
        raise RmdeskError("unknown_group_choices", name=name,
                          choices=", ".join(f"“{g.name}”" for g in groups) or "—")

    def get_group(self, group_id: str) -> WorkGroup | None:
        with self.store.session() as s:
            return s.get(WorkGroup, group_id)

    # -- members -----------------------------------------------------------------
    def list_members(self, group_id: str) -> list[Member]:
        with self.store.session() as s:
            query = select(Member).where(Member.group_id == group_id).order_by(Member.position)
            return list(s.exec(query))

    def add_member(self, group_id: str, name: str = "", administration: str = "") -> Member:
        position = len(self.list_members(group_id))
        member = Member(
            group_id=group_id,
            name=name.strip()[:MAX_NAME],
            administration=administration.strip()[:MAX_NAME],
            position=position,
        )
        with self.store.session() as s:
            s.add(member)
        return member

    def update_member(self, member_id: str, *, name: str | None = None,
                      administration: str | None = None) -> Member:
        with self.store.session() as s:
            member = s.get(Member, member_id)
            if member is None:
                raise RmdeskError("name_required")
            if name is not None:
                member.name = name.strip()[:MAX_NAME]
            if administration is not None:
                member.administration = administration.strip()[:MAX_NAME]
            member.revision += 1
            s.add(member)
        return member

    def remove_member(self, member_id: str) -> None:
        with self.store.session() as s:
            member = s.get(Member, member_id)
            if member is not None:
                s.delete(member)

    # -- this laptop ---------------------------------------------------------------
    def current_selection(self) -> tuple[Workshop | None, WorkGroup | None]:
        """The workshop and group this laptop works for (falls back sensibly)."""
        workshops = self.list_workshops()
        wanted = self.settings.get(keys.CURRENT_WORKSHOP)
        workshop = next((w for w in workshops if w.id == wanted), None)
        if workshop is None and workshops:
            workshop = workshops[-1]
        if workshop is None:
            return None, None
        groups = self.list_groups(workshop.id)
        wanted_group = self.settings.get(keys.CURRENT_GROUP)
        group = next((g for g in groups if g.id == wanted_group), None)
        return workshop, group

    def select(self, workshop_id: str | None, group_id: str | None) -> None:
        self.settings.set(keys.CURRENT_WORKSHOP, workshop_id)
        self.settings.set(keys.CURRENT_GROUP, group_id)

    @staticmethod
    def _clean_name(name: str) -> str:
        name = name.strip()
        if not name:
            raise RmdeskError("name_required")
        if len(name) > MAX_NAME:
            raise RmdeskError("text_too_long", field="name", length=len(name), limit=MAX_NAME)
        return name
