"""The shipped policies (R22, R05, Zhejiang) and the holiday calendar from `chinese-calendar`.

Loaded by a data migration, and again (idempotently) whenever the tables are found empty, so the
statutory default always exists. The tables are then the admins' to edit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@dataclass(frozen=True)
class RuleSpec:
    step: str
    length: int
    start_event: str
    article: str
    article_en: str
    day_kind: str = "calendar"
    nature: str = ""


@dataclass(frozen=True)
class PolicySpec:
    code: str
    name: str
    name_en: str
    effective_from: dt.date
    rules: tuple[RuleSpec, ...]
    is_default: bool = False
    long_overdue_days: int = 30
    description: str = ""
    region_code: str = ""


R22 = PolicySpec(
    code="R22",
    name="《信访工作条例》（2022）",
    name_en="Regulation on Petition Work (2022)",
    effective_from=dt.date(2022, 5, 1),
    is_default=True,
    description="全国适用的默认政策。办理期限第三十四条仅适用于第三十一条第六项申诉求决类事项。",
    rules=(
        RuleSpec("triage", 15, "received", "第二十二条", "Art. 22"),
        RuleSpec("accept", 15, "forwarded", "第二十三条第三款", "Art. 23 ¶3"),
        RuleSpec("objection", 5, "forwarded", "第二十三条第三款", "Art. 23 ¶3", day_kind="working"),
        RuleSpec("handle", 60, "accepted", "第三十四条", "Art. 34", nature="grievance"),
        RuleSpec("extension", 30, "accepted", "第三十四条", "Art. 34"),
        RuleSpec("review_request", 30, "reply_delivered", "第三十五条", "Art. 35"),
        RuleSpec("review", 30, "review_requested", "第三十五条", "Art. 35"),
        RuleSpec("rereview_request", 30, "review_delivered", "第三十六条第一款", "Art. 36 ¶1"),
        RuleSpec("rereview", 30, "rereview_requested", "第三十六条第一款", "Art. 36 ¶1"),
    ),
)

R05 = PolicySpec(
    code="R05",
    name="《信访条例》（2005）",
    name_en="Regulations on Letters and Visits (2005)",
    effective_from=dt.date(2005, 5, 1),
    description="2005年国务院《信访条例》。办理期限第三十三条适用于所有信访事项；没有异议期限。",
    rules=(
        RuleSpec("triage", 15, "received", "第二十一条", "Art. 21"),
        RuleSpec("accept", 15, "forwarded", "第二十一条第二款", "Art. 21 ¶2"),
        RuleSpec("handle", 60, "accepted", "第三十三条", "Art. 33"),
        RuleSpec("extension", 30, "accepted", "第三十三条", "Art. 33"),
        RuleSpec("review_request", 30, "reply_delivered", "第三十四条", "Art. 34"),
        RuleSpec("review", 30, "review_requested", "第三十四条", "Art. 34"),
        RuleSpec("rereview_request", 30, "review_delivered", "第三十五条第一款", "Art. 35 ¶1"),
        RuleSpec("rereview", 30, "rereview_requested", "第三十五条第一款", "Art. 35 ¶1"),
    ),
)

ZJ = PolicySpec(
    code="ZJ",
    name="《浙江省信访条例》（2016）",
    name_en="Zhejiang Province Regulation on Petitions (2016)",
    effective_from=dt.date(2016, 8, 1),
    long_overdue_days=60,
    region_code="330000",
    description=(
        "浙江省：5个工作日内分流和决定受理（第二十条），30日内办结、经批准可延长至多60日（第二十三条）；"
        "复查、复核按国家规定执行（第二十四条），异议期限适用《信访工作条例》第二十三条第三款。"
    ),
    rules=(
        RuleSpec("triage", 5, "received", "第二十条", "Art. 20", day_kind="working"),
        RuleSpec("accept", 5, "forwarded", "第二十条第二款", "Art. 20 ¶2", day_kind="working"),
        RuleSpec(
            "objection",
            5,
            "forwarded",
            "《信访工作条例》第二十三条第三款",
            "R22 Art. 23 ¶3",
            day_kind="working",
        ),
        RuleSpec("handle", 30, "accepted", "第二十三条", "Art. 23"),
        RuleSpec("extension", 60, "accepted", "第二十三条", "Art. 23"),
        RuleSpec(
            "review_request", 30, "reply_delivered", "第二十四条、《信访工作条例》第三十五条", "Art. 24, R22 Art. 35"
        ),
        RuleSpec("review", 30, "review_requested", "第二十四条、《信访工作条例》第三十五条", "Art. 24, R22 Art. 35"),
        RuleSpec(
            "rereview_request",
            30,
            "review_delivered",
            "第二十四条、《信访工作条例》第三十六条",
            "Art. 24, R22 Art. 36",
        ),
        RuleSpec(
            "rereview", 30, "rereview_requested", "第二十四条、《信访工作条例》第三十六条", "Art. 24, R22 Art. 36"
        ),
    ),
)

POLICIES = (R22, R05, ZJ)


def _model(apps: Any, name: str) -> Any:
    if apps is not None:
        return apps.get_model("workflow", name)
    from minsheng.workflow import models

    return getattr(models, name)


def policies_seed(apps: Any = None) -> int:
    """Create the shipped policies that do not exist yet (by code); return how many were created."""
    DeadlinePolicy = _model(apps, "DeadlinePolicy")
    RuleSet = _model(apps, "RuleSet")
    Rule = _model(apps, "Rule")
    RegionPolicy = _model(apps, "RegionPolicy")
    if apps is not None:
        Region = apps.get_model("orgs", "Region")
    else:
        from minsheng.orgs.models import Region
    created = 0
    with transaction.atomic():
        has_default = DeadlinePolicy.objects.filter(is_default=True).exists()
        for spec in POLICIES:
            if DeadlinePolicy.objects.filter(code=spec.code).exists():
                continue
            policy = DeadlinePolicy.objects.create(
                code=spec.code,
                name=spec.name,
                name_en=spec.name_en,
                is_default=spec.is_default and not has_default,
                description=spec.description,
            )
            ruleset = RuleSet.objects.create(
                policy=policy,
                version=1,
                effective_from=spec.effective_from,
                published_at=timezone.now(),
                roll_forward=True,
                long_overdue_days=spec.long_overdue_days,
                note="随系统发布的初始版本。",
            )
            Rule.objects.bulk_create(
                [
                    Rule(
                        ruleset=ruleset,
                        step=r.step,
                        nature=r.nature,
                        length=r.length,
                        day_kind=r.day_kind,
                        start_event=r.start_event,
                        article=r.article,
                        article_en=r.article_en,
                    )
                    for r in spec.rules
                ]
            )
            if spec.region_code:
                region = Region.objects.filter(code=spec.region_code).first()
                if region is not None and not RegionPolicy.objects.filter(region=region).exists():
                    RegionPolicy.objects.create(region=region, policy=policy)
            created += 1
    return created


def calendar_rows() -> dict[int, list[tuple[dt.date, bool, str]]]:
    """The exceptions to Monday–Friday that `chinese-calendar` publishes, by year."""
    import chinese_calendar

    years: dict[int, list[tuple[dt.date, bool, str]]] = {}
    for day, name in chinese_calendar.holidays.items():
        years.setdefault(day.year, []).append((day, False, HOLIDAY_NAMES.get(name, name)))
    for day, name in chinese_calendar.workdays.items():
        years.setdefault(day.year, []).append((day, True, HOLIDAY_NAMES.get(name, name) + "调休上班"))
    return {year: sorted(rows) for year, rows in sorted(years.items())}


def calendar_seed(apps: Any = None) -> int:
    """Load every year `chinese-calendar` knows that the table lacks; return the years loaded."""
    CalendarYear = _model(apps, "CalendarYear")
    CalendarDay = _model(apps, "CalendarDay")
    loaded = 0
    with transaction.atomic():
        known = set(CalendarYear.objects.values_list("year", flat=True))
        for year, rows in calendar_rows().items():
            if year in known:
                continue
            row = CalendarYear.objects.create(year=year, source="chinese-calendar", note="chinese-calendar")
            CalendarDay.objects.bulk_create(
                [CalendarDay(year=row, date=day, is_working=working, name=name) for day, working, name in rows]
            )
            loaded += 1
    return loaded


def ensure_seeded() -> None:
    """The statutory default must exist before a case can start; load it if the tables are empty."""
    from minsheng.workflow.models import CalendarYear, DeadlinePolicy

    if not DeadlinePolicy.objects.exists():
        policies_seed()
    if not CalendarYear.objects.exists():
        calendar_seed()
