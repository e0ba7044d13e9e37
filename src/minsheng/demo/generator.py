"""Generate the demo: the province's organisation and ~2,000 petitions across channels, natures,
categories, regions and the past year, registered through the same services as real ones."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from minsheng.core.actors import Actor
from minsheng.core.validators import _ID_CHECK, _ID_WEIGHTS
from minsheng.demo import texts
from minsheng.demo.frontdoors import FrontDoorsDemo, seed_front_doors
from minsheng.demo.orgs import DemoOrg, build_org
from minsheng.demo.workflow import Director, Replay, replay
from minsheng.orgs.models import Region, Unit
from minsheng.petitions.models import Category, Channel, Petition
from minsheng.petitions.services import PetitionerInput, PetitionInput, ProxyInput

CHANNEL_WEIGHTS = [
    (Channel.ONLINE, 34),
    (Channel.LETTER, 20),
    (Channel.VISIT, 18),
    (Channel.PHONE, 14),
    (Channel.HOTLINE_12345, 6),
    (Channel.LEADER_MAILBOX, 4),
    (Channel.EMAIL, 2),
    (Channel.FAX, 1),
    (Channel.OTHER, 1),
]


def resident_id(rng: random.Random, region_code: str) -> str:
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 62))
    body = f"{region_code[:6]}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "186", "177", "199"]) + f"{rng.randint(0, 99999999):08d}"


@dataclass
class DemoResult:
    org: DemoOrg
    petitions: list[Petition] = field(default_factory=list)
    replay: Replay = field(default_factory=Replay)
    doors: FrontDoorsDemo | None = None


def _received_at(rng: random.Random, now: dt.datetime) -> dt.datetime:
    day = timezone.localtime(now).date() - dt.timedelta(days=int(rng.triangular(0, 365, 20)))
    at = dt.datetime.combine(
        day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=timezone.get_current_timezone()
    )
    return min(at, now - dt.timedelta(minutes=5))


def generate(*, petitions: int = 2000, seed: int = 2026, progress: Callable[[int], None] | None = None) -> DemoResult:
    rng = random.Random(seed)
    actor = Actor.system("seed-demo")
    org = build_org(actor)
    result = DemoResult(org=org)
    categories = {c.code: c for c in Category.objects.all()}
    counties = org.counties
    county_regions = {u.pk: Region.objects.get(pk=u.region_id) for u in counties}
    county_weights = [6, 4, 3, 2, 2, 2, 1, 2, 1, 1][: len(counties)]
    channels, channel_weights = zip(*CHANNEL_WEIGHTS, strict=True)
    # A pool of recurring matters, so that the same problem is raised by several people.
    recurring = [
        (rng.choice(texts.TEMPLATES), texts.slots_for(rng), rng.choices(counties, county_weights)[0]) for _ in range(40)
    ]
    now = timezone.now()
    planned: list[tuple[Actor | None, Unit, PetitionInput, int | None]] = []
    for _i in range(petitions):
        pool: int | None = None
        if rng.random() < 0.25:
            pool = rng.randrange(len(recurring))
            template, slots, unit = recurring[pool]
        else:
            template, slots, unit = (
                rng.choice(texts.TEMPLATES),
                texts.slots_for(rng),
                rng.choices(counties, county_weights)[0],
            )
        code, nature, title, request, facts = template
        region = county_regions[unit.pk]
        place = region.name
        channel = rng.choices(channels, channel_weights)[0]
        anonymous = nature == "accusation" and rng.random() < 0.4
        collective = not anonymous and rng.random() < 0.04
        petitioners = []
        if not anonymous:
            people = rng.randint(6, 40) if collective else 1
            for _k in range(min(people, 5 if collective else 1)):
                petitioners.append(
                    PetitionerInput(
                        name=texts.person_name(rng),
                        id_number=resident_id(rng, region.code) if rng.random() < 0.8 else "",
                        phone=mobile(rng) if rng.random() < 0.95 else "",
                        address=""
                        if rng.random() < 0.06
                        else f"{place}{rng.choice(texts.ROADS)}{rng.randint(1, 300)}号",
                        is_representative=collective,
                    )
                )
            persons = people
        else:
            persons = 1
        proxy = None
        if not anonymous and not collective and rng.random() < 0.03:
            proxy = ProxyInput(
                name=texts.person_name(rng),
                relation=rng.choice(["子女", "配偶", "社区工作者", "律师"]),
                consent=rng.choice(["信访人书面委托书已附", "信访人本人电话确认同意，登记员录音备查"]),
                phone=mobile(rng),
            )
        data = PetitionInput(
            channel=channel,
            nature=nature,
            title=texts.fill(title, rng, place, slots),
            request=texts.fill(request, rng, place, slots),
            facts=texts.fill(facts, rng, place, slots),
            petitioners=petitioners,
            category=categories.get(code),
            region=region,
            address=f"{place}{slots['road']}",
            persons_count=persons,
            received_at=_received_at(rng, now),
            proxy=proxy,
        )
        planned.append((Actor.citizen("portal") if channel == Channel.ONLINE else None, unit, data, pool))
    # In the order received, so case numbers rise with time as they would in life; a matter of the
    # recurring pool that came before is the earlier petition a repeat may be merged into.
    planned.sort(key=lambda item: item[2].received_at or now)
    first_of_pool: dict[int, int] = {}
    earlier: list[int | None] = []
    for index, (_actor, _unit, _data, pool_id) in enumerate(planned):
        earlier.append(first_of_pool.get(pool_id) if pool_id is not None else None)
        if pool_id is not None:
            first_of_pool.setdefault(pool_id, index)
    director = Director(org, rng)
    result.petitions, result.replay = replay(
        director=director,
        planned=[(a, u, d) for a, u, d, _p in planned],
        recurring=earlier,
        rng=rng,
        progress=progress,
    )
    # Suggestions, protected accusations and a decided online grievance, made now (not replayed).
    result.doors = seed_front_doors(org, rng)
    return result


def demo_exists() -> bool:
    return Unit.objects.exists()
