"""Tables. Stable UUIDs and per-record revisions let work from several laptops merge later
without trusting device clocks."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Workshop(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    title: str
    venue: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    languages: str = "en"  # space-separated language codes
    pack_id: str = ""
    pack_version: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    revision: int = 1

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split() if code]


class WorkGroup(SQLModel, table=True):
    __tablename__ = "work_group"

    id: str = Field(default_factory=new_id, primary_key=True)
    workshop_id: str = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    name: str
    position: int = 0
    revision: int = 1


class Member(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    group_id: str = Field(foreign_key="work_group.id", index=True, ondelete="CASCADE")
    name: str = ""
    administration: str = ""
    position: int = 0
    revision: int = 1


class Risk(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    group_id: str = Field(foreign_key="work_group.id", index=True, ondelete="CASCADE")
    code: str = ""
    event: str = ""
    cause: str = ""
    consequence: str = ""
    area: str = ""
    controls: str = ""
    owner: str = ""
    likelihood: int | None = None
    likelihood_reason: str = ""
    impact: int | None = None
    impact_reason: str = ""
    position: int = 0
    deleted: bool = False  # a tombstone: undo can restore it, and merges can see it
    revision: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class Setting(SQLModel, table=True):
    """Per-installation preferences (language, current group, window state).

    Kept in the store rather than QSettings so portable mode writes nothing elsewhere."""

    key: str = Field(primary_key=True)
    value: str = ""


class IndicatorChoice(SQLModel, table=True):
    """E6: an indicator of the pack's bank a group selected, mapped to a data field."""

    __tablename__ = "indicator_choice"

    id: str = Field(default_factory=new_id, primary_key=True)
    group_id: str = Field(foreign_key="work_group.id", index=True, ondelete="CASCADE")
    indicator_id: str
    field: str = ""
    phase: str = ""
    reason: str = ""
    deleted: bool = False
    revision: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class Profile(SQLModel, table=True):
    """E7: a risk profile; its selection logic is a criteria RuleSet kept as JSON."""

    id: str = Field(default_factory=new_id, primary_key=True)
    group_id: str = Field(foreign_key="work_group.id", index=True, ondelete="CASCADE")
    title: str = ""
    area: str = ""
    description: str = ""
    criteria_json: str = ""
    lane: str = "yellow"
    action: str = ""
    instructions: str = ""
    activation_date: dt.date | None = None
    review_date: dt.date | None = None
    owner: str = ""
    effectiveness: str = ""
    position: int = 0
    deleted: bool = False
    revision: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class TargetingRun(SQLModel, table=True):
    """E8: one simulation run, kept so a group can compare its attempts."""

    __tablename__ = "targeting_run"

    id: str = Field(default_factory=new_id, primary_key=True)
    group_id: str = Field(foreign_key="work_group.id", index=True, ondelete="CASCADE")
    created_at: dt.datetime = Field(default_factory=utcnow)
    dataset: str = ""
    ruleset_json: str = ""
    metrics_json: str = ""
    note: str = ""


class ExerciseWork(SQLModel, table=True):
    """A group's answer to one framework exercise (E1, E4, E5, E9-E12), kept as JSON.

    The JSON shape belongs to the exercise's domain model (rmdesk.domain.exercises); the
    store only keeps it, with a status for the workshop overview and the facilitator's
    feedback and score for the comparison dashboard."""

    __tablename__ = "exercise_work"

    id: str = Field(default_factory=new_id, primary_key=True)
    group_id: str = Field(foreign_key="work_group.id", index=True, ondelete="CASCADE")
    exercise_id: str = Field(index=True)
    data_json: str = "{}"
    status: str = "not_started"  # not_started | in_progress | submitted
    submitted_at: dt.datetime | None = None
    feedback: str = ""  # the facilitator's, per group and exercise
    score: int | None = None
    revision: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class ExercisePhase(SQLModel, table=True):
    """The facilitator's phase control for one exercise of a workshop."""

    __tablename__ = "exercise_phase"

    id: str = Field(default_factory=new_id, primary_key=True)
    workshop_id: str = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    exercise_id: str
    locked: bool = False
    model_revealed: bool = False
    revision: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class ExchangeSeen(SQLModel, table=True):
    """A version of a record this laptop has exchanged (exported, imported or resolved).

    The set of content hashes per record is its known history: an incoming version whose
    history contains ours replaces ours; one we already know is older; anything else is a
    real conflict. Revisions travel too, but device clocks are never consulted."""

    __tablename__ = "exchange_seen"

    table_name: str = Field(primary_key=True)
    record_key: str = Field(primary_key=True)
    content_hash: str = Field(primary_key=True)
    revision: int = 0


class ExchangeConflict(SQLModel, table=True):
    """An imported version that clashed with this laptop's edit of the same record.

    The local record is left as it was; the incoming version waits here, whole, until the
    facilitator keeps one or the other."""

    __tablename__ = "exchange_conflict"

    id: str = Field(default_factory=new_id, primary_key=True)
    table_name: str
    record_key: str = Field(index=True)
    workshop_id: str = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    label: str = ""
    source: str = ""  # the file name it came from
    incoming_json: str = "{}"
    incoming_revision: int = 0
    incoming_hash: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)


class ExchangeKey(SQLModel, table=True):
    """An Ed25519 key of a workshop: the facilitator's (group_id "") or a group's.

    The public key is pinned: the first kit of a workshop pins its facilitator's key on a
    participant laptop, and every later kit or group file must be signed by a pinned key.
    The private key is kept only where it is used: the facilitator's on the laptop that
    made the workshop, a group's on the laptops that group was set up on (and on the
    facilitator's, which issued it). See docs/exchange-format.md, "Trust"."""

    __tablename__ = "exchange_key"

    workshop_id: str = Field(foreign_key="workshop.id", primary_key=True, ondelete="CASCADE")
    group_id: str = Field(default="", primary_key=True)  # "" for the facilitator's key
    public_key: str  # raw 32 bytes, base64
    private_key: str = ""  # raw 32 bytes, base64; "" where this laptop does not hold it
    created_at: dt.datetime = Field(default_factory=utcnow)
