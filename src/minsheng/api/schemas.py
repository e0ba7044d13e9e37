"""Input and output schemas of the integrating systems' API (`/api/v1/public/`).

One input and one output schema per endpoint; every field says what it holds. Personal data goes
out masked only (names, phones, ID numbers); free text a system sent is returned to it alone.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StrictInt,
    StrictStr,
)

from minsheng.petitions.models import Channel, Nature
from minsheng.workflow.states import Status

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def _iso_only(value: Any) -> Any:
    # pydantic would also take a number (seconds since 1970) for a datetime; the contract is ISO 8601.
    if isinstance(value, dt.datetime) or (isinstance(value, str) and _ISO_DATETIME.match(value)):
        return value
    raise ValueError(_("时间格式不正确，请使用 ISO 8601 格式，如 2026-03-01T09:30:00+08:00。"))


def _in_utc(value: dt.datetime) -> dt.datetime:
    # Python takes offsets up to ±24 h, PostgreSQL only up to ±16 h: compare and store in UTC.
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError(_("时间超出范围。")) from None


def _storable_text(value: str) -> str:
    # PostgreSQL text cannot hold NUL, and nothing can store half a surrogate pair.
    if "\x00" in value:
        raise ValueError(_("不能包含空字符（NUL）。"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("包含无效的字符。")) from None
    return value


IsoDatetime = Annotated[AwareDatetime, BeforeValidator(_iso_only), AfterValidator(_in_utc)]
Text = Annotated[StrictStr, AfterValidator(_storable_text)]
EXTERNAL_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
ExternalId = Annotated[
    StrictStr,
    Field(
        min_length=1,
        max_length=64,
        pattern=EXTERNAL_ID_PATTERN,
        description="The submitting system's own id of the matter (e.g. its work-order number): letters, digits, "
        "`.`, `_`, `:`, `-`, 1-64 characters. Sending the same id again returns the petition registered the "
        "first time and creates nothing.",
        examples=["12345-20260301-0042"],
    ),
]


class ErrorOut(Schema):
    code: str = Field(
        description="Machine-readable error code: `invalid`, `unauthenticated`, `not_allowed`, "
        "`not_found`, `conflict`, `rate_limited`, …"
    )
    message: str = Field(description="What went wrong, in the caller's language (Accept-Language).")
    article: str | None = Field(None, description="The rule of law that applies, when one does (e.g. R22 Art. 34).")
    errors: dict[str, list[str]] | None = Field(
        None, description="For 422: the messages per input field (`petitioners.0.phone`); `__all__` for the whole."
    )


# --- inputs ---------------------------------------------------------------------------------------


class InputSchema(BaseModel):
    """A JSON object with exactly these fields. Not ninja's Schema: that one reads attributes of
    any object (made for ORM rows), so `[null]` would pass for an object with all defaults; and a
    misspelt field name should be an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class PetitionerIn(InputSchema):
    name: Text = Field("", max_length=60, description="Name of the petitioner (信访人姓名). Stored as given.")
    id_number: Text = Field(
        "", max_length=30, description="Resident ID number (18 characters, checksum verified). Stored encrypted."
    )
    phone: Text = Field(
        "", max_length=30, description="Mobile (11 digits) or landline with area code. Stored encrypted."
    )
    address: Text = Field("", max_length=200, description="The petitioner's address (住址). Stored encrypted.")
    is_representative: StrictBool = Field(
        False, description="One of the at most 5 representatives of a collective petition (R22 Art. 20)."
    )


class AttachmentIn(InputSchema):
    name: Text = Field(min_length=1, max_length=200, description="File name, e.g. `photo.jpg`.")
    content_base64: Text = Field(
        min_length=1,
        max_length=14_000_000,
        description="The file, base64-encoded. PDF, JPG, PNG, WEBP, Word, Excel, MP3, WAV or text, at most 10 MB; "
        "image metadata (GPS position, camera) is removed.",
    )


class PetitionCreateIn(InputSchema):
    external_id: ExternalId
    channel: Channel = Field(
        description="How the petitioner reached the submitting system: `hotline_12345` for a 12345 hotline "
        "work order, `online`, `phone`, `letter`, … (信访形式)."
    )
    nature: Nature = Field(
        description="`grievance` (申诉求决, R22 Art. 31), `suggestion` (建议意见, Art. 29) or `accusation` "
        "(检举控告, Art. 30; accepted here only without any identity of the accuser)."
    )
    title: Text = Field(min_length=1, max_length=200, description="A short summary of the matter (标题).")
    request: Text = Field(
        min_length=1,
        max_length=10000,
        description="What the petitioner asks the authorities to do (信访请求, Art. 19).",
    )
    facts: Text = Field(min_length=1, max_length=20000, description="The facts and reasons (事实和理由, Art. 19).")
    category: Text | None = Field(
        None, max_length=32, description="Code of the subject category (see `GET /public/categories`)."
    )
    region: Text | None = Field(
        None, max_length=12, description="GB/T 2260 code of the area the matter concerns (问题属地)."
    )
    address: Text = Field("", max_length=200, description="Where the problem is (问题发生地).")
    persons_count: StrictInt = Field(1, ge=1, le=100000, description="How many people bring the matter (人数).")
    received_at: IsoDatetime | None = Field(
        None,
        description="When the submitting system received the matter, with its UTC offset; defaults to now. The "
        "statutory periods count from receipt.",
    )
    petitioners: list[PetitionerIn] = Field(
        default_factory=list, max_length=50, description="The petitioners; empty for an anonymous matter."
    )
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10, description="Supporting files.")


class LookupIn(InputSchema):
    query_code: Text = Field(
        min_length=4,
        max_length=40,
        description="The query code (查询码) the petitioner received at registration, e.g. `7K3M-Q9TZ-2XWD-F0RB`; "
        "dashes, spaces and case do not matter.",
    )


class SupplementIn(InputSchema):
    note: Text = Field(
        "", max_length=4000, description="What the petitioner added later (补充说明); a note, files, or both."
    )
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10, description="Supporting files.")


# --- outputs --------------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int = Field(description="Unit id (see `GET /public/units`).")
    name: str = Field(description="Unit name, in the caller's language where an English name exists.")


class CategoryRef(Schema):
    code: str = Field(description="Category code.")
    name: str = Field(description="Category name, in the caller's language where one exists.")


class PetitionerOut(Schema):
    name: str = Field(description="Name, masked: the first character only (`张*`).")
    phone: str = Field(description="Phone, masked (`138****8000`); empty when none was given.")
    id_number: str = Field(description="Resident ID, masked (`110105********0038`); empty when none was given.")


class TimelineEntryOut(Schema):
    at: dt.datetime = Field(description="When the step happened.")
    action: str = Field(description="Step code: `register`, `forward`, `accept`, …")
    label: str = Field(description="The step, in the caller's language.")
    unit: str | None = Field(description="The unit that took the step, when one did.")


class PetitionSummaryOut(Schema):
    number: str = Field(description="Case number (信访件编号), e.g. `430102-2026-000042`.")
    external_id: str | None = Field(
        description="The submitting system's own id; null for a lookup by query code "
        "of a matter another door registered."
    )
    status: Status = Field(description="Detailed status (workflow/states.py).")
    status_label: str = Field(description="The status, in the caller's language.")
    is_closed: bool = Field(
        description="True when no further handling happens (closed, not accepted, withdrawn, merged)."
    )
    received_at: dt.datetime = Field(description="When the matter was received; statutory periods count from here.")
    updated_at: dt.datetime = Field(description="When anything about the matter last changed.")
    handling_unit: UnitRef = Field(description="The unit responsible for the matter now (责任单位).")


class DeadlineOut(Schema):
    step: str = Field(description="The statutory step the date is for (e.g. `triage`, `accept`, `handle`, `review`).")
    label: str = Field(description="The step, in the caller's language.")
    due: dt.date = Field(description="The last day of the period; it ends at 24:00 of this day (local time).")
    due_at: dt.datetime = Field(description="The same moment as a date-time: the last second of `due`.")
    basis: str = Field(
        description="How the date was derived, in the caller's language, e.g. "
        "`2026-03-17 = received 2026-03-02 + 15 days (R22 Art. 22)`, with any extension, hearing "
        "pause or roll-forward past a holiday."
    )
    state: str = Field(description="`open`, `due_soon`, `due_today`, `overdue`, `long_overdue`, `paused`, …")
    state_label: str = Field(description="The state, in the caller's language.")
    provisional: bool = Field(description="True when that year's holidays are not yet published (Mon-Fri assumed).")
    unit: UnitRef | None = Field(description="The unit that must act by the date.")


class PetitionOut(PetitionSummaryOut):
    channel: Channel = Field(description="How the matter was received.")
    nature: Nature = Field(description="suggestion, accusation or grievance.")
    title: str = Field(description="The summary the matter was registered with.")
    category: CategoryRef | None = Field(description="Subject category, if any.")
    registered_at: dt.datetime = Field(description="When it was registered.")
    registering_unit: UnitRef = Field(description="The unit that registered it (登记单位).")
    petitioners: list[PetitionerOut] = Field(description="The petitioners, masked.")
    timeline: list[TimelineEntryOut] = Field(description="The steps shown to the petitioner, oldest first.")
    next_deadline: DeadlineOut | None = Field(
        description="The office's next statutory date toward the petitioner and its derivation; null when no "
        "step is running against a deadline (e.g. closed, or waiting for the petitioner)."
    )


class PetitionCreatedOut(Schema):
    created: bool = Field(description="False when this `external_id` was submitted before: nothing new was created.")
    query_code: str | None = Field(
        description="The petitioner's query code (查询码), returned once by the call that registered the "
        "petition (only its hash is kept); give it to the petitioner to follow the matter. Null on a repeat."
    )
    petition: PetitionOut = Field(description="The registered petition.")


class PetitionPageOut(Schema):
    count: int = Field(description="How many petitions match, in all pages.")
    items: list[PetitionSummaryOut] = Field(description="This page, newest received first.")


class SupplementOut(Schema):
    number: str = Field(description="Case number of the petition.")
    recorded_at: dt.datetime = Field(description="When the supplement was recorded on the timeline.")
    attachments: int = Field(description="How many files were added.")


class CategoryOut(Schema):
    code: str = Field(description="Category code: use it as `category` when submitting.")
    name: str = Field(description="Name (Chinese).")
    name_en: str = Field(description="English name; may be empty.")
    parent_code: str | None = Field(description="Code of the parent category; null at the top level.")
    level: int = Field(description="1 for the top level.")
    is_leaf: bool = Field(description="True when it has no active sub-categories.")


class UnitOut(Schema):
    id: int = Field(description="Unit id.")
    name: str = Field(description="Name (Chinese).")
    name_en: str = Field(description="English name; may be empty.")
    kind: str = Field(description="petition_bureau, department, township, court, procuratorate, discipline, party.")
    sector: str = Field(description="The field of work (housing, human_resources, …).")
    region_code: str = Field(description="GB/T 2260 code of the unit's region.")
    parent_id: int | None = Field(description="The next-higher unit; null at the top.")
