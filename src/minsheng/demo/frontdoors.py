"""What the front doors show in the demo: a call for suggestions with published suggestions,
co-signs and an official answer; two protected accusations (one anonymous, one named with a
request to see the identity waiting for the custodian); and an online grievance already decided,
whose query code the seed prints so the demo user can follow it, rate it and ask for review.

Everything goes through the services a person would use; the codes are printed once by
`seed-demo`, as the portal shows them once to the citizen.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from minsheng.accusations.services import (
    AccusationInput,
    ReporterInput,
    accusation_ask,
    accusation_file,
    identity_access_request,
)
from minsheng.core.actors import Actor
from minsheng.demo import texts
from minsheng.demo.orgs import DemoOrg
from minsheng.orgs.models import Region, Unit
from minsheng.petitions.models import Category, Channel, Nature
from minsheng.petitions.services import PetitionerInput, PetitionInput
from minsheng.portal.phone import phone_challenge_start
from minsheng.portal.services import portal_file
from minsheng.suggestions.models import Suggestion
from minsheng.suggestions.services import (
    SuggestionInput,
    campaign_publish,
    cosign_confirm,
    cosign_purpose,
    suggestion_answer,
    suggestion_publish,
    suggestion_submit,
)
from minsheng.workflow import services as wf

# The demo's own citizen, whose phone ends in these digits (the second factor of the query code).
CITIZEN_PHONE = "13800138000"

SUGGESTIONS = [
    (
        "加装电梯费用按楼层分摊",
        "低层住户不愿出钱，加装电梯一直谈不拢，很多小区卡在协商这一步。",
        "出台按楼层分摊的指导比例，并给予财政补贴；一楼住户不分摊。",
        12,
    ),
    (
        "施工期间保留一部楼梯通行",
        "施工期间老人出行困难，有的单元整整三个月只能绕行。",
        "分段施工，保证每个单元有一部楼梯可用。",
        5,
    ),
    (
        "电梯维保费用纳入物业费",
        "电梯装好后维保费用没人管，几年后就停用了。",
        "维保费用按户纳入物业费，由街道监督使用。",
        3,
    ),
    ("公布各小区加装进度", "居民不知道申请到了哪一步。", "在区政府网站按小区公布加装申请、审批和施工进度。", 0),
]


@dataclass(frozen=True)
class FrontDoorsDemo:
    query_code: str
    query_number: str
    receipt_anonymous: str
    receipt_named: str


def _cosign(suggestion: Suggestion, rng: random.Random) -> None:
    """A co-sign as the portal makes it: a code to the phone, then the code back (SMS code captured)."""
    codes: list[str] = []

    def message(code: str) -> str:
        codes.append(code)
        return f"【民声演示】附议验证码 {code}"

    phone = "139" + f"{rng.randint(0, 99999999):08d}"
    challenge = phone_challenge_start(phone=phone, purpose=cosign_purpose(suggestion), message=message)
    cosign_confirm(suggestion=suggestion, challenge_id=challenge.pk, code=codes[0])


def _suggestions(org: DemoOrg, rng: random.Random) -> None:
    leader = Actor.staff(org.users["leader"])
    today = timezone.localdate()
    campaign = campaign_publish(
        actor=leader,
        title="老旧小区加装电梯怎么推进",
        description="长沙市听取居民对老旧小区加装电梯的意见和建议：费用分摊、施工安排、后期维护、信息公开。",
        opens_on=today - dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=40),
    )
    changsha = Region.objects.get(code="430100")
    for index, (title, grounds, measures, cosigns) in enumerate(SUGGESTIONS):
        suggestion = suggestion_submit(
            data=SuggestionInput(
                title=title,
                grounds=grounds,
                measures=measures,
                name=texts.person_name(rng),
                phone="135" + f"{rng.randint(0, 99999999):08d}",
                campaign=campaign,
                region=changsha,
                allow_public=True,
                show_name=index % 2 == 0,
            )
        ).suggestion
        suggestion_publish(actor=leader, suggestion=suggestion)
        for _n in range(cosigns):
            _cosign(suggestion, rng)
        if index == 0:
            suggestion_answer(
                actor=leader,
                suggestion=suggestion,
                answer="已纳入《长沙市老旧小区加装电梯指导意见》：分摊比例由业主按楼层协商，市、区两级财政每台补贴10万元。",
                adoption="partly",
                reward_note="评为2026年度优秀人民建议，给予表扬。",
            )


def _accusations(org: DemoOrg) -> tuple[str, str]:
    furong = org.counties[0]
    region = Region.objects.get(pk=furong.region_id)
    housing = org.departments[(region.pk, Unit.Sector.HOUSING)]
    anonymous = accusation_file(
        data=AccusationInput(
            title="审批窗口索要“加急费”",
            request="请求依法调查处理。",
            facts="2026年2月，芙蓉区住建局审批窗口工作人员要求另付两千元“加急费”，不给就拖着不办。",
            region=region,
            accused_position="审批窗口工作人员",
            accused_unit_text="芙蓉区住房和城乡建设局",
            accused_units=[housing],
        ),
        declared_truthful=True,
    )
    accusation_ask(
        actor=Actor.staff(org.users["registrar"]),
        accusation=anonymous.accusation,
        body="请问索要加急费的具体日期和窗口号？如有转账记录，可以在这里说明。",
    )
    named = accusation_file(
        data=AccusationInput(
            title="拆迁补偿款被截留",
            request="请求查处截留补偿款的人员并退还补偿款。",
            facts="社区工作人员以“手续费”名义从每户补偿款中扣留三千元，没有任何收据。",
            region=region,
            anonymous=False,
            reporter=ReporterInput(name="何举报", phone="13700137000", address="芙蓉区五一大道66号"),
            accused_name="某社区工作人员",
            accused_unit_text="东风街道办事处",
        ),
        declared_truthful=True,
    )
    identity_access_request(
        actor=Actor.staff(org.users["reviewer"]),
        accusation=named.accusation,
        reason="需要检举人提供被扣款的存折原件，留言两周没有回复，请求联系检举人。",
    )
    return str(anonymous.receipt), str(named.receipt)


def _decided_grievance(org: DemoOrg) -> tuple[str, str]:
    furong = org.counties[0]
    region = Region.objects.get(pk=furong.region_id)
    housing = org.departments[(region.pk, Unit.Sector.HOUSING)]
    registration = portal_file(
        data=PetitionInput(
            channel=Channel.ONLINE,
            nature=Nature.GRIEVANCE,
            title="小区门口占道经营油烟扰民",
            request="请求依法整治小区门口的占道经营。",
            facts="小区门口每晚有二十多家烧烤摊占道经营，油烟和噪音影响居民休息，多次向物业反映无果。",
            category=Category.objects.filter(code="0105").first(),
            address="芙蓉区五一大道1号门口",
            petitioners=[PetitionerInput(name="张三", phone=CITIZEN_PHONE, address="芙蓉区五一大道1号")],
        ),
        region=region,
        guidance="none",
        declared_truthful=True,
    )
    petition = registration.petition
    wf.case_forward(actor=Actor.staff(org.users["registrar"]), petition=petition, to_unit=housing)
    handler = Actor.staff(org.users["handler"])
    wf.case_accept(actor=handler, petition=petition)
    wf.case_decide(
        actor=handler,
        petition=petition,
        outcome="explain",
        request=petition.request,
        facts="经现场核查，该路段烧烤摊点已纳入夜市规划管理，经营时间为18时至23时。",
        opinion="对取缔全部摊点的请求不予支持；已责令摊主安装油烟净化设施，23时后停止经营，城管中队每晚巡查。",
        legal_basis="《城市市容和环境卫生管理条例》第十四条",
        delivered_on=timezone.localdate(),
    )
    return registration.query_code, petition.number


def seed_front_doors(org: DemoOrg, rng: random.Random) -> FrontDoorsDemo:
    _suggestions(org, rng)
    receipt_anonymous, receipt_named = _accusations(org)
    code, number = _decided_grievance(org)
    return FrontDoorsDemo(
        query_code=code, query_number=number, receipt_anonymous=receipt_anonymous, receipt_named=receipt_named
    )
