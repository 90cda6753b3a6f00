"""E2/E3 use cases: the group's risk register and ratings, with undo/redo."""

from __future__ import annotations

from sqlmodel import select

from rmdesk.domain.register import (
    EDITABLE_FIELDS,
    MAX_CODE_LENGTH,
    MAX_TEXT_LENGTH,
    RATING_FIELDS,
    RISK_AREAS,
    RiskEntry,
    next_code,
)
from rmdesk.domain.scales import in_scale
from rmdesk.errors import RmdeskError
from rmdesk.services.history import Change, EditHistory
from rmdesk.store.database import Store
from rmdesk.store.models import Risk, utcnow


def to_entry(row: Risk) -> RiskEntry:
    return RiskEntry(id=row.id, **{name: getattr(row, name) for name in EDITABLE_FIELDS})


def validate_value(field: str, value: object) -> object:
    """Normalise a value for a field or raise an RmdeskError naming what is wrong."""
    if field not in EDITABLE_FIELDS:
        raise ValueError(f"not an editable field: {field}")
    if field in RATING_FIELDS:
        if value is None or value == "":
            return None
        try:
            number = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise RmdeskError("rating_out_of_range", value=value) from None
        if not in_scale(number) or str(number) != str(value).strip():
            raise RmdeskError("rating_out_of_range", value=value)
        return number
    text = "" if value is None else str(value)
    if field == "area":
        return text if text in RISK_AREAS else ""
    limit = MAX_CODE_LENGTH if field == "code" else MAX_TEXT_LENGTH
    if len(text) > limit:
        raise RmdeskError("text_too_long", field=field, length=len(text), limit=limit)
    return text


class RegisterService:
    def __init__(self, store: Store, history: EditHistory | None = None) -> None:
        self.store = store
        self.history = history or EditHistory()

    def list_risks(self, group_id: str) -> list[RiskEntry]:
        with self.store.session() as s:
            query = (
                select(Risk)
                .where(Risk.group_id == group_id, Risk.deleted == False)  # noqa: E712
                .order_by(Risk.position, Risk.code)
            )
            return [to_entry(row) for row in s.exec(query)]

    def get(self, risk_id: str) -> RiskEntry:
        with self.store.session() as s:
            row = s.get(Risk, risk_id)
            if row is None:
                raise KeyError(risk_id)
            return to_entry(row)

    def add_risk(self, group_id: str, **values: object) -> RiskEntry:
        with self.store.session() as s:
            rows = list(s.exec(select(Risk).where(Risk.group_id == group_id)))
            clean = {k: validate_value(k, v) for k, v in values.items()}
            live_codes = [r.code for r in rows if not r.deleted]
            clean.setdefault("code", next_code(live_codes + [r.code for r in rows]))
            position = max((r.position for r in rows), default=-1) + 1
            row = Risk(group_id=group_id, position=position, **clean)
            s.add(row)
        self.history.record(Change("add", row.id))
        return to_entry(row)

    def update_field(self, risk_id: str, field: str, value: object) -> RiskEntry:
        clean = validate_value(field, value)
        old = self._write(risk_id, field, clean)
        if old != clean:
            self.history.record(Change("field", risk_id, field, old, clean))
        return self.get(risk_id)

    def delete_risk(self, risk_id: str) -> None:
        self._set_deleted(risk_id, True)
        self.history.record(Change("delete", risk_id))

    # -- undo / redo ---------------------------------------------------------------
    def undo(self) -> str | None:
        """Reverse the last change; returns the risk it touched (for the UI to select)."""
        change = self.history.pop_undo()
        if change is None:
            return None
        if change.kind == "field":
            self._write(change.risk_id, change.field, change.old)
        else:
            self._set_deleted(change.risk_id, change.kind == "add")
        return change.risk_id

    def redo(self) -> str | None:
        change = self.history.pop_redo()
        if change is None:
            return None
        if change.kind == "field":
            self._write(change.risk_id, change.field, change.new)
        else:
            self._set_deleted(change.risk_id, change.kind == "delete")
        return change.risk_id

    # -- writes ----------------------------------------------------------------------
    def _write(self, risk_id: str, field: str, value: object) -> object:
        with self.store.session() as s:
            row = s.get(Risk, risk_id)
            if row is None:
                raise KeyError(risk_id)
            old = getattr(row, field)
            if old != value:
                setattr(row, field, value)
                row.revision += 1
                row.updated_at = utcnow()
                s.add(row)
        return old

    def _set_deleted(self, risk_id: str, deleted: bool) -> None:
        with self.store.session() as s:
            row = s.get(Risk, risk_id)
            if row is None:
                raise KeyError(risk_id)
            row.deleted = deleted
            row.revision += 1
            row.updated_at = utcnow()
            s.add(row)
