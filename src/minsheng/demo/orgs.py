"""The demo province: regions (GB/T 2260 codes), bureaus, departments and one user per role."""

from __future__ import annotations

from dataclasses import dataclass

from minsheng.core.actors import Actor
from minsheng.orgs.models import Region, Unit, User
from minsheng.orgs.roles import Role
from minsheng.orgs.services import region_create, unit_create, user_create

DEMO_PASSWORD = "Minsheng-2026"

PROVINCE = ("430000", "湖南省", "Hunan Province")
CITIES = [
    (
        "430100",
        "长沙市",
        "Changsha",
        [
            ("430102", "芙蓉区", "Furong District"),
            ("430103", "天心区", "Tianxin District"),
            ("430104", "岳麓区", "Yuelu District"),
            ("430121", "长沙县", "Changsha County"),
        ],
    ),
    (
        "430200",
        "株洲市",
        "Zhuzhou",
        [
            ("430202", "荷塘区", "Hetang District"),
            ("430203", "芦淞区", "Lusong District"),
            ("430211", "天元区", "Tianyuan District"),
        ],
    ),
    (
        "430300",
        "湘潭市",
        "Xiangtan",
        [
            ("430302", "雨湖区", "Yuhu District"),
            ("430304", "岳塘区", "Yuetang District"),
            ("430321", "湘潭县", "Xiangtan County"),
        ],
    ),
]
TOWNSHIPS = [("001", "东风街道", "Dongfeng Subdistrict"), ("002", "新河街道", "Xinhe Subdistrict")]

S = Unit.Sector
# (sector, Chinese suffix by level, English name)
DEPARTMENTS = [
    (
        S.HOUSING,
        {1: "住房和城乡建设厅", 2: "住房和城乡建设局", 3: "住房和城乡建设局"},
        "Housing and Urban-Rural Development",
    ),
    (
        S.HUMAN_RESOURCES,
        {1: "人力资源和社会保障厅", 2: "人力资源和社会保障局", 3: "人力资源和社会保障局"},
        "Human Resources and Social Security",
    ),
    (S.EDUCATION, {1: "教育厅", 2: "教育局", 3: "教育局"}, "Education"),
    (S.HEALTH, {1: "卫生健康委员会", 2: "卫生健康委员会", 3: "卫生健康局"}, "Health"),
    (S.ENVIRONMENT, {1: "生态环境厅", 2: "生态环境局", 3: "生态环境分局"}, "Ecology and Environment"),
    (S.TRANSPORT, {1: "交通运输厅", 2: "交通运输局", 3: "交通运输局"}, "Transport"),
    (S.COMMERCE, {1: "商务厅", 2: "商务局", 3: "商务局"}, "Commerce"),
    (S.NATURAL_RESOURCES, {1: "自然资源厅", 2: "自然资源和规划局", 3: "自然资源分局"}, "Natural Resources"),
    (S.PUBLIC_SECURITY, {1: "公安厅", 2: "公安局", 3: "公安分局"}, "Public Security"),
    (S.CIVIL_AFFAIRS, {1: "民政厅", 2: "民政局", 3: "民政局"}, "Civil Affairs"),
    (S.AGRICULTURE, {1: "农业农村厅", 2: "农业农村局", 3: "农业农村局"}, "Agriculture and Rural Affairs"),
    (S.MARKET_REGULATION, {1: "市场监督管理局", 2: "市场监督管理局", 3: "市场监督管理局"}, "Market Regulation"),
]
REFERRAL_TARGETS = [
    (Unit.Kind.COURT, S.JUSTICE, {1: "高级人民法院", 2: "中级人民法院", 3: "人民法院"}, "People's Court"),
    (Unit.Kind.PROCURATORATE, S.JUSTICE, {1: "人民检察院", 2: "人民检察院", 3: "人民检察院"}, "People's Procuratorate"),
    (
        Unit.Kind.DISCIPLINE,
        S.GENERAL,
        {1: "纪委监委", 2: "纪委监委", 3: "纪委监委"},
        "Commission for Discipline Inspection and Supervision",
    ),
]


@dataclass
class DemoOrg:
    province: Unit
    counties: list[Unit]  # county-level petition bureaus
    departments: dict[tuple[int, str], Unit]  # (region id, sector) -> department
    users: dict[str, User]


def _unit_tree(
    actor: Actor, region: Region, parent: Unit | None, level: int, name_en: str
) -> tuple[Unit, dict[str, Unit]]:
    bureau = unit_create(
        actor=actor,
        name=f"{region.name}信访局",
        name_en=f"{name_en} Petition Bureau",
        kind=Unit.Kind.PETITION_BUREAU,
        region=region,
        parent=parent,
    )
    departments: dict[str, Unit] = {}
    for sector, names, english in DEPARTMENTS:
        departments[sector] = unit_create(
            actor=actor,
            name=f"{region.name}{names[level]}",
            name_en=f"{name_en} {english}",
            kind=Unit.Kind.DEPARTMENT,
            sector=sector,
            region=region,
            parent=bureau,
        )
    for kind, sector, names, english in REFERRAL_TARGETS:
        unit_create(
            actor=actor,
            name=f"{region.name}{names[level]}",
            name_en=f"{name_en} {english}",
            kind=kind,
            sector=sector,
            region=region,
            parent=bureau,
        )
    return bureau, departments


def build_org(actor: Actor) -> DemoOrg:
    province_region = region_create(
        code=PROVINCE[0], name=PROVINCE[1], name_en=PROVINCE[2], level=Region.Level.PROVINCE
    )
    province, province_departments = _unit_tree(actor, province_region, None, 1, "Hunan Provincial")
    departments = {(province_region.pk, s): u for s, u in province_departments.items()}
    counties: list[Unit] = []
    city_units: dict[str, Unit] = {}
    for city_code, city_name, city_en, county_specs in CITIES:
        city_region = region_create(
            code=city_code, name=city_name, name_en=city_en, level=Region.Level.CITY, parent=province_region
        )
        city, city_departments = _unit_tree(actor, city_region, province, 2, city_en)
        city_units[city_code] = city
        departments |= {(city_region.pk, s): u for s, u in city_departments.items()}
        for county_code, county_name, county_en in county_specs:
            county_region = region_create(
                code=county_code,
                name=county_name,
                name_en=f"{city_en} {county_en}",
                level=Region.Level.COUNTY,
                parent=city_region,
            )
            county, county_departments = _unit_tree(actor, county_region, city, 3, f"{city_en} {county_en}")
            counties.append(county)
            departments |= {(county_region.pk, s): u for s, u in county_departments.items()}
            for suffix, town_name, town_en in TOWNSHIPS:
                town_region = region_create(
                    code=f"{county_code}{suffix}",
                    name=town_name,
                    name_en=town_en,
                    level=Region.Level.TOWNSHIP,
                    parent=county_region,
                )
                unit_create(
                    actor=actor,
                    name=f"{county_name}{town_name}办事处",
                    name_en=f"{town_en} Office, {county_en}",
                    kind=Unit.Kind.TOWNSHIP,
                    region=town_region,
                    parent=county,
                )

    furong, tianxin = counties[0], counties[1]
    furong_housing = departments[(furong.region_id, S.HOUSING)]
    changsha = city_units["430100"]
    R = Role
    specs = [
        ("registrar", "王登记", furong, [R.REGISTRAR]),
        ("registrar2", "李登记", tianxin, [R.REGISTRAR]),
        ("cityregistrar", "赵登记", changsha, [R.REGISTRAR]),
        ("handler", "陈承办", furong_housing, [R.HANDLER]),
        ("unithead", "刘局长", furong_housing, [R.UNIT_HEAD]),
        ("reviewer", "周复查", furong, [R.REVIEWER]),
        ("cityreviewer", "吴复核", changsha, [R.REVIEWER]),
        ("supervisor", "郑督查", changsha, [R.SUPERVISOR]),
        ("leader", "孙市长", changsha, [R.LEADER]),
        ("analyst", "钱分析", province, [R.ANALYST]),
        ("custodian", "冯保管", province, [R.CUSTODIAN]),
        ("admin", "管理员", province, [R.ADMIN]),
    ]
    users = {}
    for username, name, unit, roles in specs:
        users[username] = user_create(
            actor=actor, username=username, password=DEMO_PASSWORD, full_name=name, unit=unit, roles=roles
        )
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    return DemoOrg(province=province, counties=counties, departments=departments, users=users)


DEMO_LOGINS = [
    ("registrar", "登记员 · 芙蓉区信访局", "registrar · Furong District Petition Bureau"),
    ("registrar2", "登记员 · 天心区信访局", "registrar · Tianxin District Petition Bureau"),
    ("cityregistrar", "登记员 · 长沙市信访局", "registrar · Changsha Petition Bureau"),
    ("handler", "承办人 · 芙蓉区住房和城乡建设局", "handler · Furong Housing Bureau"),
    ("unithead", "单位负责人 · 芙蓉区住房和城乡建设局", "unit head · Furong Housing Bureau"),
    ("reviewer", "复查人员 · 芙蓉区信访局", "reviewer · Furong District Petition Bureau"),
    ("cityreviewer", "复核人员 · 长沙市信访局", "re-reviewer · Changsha Petition Bureau"),
    ("supervisor", "督查专员 · 长沙市信访局", "supervisor · Changsha Petition Bureau"),
    ("leader", "领导 · 长沙市信访局", "leader · Changsha Petition Bureau"),
    ("analyst", "分析员 · 湖南省信访局", "analyst · Hunan Provincial Petition Bureau"),
    ("custodian", "身份保管人 · 湖南省信访局", "identity custodian · Hunan Provincial Petition Bureau"),
    ("admin", "管理员 · 湖南省信访局", "administrator · Hunan Provincial Petition Bureau"),
]
