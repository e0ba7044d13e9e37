"""THE transition table: every step a petition can take under the regulation, in one place.

Each row names the action, the states it leaves and the state it enters, who may take it (roles,
and which unit they must belong to), the preconditions, what it does to deadlines, the notice it
owes the petitioner, the article it rests on, and the fields it takes. The services
(services.py) execute rows; the pages and the API offer the rows available to a user; the docs
(docs/workflow.md, `minsheng workflow-docs`) and the tests are generated from or walk this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.roles import Role
from minsheng.petitions.models import Nature
from minsheng.workflow import conditions as c
from minsheng.workflow.models import DeclineChannel, NoticeKind, Outcome
from minsheng.workflow.states import Status
from minsheng.workflow.steps import Step

# Which unit's staff may act: the handling unit, the review or re-review body once it has the
# case, the body that *will* review or re-review (it receives the request), or whichever of these
# holds the case now ("current").
ActingUnit = Literal["handling", "review", "rereview", "review_body", "rereview_body", "current"]
FieldType = Literal["text", "textarea", "date", "datetime", "int", "unit", "units", "choice", "petition", "bool"]

OPEN_STATES = tuple(s for s in Status if s not in {Status.CLOSED, Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.MERGED})
ALL_NATURES = frozenset(Nature.values)
GRIEVANCE = frozenset({Nature.GRIEVANCE})
TRIAGE_STATES = (Status.REGISTERED, Status.FORWARDED, Status.ASSIGNED)


@dataclass(frozen=True)
class Field:
    name: str
    label: Promise
    type: FieldType
    required: bool = True
    choices: tuple[tuple[str, Any], ...] = ()
    help: Promise | str = ""
    # For unit fields: "below" = units under the acting unit (forward, assign targets).
    units: Literal["below", ""] = ""
    max_length: int = 0
    # Pre-filled from the petition (the decision restates the request).
    initial_from: str = ""


@dataclass(frozen=True)
class Effect:
    """What a transition does to a deadline. `unit` says who must then act on a started one."""

    op: Literal["start", "meet", "cancel", "lapse", "extend", "pause", "resume"]
    step: str
    unit: Literal["handling", "review", "rereview", "none"] = "handling"

    def describe(self) -> str:
        step = dict(Step.choices)[self.step]
        return str(EFFECT_WORDS[self.op]) % {"step": step}


EFFECT_WORDS: dict[str, Any] = {
    "start": _("开始计算「%(step)s」"),
    "meet": _("「%(step)s」完成"),
    "cancel": _("撤销「%(step)s」"),
    "lapse": _("「%(step)s」届满"),
    "extend": _("延长「%(step)s」"),
    "pause": _("暂停计算「%(step)s」"),
    "resume": _("恢复计算「%(step)s」"),
}


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change
    roles: frozenset[str]
    acting_unit: ActingUnit
    article: Promise | str
    description: Promise
    natures: frozenset[str] = ALL_NATURES
    preconditions: tuple[c.Precondition, ...] = ()
    effects: tuple[Effect, ...] = ()
    fields: tuple[Field, ...] = ()
    notice: str | None = None
    # The event is shown to the petitioner (portal, petitioner_view).
    public: bool = True
    # The petitioner may take it themselves (through the portal).
    citizen: bool = False
    # Only happens through petition registration, never through the actions endpoint.
    via_registration: bool = False
    # The system (a scheduled job) may take it.
    system: bool = False
    # A button that needs care (styled as such on the case page).
    danger: bool = False


def _choices(enum: Any, only: tuple[str, ...] = ()) -> tuple[tuple[str, Any], ...]:
    return tuple((v, label) for v, label in enum.choices if not only or v in only)


NOTE = Field("note", _("备注"), "textarea", required=False)
DELIVERED_ON = Field(
    "delivered_on",
    _("送达日期"),
    "date",
    required=False,
    help=_("书面答复到达信访人的日期；当场或网上送达的填今天。留空则待送达后登记。"),
)
REQUESTED_ON = Field(
    "requested_on", _("收到请求日期"), "date", required=False, help=_("留空为今天。信件以收到之日为准。")
)
DECISION_FIELDS = (
    Field("request", _("信访人投诉请求"), "textarea", initial_from="request"),
    Field("facts", _("事实和理由"), "textarea", help=_("查明的事实和作出处理的理由。")),
    Field("opinion", _("处理意见"), "textarea"),
    Field("legal_basis", _("法律法规依据"), "textarea"),
)
REVIEW_OUTCOMES = _choices(Outcome, (Outcome.UPHOLD, Outcome.CHANGE, Outcome.REVOKE))

R = Role
HANDLERS = frozenset({R.HANDLER, R.UNIT_HEAD})
DESK = frozenset({R.REGISTRAR})

TABLE: tuple[Transition, ...] = (
    Transition(
        name="register",
        label=_("登记"),
        sources=(),
        target=Status.REGISTERED,
        roles=frozenset({R.REGISTRAR, R.ADMIN}),
        acting_unit="handling",
        article=_("第十九条、第二十二条、第二十三条"),
        description=_("收到的信访事项一律登记，口头提出的如实记录；开始计算分流期限。"),
        effects=(Effect("start", Step.TRIAGE),),
        via_registration=True,
    ),
    Transition(
        name="import_reply",
        label=_("导入历史答复"),
        sources=(Status.REGISTERED,),
        target=Status.CLOSED,
        roles=frozenset(),
        acting_unit="handling",
        article="",
        description=_(
            "从其他系统导入已经答复的历史事项：记录原答复意见和答复时间（标明为导入），事项以“已答复”办结；"
            "不再计算期限，不发送告知。"
        ),
        effects=(Effect("cancel", Step.TRIAGE),),
        public=False,
        via_registration=True,
        system=True,
    ),
    Transition(
        name="forward",
        label=_("转送"),
        sources=(Status.REGISTERED,),
        target=Status.FORWARDED,
        roles=DESK,
        acting_unit="handling",
        article=_("第二十二条第一项、第二项，第二十三条第一款"),
        description=_("转送有权处理的机关、单位，由其受理办理；可同时指定协办单位。"),
        preconditions=(c.earlier_matter_allows,),
        effects=(
            Effect("meet", Step.TRIAGE),
            Effect("start", Step.ACCEPT),
            Effect("start", Step.OBJECTION),
        ),
        fields=(
            Field("to_unit", _("转送至"), "unit", units="below"),
            Field("co_units", _("协办单位"), "units", required=False, units="below"),
            NOTE,
        ),
        notice=NoticeKind.FORWARDING,
    ),
    Transition(
        name="assign",
        label=_("交办"),
        sources=(Status.REGISTERED,),
        target=Status.ASSIGNED,
        roles=frozenset({R.REGISTRAR, R.SUPERVISOR}),
        acting_unit="handling",
        article=_("第二十二条第三项"),
        description=_("交由有权处理的机关、单位办理，指定反馈办理结果的期限；交办单位跟踪督办。"),
        preconditions=(c.earlier_matter_allows,),
        effects=(
            Effect("meet", Step.TRIAGE),
            Effect("start", Step.ACCEPT),
            Effect("start", Step.OBJECTION),
        ),
        fields=(
            Field("to_unit", _("交办至（主办单位）"), "unit", units="below"),
            Field("co_units", _("协办单位"), "units", required=False, units="below"),
            Field("report_back_by", _("报送办结报告期限"), "date"),
            NOTE,
        ),
        notice=NoticeKind.FORWARDING,
    ),
    Transition(
        name="report_urgent",
        label=_("紧急报告"),
        sources=OPEN_STATES,
        target=None,
        roles=frozenset({R.REGISTRAR, R.HANDLER, R.UNIT_HEAD, R.REVIEWER, R.SUPERVISOR, R.LEADER}),
        acting_unit="current",
        article=_("第二十五条"),
        description=_("可能造成社会影响的重大、紧急信访事项，及时报告本级党委和政府并报上一级信访部门。"),
        fields=(
            Field("summary", _("报告内容"), "textarea"),
            Field("measures", _("已采取的措施"), "textarea", required=False),
        ),
        public=False,
        danger=True,
    ),
    Transition(
        name="object",
        label=_("提出异议"),
        sources=(Status.FORWARDED, Status.ASSIGNED),
        target=Status.REGISTERED,
        roles=frozenset({R.REGISTRAR, R.HANDLER, R.UNIT_HEAD}),
        acting_unit="handling",
        article=_("第二十三条第三款"),
        description=_(
            "不属于本单位职权范围的，自收到之日起5个工作日内提出异议并说明理由，退回转送、交办单位重新分流。"
        ),
        preconditions=(c.within_objection_window,),
        effects=(
            Effect("meet", Step.OBJECTION),
            Effect("cancel", Step.ACCEPT),
            Effect("cancel", Step.REPORT_BACK),
        ),
        fields=(Field("reason", _("异议理由"), "textarea"),),
        public=False,
    ),
    Transition(
        name="accept",
        label=_("受理"),
        sources=TRIAGE_STATES,
        target=Status.ACCEPTED,
        roles=frozenset({R.REGISTRAR, R.HANDLER, R.UNIT_HEAD}),
        acting_unit="handling",
        article=_("第二十二条、第二十三条"),
        description=_("属于本单位职权范围的，予以受理并书面告知信访人处理途径和程序；开始计算办理期限。"),
        preconditions=(c.earlier_matter_allows,),
        effects=(
            Effect("meet", Step.TRIAGE),
            Effect("meet", Step.ACCEPT),
            Effect("cancel", Step.OBJECTION),
            Effect("start", Step.HANDLE),
        ),
        fields=(
            Field(
                "route",
                _("处理途径和程序"),
                "textarea",
                required=False,
                help=_("写入受理告知书；留空时按信访事项的性质写明法定程序。"),
            ),
            NOTE,
        ),
        notice=NoticeKind.ACCEPTANCE,
    ),
    Transition(
        name="decline",
        label=_("不予受理"),
        sources=TRIAGE_STATES,
        target=Status.NOT_ACCEPTED,
        roles=frozenset({R.REGISTRAR, R.HANDLER, R.UNIT_HEAD}),
        acting_unit="handling",
        article=_("第二十三条第一款、第二十八条第二款、第三十一条第一项至第五项、第三十六条第三款"),
        description=_(
            "依法应当通过其他法定途径解决、不属于本系统职权范围或已终结的，不予受理，书面告知理由和应当向何处提出（诉访分离）。"
        ),
        effects=(
            Effect("meet", Step.TRIAGE),
            Effect("meet", Step.ACCEPT),
            Effect("cancel", Step.OBJECTION),
            Effect("cancel", Step.REPORT_BACK),
        ),
        fields=(
            Field("channel", _("应当通过的途径"), "choice", choices=_choices(DeclineChannel)),
            Field("where", _("告知信访人向何处提出"), "text", required=False, max_length=200),
            Field("reason", _("不予受理的理由"), "textarea"),
        ),
        notice=NoticeKind.NON_ACCEPTANCE,
    ),
    Transition(
        name="link_earlier",
        label=_("关联原信访事项"),
        sources=TRIAGE_STATES,
        target=None,
        roles=frozenset({R.REGISTRAR, R.HANDLER, R.UNIT_HEAD}),
        acting_unit="handling",
        article=_("第十九条第三款、第三十六条第三款"),
        description=_("登记为同一信访人以同一事实和理由提出的重复信访，并据此判断能否受理。"),
        fields=(Field("earlier", _("原信访事项编号"), "petition"),),
        public=False,
    ),
    Transition(
        name="merge",
        label=_("合并到原信访事项"),
        sources=TRIAGE_STATES,
        target=Status.MERGED,
        roles=frozenset({R.REGISTRAR, R.HANDLER, R.UNIT_HEAD}),
        acting_unit="handling",
        article=_("第十九条第三款"),
        description=_("同一事项正在办理的，将重复信访并入原信访事项一并办理，本件不再单独计算期限。"),
        effects=(
            Effect("cancel", Step.TRIAGE),
            Effect("cancel", Step.ACCEPT),
            Effect("cancel", Step.OBJECTION),
            Effect("cancel", Step.REPORT_BACK),
        ),
        fields=(Field("into", _("并入的信访事项编号"), "petition"), NOTE),
        danger=True,
    ),
    Transition(
        name="unlink_earlier",
        label=_("解除与原信访事项的关联"),
        sources=TRIAGE_STATES,
        target=None,
        roles=frozenset({R.REGISTRAR, R.HANDLER, R.UNIT_HEAD}),
        acting_unit="handling",
        article=_("第十九条第三款、第三十六条第三款"),
        description=_("关联有误（不是同一信访人以同一事实和理由提出）的，解除关联，本件按新的信访事项办理。"),
        fields=(Field("reason", _("解除关联的理由"), "textarea"),),
        public=False,
    ),
    Transition(
        name="unmerge",
        label=_("撤销合并"),
        sources=(Status.MERGED,),
        target=None,
        roles=frozenset({R.REGISTRAR, R.HANDLER, R.UNIT_HEAD}),
        acting_unit="handling",
        article=_("第十九条第三款"),
        description=_("合并有误的，撤销合并：本件回到合并前的状态，合并时撤销的期限按原起算日重新计算。"),
        fields=(Field("reason", _("撤销合并的理由"), "textarea"),),
        public=False,
    ),
    Transition(
        name="record_progress",
        label=_("办理记录"),
        sources=(Status.ACCEPTED,),
        target=None,
        roles=HANDLERS,
        acting_unit="handling",
        article=_("第三十一条第六项"),
        description=_("记录听取信访人陈述、调查核实、协调等办理过程。"),
        fields=(
            Field(
                "kind",
                _("办理方式"),
                "choice",
                choices=(
                    ("heard", _("听取信访人陈述")),
                    ("investigated", _("调查核实")),
                    ("coordinated", _("协调处理")),
                    ("other", _("其他")),
                ),
            ),
            Field("content", _("办理情况"), "textarea"),
        ),
        public=False,
    ),
    Transition(
        name="request_extension",
        label=_("申请延期"),
        sources=(Status.ACCEPTED,),
        target=None,
        roles=frozenset({R.HANDLER}),
        acting_unit="handling",
        article=_("第三十四条"),
        description=_("情况复杂的，承办人申请延长办理期限，报本单位负责人批准。"),
        preconditions=(c.handling_period_running, c.no_pending_extension, c.extension_within_cap),
        fields=(
            Field("days", _("延长天数"), "int", help=_("延长期限合计不得超过政策规定的上限（第三十四条：30日）。")),
            Field("reason", _("延期理由"), "textarea", help=_("将告知信访人。")),
        ),
        public=False,
    ),
    Transition(
        name="approve_extension",
        label=_("批准延期"),
        sources=(Status.ACCEPTED,),
        target=None,
        roles=frozenset({R.UNIT_HEAD}),
        acting_unit="handling",
        article=_("第三十四条"),
        description=_("单位负责人批准延期，办理期限本身延长，并告知信访人延期理由。"),
        preconditions=(c.extension_pending, c.handling_period_running, c.extension_within_cap),
        effects=(Effect("extend", Step.HANDLE),),
        fields=(NOTE,),
        notice=NoticeKind.EXTENSION,
    ),
    Transition(
        name="reject_extension",
        label=_("不批准延期"),
        sources=(Status.ACCEPTED,),
        target=None,
        roles=frozenset({R.UNIT_HEAD}),
        acting_unit="handling",
        article=_("第三十四条"),
        description=_("单位负责人不批准延期，原办理期限不变。"),
        preconditions=(c.extension_pending,),
        fields=(Field("note", _("不批准的理由"), "textarea"),),
        public=False,
    ),
    Transition(
        name="mediate",
        label=_("调解和解"),
        sources=(Status.ACCEPTED,),
        target=Status.CLOSED,
        roles=HANDLERS,
        acting_unit="handling",
        natures=GRIEVANCE,
        article=_("第三十三条"),
        description=_("经争议双方同意调解或自愿和解达成一致的，制作调解协议书或和解协议书，事项办结。"),
        effects=(Effect("meet", Step.HANDLE),),
        fields=(
            Field("kind", _("协议类型"), "choice", choices=_choices(Outcome, (Outcome.MEDIATION, Outcome.SETTLEMENT))),
            Field("parties", _("当事人"), "textarea"),
            Field("facts", _("争议事实"), "textarea"),
            Field("terms", _("协议内容"), "textarea"),
        ),
        notice=NoticeKind.SETTLEMENT,
    ),
    Transition(
        name="decide",
        label=_("出具处理意见书"),
        sources=(Status.ACCEPTED,),
        target=Status.DECIDED,
        roles=HANDLERS,
        acting_unit="handling",
        natures=GRIEVANCE,
        article=_("第三十一条第六项、第三十二条"),
        description=_(
            "调查核实后出具信访处理意见书，载明投诉请求、事实和理由、处理意见及其法律法规依据：予以支持、解释说明或不予支持。"
        ),
        effects=(Effect("meet", Step.HANDLE), Effect("start", Step.REVIEW_REQUEST, unit="none")),
        fields=(
            Field(
                "outcome",
                _("处理意见"),
                "choice",
                choices=_choices(Outcome, (Outcome.SUPPORT, Outcome.EXPLAIN, Outcome.NOT_SUPPORT)),
            ),
            *DECISION_FIELDS[:2],
            Field("opinion", _("处理意见的具体内容"), "textarea"),
            DECISION_FIELDS[3],
            DELIVERED_ON,
        ),
        notice=NoticeKind.DECISION,
    ),
    Transition(
        name="reply",
        label=_("答复办结"),
        sources=(Status.ACCEPTED,),
        target=Status.CLOSED,
        roles=HANDLERS,
        acting_unit="handling",
        natures=frozenset({Nature.SUGGESTION, Nature.ACCUSATION}),
        article=_("第二十九条、第三十条"),
        description=_("建议意见类事项研究论证后予以回复；检举控告类事项依规依纪依法办理后反馈。不适用复查复核。"),
        effects=(Effect("meet", Step.HANDLE),),
        fields=(
            Field(
                "outcome",
                _("答复结果"),
                "choice",
                choices=_choices(
                    Outcome, (Outcome.ADOPTED, Outcome.PARTLY_ADOPTED, Outcome.NOT_ADOPTED, Outcome.FEEDBACK)
                ),
            ),
            Field("opinion", _("答复内容"), "textarea"),
        ),
        notice=NoticeKind.REPLY,
    ),
    Transition(
        name="deliver_decision",
        label=_("登记送达"),
        sources=(Status.DECIDED,),
        target=None,
        roles=HANDLERS | DESK,
        acting_unit="handling",
        natures=GRIEVANCE,
        article=_("第三十五条"),
        description=_("登记书面答复送达信访人的日期，复查申请期限自次日起算。"),
        preconditions=(c.decision_not_delivered,),
        effects=(Effect("start", Step.REVIEW_REQUEST, unit="none"),),
        fields=(Field("delivered_on", _("送达日期"), "date"),),
    ),
    Transition(
        name="request_review",
        label=_("受理复查请求"),
        sources=(Status.DECIDED,),
        target=Status.REVIEW,
        roles=frozenset({R.REGISTRAR, R.REVIEWER}),
        acting_unit="review_body",
        natures=GRIEVANCE,
        article=_("第三十五条"),
        description=_("信访人不服处理意见，自收到书面答复之日起30日内请求原办理单位的上一级机关、单位复查。"),
        preconditions=(c.review_body_exists, c.within_review_window),
        effects=(Effect("meet", Step.REVIEW_REQUEST), Effect("start", Step.REVIEW, unit="review")),
        fields=(REQUESTED_ON, Field("grounds", _("复查请求和理由"), "textarea")),
        citizen=True,
    ),
    Transition(
        name="decide_review",
        label=_("出具复查意见"),
        sources=(Status.REVIEW,),
        target=Status.REVIEWED,
        roles=frozenset({R.REVIEWER}),
        acting_unit="review",
        natures=GRIEVANCE,
        article=_("第三十五条"),
        description=_("复查机关自收到复查请求之日起30日内提出复查意见，并予以书面答复。"),
        effects=(Effect("meet", Step.REVIEW, unit="review"), Effect("start", Step.REREVIEW_REQUEST, unit="none")),
        fields=(Field("outcome", _("复查结论"), "choice", choices=REVIEW_OUTCOMES), *DECISION_FIELDS[1:], DELIVERED_ON),
        notice=NoticeKind.REVIEW,
    ),
    Transition(
        name="deliver_review",
        label=_("登记复查意见送达"),
        sources=(Status.REVIEWED,),
        target=None,
        roles=frozenset({R.REVIEWER, R.REGISTRAR}),
        acting_unit="review",
        natures=GRIEVANCE,
        article=_("第三十六条"),
        description=_("登记复查意见送达信访人的日期，复核申请期限自次日起算。"),
        preconditions=(c.review_not_delivered,),
        effects=(Effect("start", Step.REREVIEW_REQUEST, unit="none"),),
        fields=(Field("delivered_on", _("送达日期"), "date"),),
    ),
    Transition(
        name="request_rereview",
        label=_("受理复核请求"),
        sources=(Status.REVIEWED,),
        target=Status.REREVIEW,
        roles=frozenset({R.REGISTRAR, R.REVIEWER}),
        acting_unit="rereview_body",
        natures=GRIEVANCE,
        article=_("第三十六条第一款"),
        description=_("信访人不服复查意见，自收到书面答复之日起30日内向复查机关的上一级机关、单位请求复核。"),
        preconditions=(c.rereview_body_exists, c.within_rereview_window),
        effects=(Effect("meet", Step.REREVIEW_REQUEST), Effect("start", Step.REREVIEW, unit="rereview")),
        fields=(REQUESTED_ON, Field("grounds", _("复核请求和理由"), "textarea")),
        citizen=True,
    ),
    Transition(
        name="schedule_hearing",
        label=_("决定举行听证"),
        sources=(Status.REREVIEW,),
        target=Status.HEARING,
        roles=frozenset({R.REVIEWER}),
        acting_unit="rereview",
        natures=GRIEVANCE,
        article=_("第三十六条第二款"),
        description=_("复核机关可以举行听证；听证所需时间不计算在复核期限内，自决定之日次日起暂停计算。"),
        preconditions=(c.no_hearing_yet,),
        effects=(Effect("pause", Step.REREVIEW, unit="rereview"),),
        fields=(
            Field("scheduled_at", _("听证时间"), "datetime"),
            Field("place", _("听证地点"), "text", max_length=200),
            Field("host", _("主持人"), "text", max_length=100),
            Field("participants", _("参加人"), "textarea", help=_("信访人、有关单位、听证员等，每行一人。")),
        ),
        notice=NoticeKind.HEARING,
    ),
    Transition(
        name="conclude_hearing",
        label=_("听证结束"),
        sources=(Status.HEARING,),
        target=Status.REREVIEW,
        roles=frozenset({R.REVIEWER}),
        acting_unit="rereview",
        natures=GRIEVANCE,
        article=_("第三十六条第二款"),
        description=_("记录听证情况和结论；复核期限自听证结束次日起恢复计算。"),
        effects=(Effect("resume", Step.REREVIEW, unit="rereview"),),
        fields=(
            Field("concluded_on", _("听证结束日期"), "date", required=False, help=_("留空为今天。")),
            Field("record", _("听证记录"), "textarea"),
            Field("conclusion", _("听证结论"), "textarea"),
        ),
    ),
    Transition(
        name="decide_rereview",
        label=_("出具复核意见"),
        sources=(Status.REREVIEW,),
        target=Status.CLOSED,
        roles=frozenset({R.REVIEWER}),
        acting_unit="rereview",
        natures=GRIEVANCE,
        article=_("第三十六条"),
        description=_("复核机关自收到复核请求之日起30日内提出复核意见；信访人仍以同一事实和理由提出的，不再受理。"),
        effects=(Effect("meet", Step.REREVIEW, unit="rereview"),),
        fields=(Field("outcome", _("复核结论"), "choice", choices=REVIEW_OUTCOMES), *DECISION_FIELDS[1:], DELIVERED_ON),
        notice=NoticeKind.REREVIEW,
    ),
    Transition(
        name="conclude",
        label=_("办结归档"),
        sources=(Status.DECIDED, Status.REVIEWED),
        target=Status.CLOSED,
        roles=frozenset({R.HANDLER, R.UNIT_HEAD, R.REVIEWER}),
        acting_unit="current",
        natures=GRIEVANCE,
        article=_("第三十五条、第三十六条"),
        description=_("信访人在期限内未请求复查或复核的，事项办结归档（每日自动执行，也可手动）。"),
        preconditions=(c.request_windows_closed,),
        system=True,
        effects=(Effect("lapse", Step.REVIEW_REQUEST), Effect("lapse", Step.REREVIEW_REQUEST)),
    ),
    Transition(
        name="report_back",
        label=_("报送办结报告"),
        sources=(Status.ACCEPTED, Status.DECIDED, Status.REVIEW, Status.REVIEWED, Status.CLOSED),
        target=None,
        roles=HANDLERS,
        acting_unit="handling",
        article=_("第二十二条第三项"),
        description=_("交办件在指定期限内向交办单位反馈办理结果、提交办结报告。"),
        preconditions=(c.assigned_not_reported,),
        effects=(Effect("meet", Step.REPORT_BACK),),
        fields=(Field("summary", _("办结报告"), "textarea"),),
        public=False,
    ),
    Transition(
        name="withdraw",
        label=_("撤回"),
        sources=OPEN_STATES,
        target=Status.WITHDRAWN,
        roles=frozenset({R.REGISTRAR, R.HANDLER, R.UNIT_HEAD, R.REVIEWER}),
        acting_unit="current",
        article="",
        description=_("信访人撤回信访事项；登记撤回的方式和理由，停止计算全部期限。"),
        effects=tuple(Effect("cancel", step) for step in Step.values if step != Step.EXTENSION),
        fields=(Field("reason", _("撤回方式和理由"), "textarea"),),
        notice=NoticeKind.WITHDRAWAL,
        citizen=True,
        danger=True,
    ),
)

TRANSITIONS: dict[str, Transition] = {row.name: row for row in TABLE}
# The actions a person can take through the pages and the API (registration has its own door).
ACTION_NAMES = tuple(row.name for row in TABLE if not row.via_registration)


def transition(name: str) -> Transition:
    return TRANSITIONS[name]
