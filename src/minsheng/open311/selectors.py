"""Reads for GeoReport v2: our categories as services, petitions as service requests.

Every active category is a service (its code is the service_code). Each definition has the
optional `request` attribute (信访请求, R22 Art. 19: what the petitioner asks the authorities to
do); a category with sub-categories also offers `subcategory`, so a client can file under a
broad service and still name the precise subject.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.api.access import petitions_of_client
from minsheng.api.models import ApiClient
from minsheng.core.models import AuditRecord
from minsheng.orgs.models import Region
from minsheng.petitions.models import Category, Petition
from minsheng.petitions.selectors import region_code_prefix
from minsheng.workflow.public import open_deadlines
from minsheng.workflow.states import TERMINAL

# When this endpoint's own definitions (attributes, their texts) last changed; the discovery
# changeset is the later of this and the last import of the category tree.
DEFINITIONS_CHANGED = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
MAX_REQUESTS = 1000  # GeoReport v2 "Response Volume": 90 days or 1,000 requests, whichever is smaller
DEFAULT_SPAN = dt.timedelta(days=90)


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    required: bool
    order: int
    description: str
    datatype_description: str = ""
    variable: bool = True
    values: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Service:
    category: Category
    name: str
    description: str
    group: str
    keywords: str
    attributes: list[Attribute]

    @property
    def code(self) -> str:
        return self.category.code


def _active_tree() -> tuple[dict[int, Category], dict[int, list[Category]]]:
    nodes = {c.pk: c for c in Category.objects.filter(is_active=True).order_by("code")}
    children: dict[int, list[Category]] = {}
    for category in nodes.values():
        if category.parent_id in nodes:
            children.setdefault(category.parent_id, []).append(category)
    return nodes, children


def _path(category: Category, nodes: dict[int, Category]) -> list[Category]:
    path = [category]
    while path[0].parent_id in nodes:
        path.insert(0, nodes[path[0].parent_id])
    return path


def _descendants(category: Category, children: dict[int, list[Category]]) -> list[Category]:
    found, stack = [], list(reversed(children.get(category.pk, [])))
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(children.get(node.pk, [])))
    return found


def request_attribute() -> Attribute:
    return Attribute(
        code="request",
        datatype="text",
        required=False,
        order=1,
        description=_("信访请求：希望有关机关解决什么问题（《信访工作条例》第十九条）。不填时以问题描述的首句为请求。"),
        datatype_description=_("文字，可换行，最多 10000 字。"),
    )


def _service(category: Category, nodes: dict[int, Category], children: dict[int, list[Category]]) -> Service:
    path = _path(category, nodes)
    below = _descendants(category, children)
    attributes = [request_attribute()]
    if below:
        attributes.append(
            Attribute(
                code="subcategory",
                datatype="singlevaluelist",
                required=False,
                order=2,
                description=_("更具体的问题分类（可选）。"),
                datatype_description=_("从列出的值中选一个。"),
                values=[
                    (node.code, " / ".join(n.display_name for n in _path(node, nodes)[len(path) :])) for node in below
                ],
            )
        )
    names = " / ".join(n.display_name for n in path)
    description = (
        _("%(path)s（含：%(children)s）") % {"path": names, "children": _("、").join(c.display_name for c in below[:8])}
        if below
        else names
    )
    keywords = []
    for node in path:
        for word in (node.name, node.name_en):
            if word and word not in keywords:
                keywords.append(word)
    return Service(
        category=category,
        name=category.display_name,
        description=description,
        group=path[0].display_name,
        keywords=", ".join(keywords),
        attributes=attributes,
    )


def service_list() -> list[Service]:
    nodes, children = _active_tree()
    return [_service(category, nodes, children) for category in nodes.values()]


def service_for_code(code: str) -> Service | None:
    nodes, children = _active_tree()
    category = next((c for c in nodes.values() if c.code == code), None)
    return _service(category, nodes, children) if category else None


def services_changed_at() -> dt.datetime:
    imported = AuditRecord.objects.filter(action__startswith="category.").aggregate(at=Max("at"))["at"]
    return max(DEFINITIONS_CHANGED, imported) if imported else DEFINITIONS_CHANGED


@dataclass
class RequestFilters:
    service_request_ids: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: list[str] = field(default_factory=list)  # "open", "closed"
    region: Region | None = None


def _requests_base(client: ApiClient) -> QuerySet[Petition]:
    return (
        petitions_of_client(client)
        .select_related("category", "handling_unit", "open311")
        .prefetch_related(open_deadlines())
        .annotate(last_change=Max("events__at"))
    )


def service_requests(*, client: ApiClient, filters: RequestFilters) -> list[Petition]:
    """GET requests: this system's own requests; by default the last 90 days, at most 1,000."""
    qs = _requests_base(client)
    if filters.service_request_ids:
        # "This overrides all other arguments."
        return list(qs.filter(number__in=filters.service_request_ids).order_by("-received_at", "-id")[:MAX_REQUESTS])
    if filters.service_codes:
        nodes, children = _active_tree()
        wanted = {c.pk for c in Category.objects.filter(code__in=filters.service_codes)}
        for pk in list(wanted):
            if pk in nodes:
                wanted |= {d.pk for d in _descendants(nodes[pk], children)}
        qs = qs.filter(category_id__in=wanted)
    end = filters.end or (filters.start + DEFAULT_SPAN if filters.start else timezone.now())
    start = filters.start or end - DEFAULT_SPAN
    qs = qs.filter(received_at__gte=start, received_at__lte=end)
    if set(filters.statuses) == {"open"}:
        qs = qs.exclude(status__in=TERMINAL)
    elif set(filters.statuses) == {"closed"}:
        qs = qs.filter(status__in=TERMINAL)
    if filters.region is not None:
        qs = qs.filter(region__code__startswith=region_code_prefix(filters.region.code))
    return list(qs.order_by("-received_at", "-id")[:MAX_REQUESTS])


def service_request_of_client(*, client: ApiClient, number: str) -> Petition | None:
    return _requests_base(client).filter(number=number).first()
