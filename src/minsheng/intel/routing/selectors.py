"""Reads: the current model, and the suggestions shown to a registrar.

The model is loaded once per process and version: `current_classifier()` asks the database which
version is current (one indexed query) and takes the loaded classifier from a cache keyed by that
version, so a newly trained version is picked up by every process on its next call, and nothing
mutable is shared between processes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _

from minsheng.intel.routing.engine import LABELS, Classifier
from minsheng.intel.routing.models import RoutingModel
from minsheng.orgs.models import Region, Unit
from minsheng.petitions.models import Category, Petition

log = logging.getLogger(__name__)

TOP_K = 3

# Portal first-level class -> the default tree's first-level node (same names, codes 01..07).
DEFAULT_CATEGORY_CODES = {
    "城乡建设": "01",
    "劳动和社会保障": "02",
    "教育文体": "03",
    "商贸旅游": "04",
    "卫生计生": "05",
    "环境保护": "06",
    "交通运输": "07",
}

# Portal class -> the functional departments (职能部门) that answer for it, in order of preference.
SECTORS: dict[str, tuple[str, ...]] = {
    "城乡建设": (Unit.Sector.HOUSING,),
    "劳动和社会保障": (Unit.Sector.HUMAN_RESOURCES,),
    "教育文体": (Unit.Sector.EDUCATION,),
    "商贸旅游": (Unit.Sector.COMMERCE, Unit.Sector.MARKET_REGULATION),
    "卫生计生": (Unit.Sector.HEALTH,),
    "环境保护": (Unit.Sector.ENVIRONMENT,),
    "交通运输": (Unit.Sector.TRANSPORT,),
}


@lru_cache(maxsize=2)
def _load(version: int) -> Classifier:
    # Keyed by version: a version's bytes never change once it is ready, so the cache is never stale.
    data = RoutingModel.objects.filter(version=version).values_list("model_data", flat=True).get()
    return Classifier.from_bytes(bytes(data))


def current_model() -> RoutingModel | None:
    return (
        RoutingModel.objects.filter(is_current=True)
        .only("id", "version", "metrics", "trained_at", "parameters")
        .first()
    )


def current_classifier() -> tuple[RoutingModel, Classifier] | None:
    model = current_model()
    if model is None:
        return None
    return model, _load(model.version)


def category_for_label(label: str) -> Category | None:
    """Our tree's node for a portal class: the first-level node of that name, else the default code."""
    found = Category.objects.filter(parent__isnull=True, name=label, is_active=True).first()
    if found is None and label in DEFAULT_CATEGORY_CODES:
        found = Category.objects.filter(code=DEFAULT_CATEGORY_CODES[label], is_active=True).first()
    return found


def label_for_category(category: Category | None) -> str:
    """The portal class a category of our tree belongs to ("" when it has none of the seven)."""
    by_code = {code: label for label, code in DEFAULT_CATEGORY_CODES.items()}
    node = category
    while node is not None:
        if node.name in LABELS:
            return node.name
        if node.parent_id is None:
            return by_code.get(node.code, "")
        node = node.parent
    return ""


def _region_chain(region: Region | None) -> list[Region]:
    chain = []
    while region is not None:
        chain.append(region)
        region = region.parent
    return chain


def routing_regions(region: Region | None, *, within: Unit) -> list[Region]:
    """Where to look for the responsible department, nearest first: the matter's region and the
    regions above it inside the registering unit's area, then the registering unit's own region
    and those above it (a county without such a department hands the matter to the city's)."""
    home_chain = _region_chain(within.region)
    home = within.region
    chain = [r for r in _region_chain(region) if home.pk in {x.pk for x in _region_chain(r)}]
    return chain + [r for r in home_chain if r not in chain]


def unit_for_label(label: str, *, regions: list[Region]) -> Unit | None:
    """The functional department (职能部门) of the class's sector in the nearest of `regions`."""
    sectors = SECTORS.get(label, ())
    units = {
        (u.region_id, u.sector): u
        for u in Unit.objects.filter(
            kind=Unit.Kind.DEPARTMENT, sector__in=sectors, region__in=regions, is_active=True
        ).order_by("path")
    }
    for r in regions:
        for sector in sectors:
            if (r.pk, sector) in units:
                return units[(r.pk, sector)]
    return None


def region_from_text(*texts: str) -> tuple[Region | None, str]:
    """The region a text names, with cpca (address -> GB/T 2260 code), matched to our regions."""
    import cpca

    for text in texts:
        if not text:
            continue
        try:
            row = cpca.transform([text[:200]]).iloc[0]
        except Exception:  # cpca raises on odd input; a missing suggestion is the honest answer
            log.warning("cpca could not parse an address", exc_info=True)
            continue
        code = row.get("adcode")
        if not isinstance(code, str) or not code:
            continue
        for candidate in (code, code[:4] + "00", code[:2] + "0000"):
            region = Region.objects.filter(code=candidate).first()
            if region is not None:
                return region, "".join(str(row.get(k)) for k in ("省", "市", "区") if isinstance(row.get(k), str))
    return None, ""


@dataclass
class CategoryOption:
    label: str
    probability: float
    category: Category | None


@dataclass
class UnitOption:
    unit: Unit
    probability: float
    labels: list[str]


@dataclass
class Suggestion:
    model: RoutingModel | None
    note: str = ""
    categories: list[CategoryOption] = field(default_factory=list)
    units: list[UnitOption] = field(default_factory=list)
    region: Region | None = None
    region_text: str = ""
    region_recorded: bool = False  # nothing recognised in the text: the region the registrar entered

    @property
    def available(self) -> bool:
        return bool(self.categories)


def no_model_note() -> str:
    return _(
        "尚无分流模型，暂不显示分类和承办单位建议。管理员可在后台“分流模型”中训练，或运行 minsheng train-routing。"
    )


def suggest(*, title: str, body: str, unit: Unit, address: str = "", region: Region | None = None) -> Suggestion:
    """Top categories with calibrated confidence, the units that answer for them, and the region."""
    found_region, region_text = region_from_text(address, title + body)
    recorded = found_region is None and region is not None
    suggestion = Suggestion(
        model=None, region=found_region or region, region_text=region_text, region_recorded=recorded
    )
    loaded = current_classifier()
    if loaded is None:
        suggestion.note = no_model_note()
        return suggestion
    model, classifier = loaded
    top = classifier.top(title, body, k=len(classifier.classes))
    options = [CategoryOption(label, p, category_for_label(label)) for label, p in top[:TOP_K]]
    units: dict[int, UnitOption] = {}
    regions = routing_regions(suggestion.region, within=unit)
    for label, p in top:
        target = unit_for_label(label, regions=regions)
        if target is None:
            continue
        if target.pk in units:
            units[target.pk].probability += p
            units[target.pk].labels.append(label)
        else:
            units[target.pk] = UnitOption(unit=target, probability=p, labels=[label])
    ranked = sorted(units.values(), key=lambda u: -u.probability)[:TOP_K]
    suggestion.model, suggestion.categories, suggestion.units = model, options, ranked
    return suggestion


def petition_text(petition: Petition) -> tuple[str, str]:
    return petition.title, f"{petition.request}\n{petition.facts}"


def suggest_for_petition(petition: Petition) -> Suggestion:
    title, body = petition_text(petition)
    return suggest(
        title=title,
        body=body,
        unit=petition.registering_unit,
        address=petition.address,
        region=petition.region,
    )
