"""One test per statutory rule the workflow enforces, named after it and citing the article
(R22 = 信访工作条例 2022; CC = 民法典). Petitions move through the real services, on a pinned
clock (2026-03-02, a Monday, unless a test moves it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from minsheng.core.errors import Conflict, NotAllowed, ValidationError
from minsheng.petitions.models import PetitionUnit
from minsheng.petitions.services import PetitionerInput
from minsheng.workflow import services as wf
from minsheng.workflow.deadlines import derivation
from minsheng.workflow.engine import TransitionRefused
from minsheng.workflow.models import (
    Case,
    Closure,
    Deadline,
    DeadlineStatus,
    Decision,
    Notice,
    NoticeKind,
    NoticeStatus,
)
from minsheng.workflow.states import Status
from minsheng.workflow.tests.conftest import staff

pytestmark = pytest.mark.django_db
D = dt.date


def deadline(petition: Any, step: str, status: str = DeadlineStatus.OPEN) -> Deadline:
    return Deadline.objects.get(petition=petition, step=step, status=status)


def notices(petition: Any, kind: str) -> list[Notice]:
    return list(Notice.objects.filter(petition=petition, kind=kind))


# --- Registration and triage (R22 Art. 19, 22, 23, 25) -------------------------------------------


def test_r22_art_19_every_registered_matter_opens_a_case_under_the_default_policy(flow: Any) -> None:
    petition = flow.registered()
    case = Case.objects.get(petition=petition)
    assert case.ruleset.policy.code == "R22" and case.received_on == D(2026, 3, 2)
    assert petition.status == Status.REGISTERED


def test_r22_art_22_triage_is_due_15_days_after_receipt_with_its_derivation(flow: Any, clock: Any) -> None:
    clock.to("2026-11-29")
    petition = flow.registered()
    triage = deadline(petition, "triage")
    assert triage.due == D(2026, 12, 14) and triage.unit == flow.org.units.a
    with translation.override("en"):
        assert derivation(triage) == "2026-12-14 = received 2026-11-29 + 15 days (R22 Art. 22)"
    with translation.override("zh-hans"):
        assert derivation(triage) == "2026-12-14 = 收到 2026-11-29 + 15日（R22 第二十二条）"


def test_r22_art_22_forwarding_makes_the_receiving_unit_own_the_matter(flow: Any) -> None:
    org = flow.org
    petition = flow.forwarded()
    assert petition.status == Status.FORWARDED and petition.handling_unit == org.units.housing_a
    roles = set(PetitionUnit.objects.filter(petition=petition).values_list("unit", "role"))
    assert (org.units.housing_a.pk, "handling") in roles and (org.units.a.pk, "handling") not in roles
    assert deadline(petition, "triage", DeadlineStatus.MET)
    assert deadline(petition, "accept").due == D(2026, 3, 17)
    forwarding = notices(petition, NoticeKind.FORWARDING)
    assert len(forwarding) == 1 and "芙蓉区住房和城乡建设局" in forwarding[0].body
    # The bureau no longer owns it: only the receiving unit may accept.
    with pytest.raises(NotAllowed):
        wf.case_accept(actor=staff(org.registrar_a), petition=petition)


def test_r22_art_22_3_assignment_sets_a_report_back_date_the_bureau_follows(flow: Any) -> None:
    org = flow.org
    petition = flow.registered()
    wf.case_assign(
        actor=staff(org.registrar_a), petition=petition, to_unit=org.units.housing_a, report_back_by=D(2026, 4, 15)
    )
    report = deadline(petition, "report_back")
    assert report.due == D(2026, 4, 15) and report.unit == org.units.housing_a
    assert "2026-04-15 = 交办日 2026-03-02 + 44日" in derivation(report)
    assert PetitionUnit.objects.filter(petition=petition, unit=org.units.a, role="assigning").exists()
    flow.accepted(petition)
    wf.case_report_back(actor=staff(org.handler_a), petition=petition, summary="已整治，经营点迁入夜市。")
    assert deadline(petition, "report_back", DeadlineStatus.MET)


def test_r22_art_22_3_a_report_back_date_must_lie_ahead(flow: Any) -> None:
    petition = flow.registered()
    with pytest.raises(ValidationError) as raised:
        wf.case_assign(
            actor=staff(flow.org.registrar_a),
            petition=petition,
            to_unit=flow.org.units.housing_a,
            report_back_by=D(2026, 3, 1),
        )
    assert "report_back_by" in raised.value.message_dict
    assert Case.objects.get(petition=petition).assigning_unit is None


def test_r22_art_24_a_lead_unit_with_co_handling_units_brings_them_into_the_data_scope(flow: Any) -> None:
    org = flow.org
    petition = flow.forwarded(co_units=[org.units.hr_a])
    assert PetitionUnit.objects.filter(petition=petition, unit=org.units.hr_a, role="co_handling").exists()
    from minsheng.petitions.access import petitions_visible_to

    assert petitions_visible_to(org.handler_hr_a).filter(pk=petition.pk).exists()
    # the co-handling unit helps; the lead unit decides
    with pytest.raises(NotAllowed):
        wf.case_accept(actor=staff(org.handler_hr_a), petition=petition)


def test_forwarding_goes_only_to_units_below_the_forwarding_bureau(flow: Any) -> None:
    petition = flow.registered()
    with pytest.raises(ValidationError) as raised:
        wf.case_forward(actor=staff(flow.org.registrar_a), petition=petition, to_unit=flow.org.units.housing_b)
    assert "to_unit" in raised.value.message_dict
    assert Case.objects.get(petition=petition).petition.status == Status.REGISTERED


def test_r22_art_23_acceptance_tells_the_petitioner_where_and_when(flow: Any) -> None:
    petition = flow.accepted()
    assert petition.status == Status.ACCEPTED
    assert deadline(petition, "accept", DeadlineStatus.MET)
    [notice] = notices(petition, NoticeKind.ACCEPTANCE)
    assert notice.status == NoticeStatus.QUEUED and notice.channel == "sms"
    assert "芙蓉区住房和城乡建设局于2026-03-02受理" in notice.body and "2026-05-06" in notice.body


def test_r22_art_23_no_written_notice_is_owed_when_name_or_address_is_unclear(flow: Any) -> None:
    petition = flow.registered(petitioners=[PetitionerInput(name="", phone="13800138000")])
    assert petition.identity_incomplete
    flow.accepted(flow.forwarded(petition))
    [notice] = notices(petition, NoticeKind.ACCEPTANCE)
    assert notice.status == NoticeStatus.NOT_OWED


def test_r22_art_23_3_an_objection_within_5_working_days_sends_the_matter_back_to_triage(flow: Any, clock: Any) -> None:
    org = flow.org
    petition = flow.forwarded()
    assert deadline(petition, "objection").due == D(2026, 3, 9)  # 5 working days: 3, 4, 5, 6, 9 March
    clock.to("2026-03-09")
    outcome = wf.case_object(actor=staff(org.handler_a), petition=petition, reason="涉及城市管理执法，不属本局职权。")
    assert outcome.petition.status == Status.REGISTERED and outcome.petition.handling_unit == org.units.a
    assert deadline(petition, "accept", DeadlineStatus.CANCELLED)
    retriage = deadline(petition, "triage")
    assert retriage.start_date == D(2026, 3, 9) and retriage.due == D(2026, 3, 24)
    assert derivation(retriage) == "2026-03-24 = 异议退回 2026-03-09 + 15日（R22 第二十二条）"
    assert not PetitionUnit.objects.filter(petition=petition, unit=org.units.housing_a).exists()


def test_r22_art_23_3_an_objection_after_5_working_days_is_refused_counting_national_day(flow: Any, clock: Any) -> None:
    clock.to("2026-09-24")  # Thursday before the Mid-Autumn and National Day holidays
    petition = flow.forwarded()
    # 28, 29, 30 September and 8, 9 October are the five working days
    assert deadline(petition, "objection").due == D(2026, 10, 9)
    clock.to("2026-10-10")  # an adjusted working Saturday, but the sixth working day
    with pytest.raises(TransitionRefused) as raised:
        wf.case_object(actor=staff(flow.org.handler_a), petition=petition, reason="不属本局职权。")
    assert "第二十三条第三款" in raised.value.message and "2026-10-09" in raised.value.message
    petition.refresh_from_db()
    assert petition.status == Status.FORWARDED


def test_r22_art_25_an_urgent_matter_is_reported_to_this_level_and_the_bureau_above(flow: Any) -> None:
    org = flow.org
    petition = flow.accepted()
    wf.case_report_urgent(actor=staff(org.handler_a), petition=petition, summary="二十余人聚集，情绪激动。")
    involved = set(PetitionUnit.objects.filter(petition=petition, role="assigning").values_list("unit", flat=True))
    assert {org.units.a.pk, org.units.city.pk} <= involved
    assert Case.objects.get(petition=petition).urgent_reported_at is not None
    assert petition.events.get(action="report_urgent").public is False


@pytest.mark.parametrize(
    ("channel", "article"),
    [
        ("litigation", "第三十一条第一项"),
        ("arbitration", "第三十一条第二项"),
        ("party_appeal", "第三十一条第三项"),
        ("administrative", "第三十一条第四项"),
        ("discipline", "第二十二条第二款、第三十条"),
    ],
)
def test_r22_art_31_1_to_5_a_declined_matter_is_sent_to_its_legal_channel(
    flow: Any, channel: str, article: str
) -> None:
    petition = flow.forwarded()
    wf.case_decline(
        actor=staff(flow.org.handler_a),
        petition=petition,
        channel=channel,
        where="芙蓉区人民法院",
        reason="属于法定途径解决的事项。",
    )
    petition.refresh_from_db()
    assert petition.status == Status.NOT_ACCEPTED
    [notice] = notices(petition, NoticeKind.NON_ACCEPTANCE)
    assert "芙蓉区人民法院" in notice.body and article in notice.body
    assert not Deadline.objects.filter(petition=petition, status=DeadlineStatus.OPEN).exists()


def test_r22_art_31_a_decline_to_another_channel_must_say_where(flow: Any) -> None:
    petition = flow.forwarded()
    with pytest.raises(ValidationError) as raised:
        wf.case_decline(actor=staff(flow.org.handler_a), petition=petition, channel="arbitration", reason="劳动争议。")
    assert "where" in raised.value.message_dict


# --- Handling (R22 Art. 31(6), 32, 33, 34) -----------------------------------------------------------


def test_r22_art_34_handling_is_due_60_days_after_acceptance_rolled_past_labour_day(flow: Any) -> None:
    petition = flow.accepted()
    handle = deadline(petition, "handle")
    # 60 days from 2 March is Friday 1 May, a holiday until 5 May (CC Art. 203)
    assert handle.counted_end == D(2026, 5, 1) and handle.due == D(2026, 5, 6)
    assert "顺延至2026-05-06（民法典第二百零三条）" in derivation(handle)


def test_r22_art_34_an_extension_needs_the_unit_head_and_tells_the_petitioner_why(flow: Any) -> None:
    org = flow.org
    petition = flow.accepted()
    wf.case_request_extension(actor=staff(org.handler_a), petition=petition, days=30, reason="需要调取多部门材料。")
    assert deadline(petition, "handle").extension == 0  # not yet: the unit head decides
    with pytest.raises(NotAllowed):
        wf.case_approve_extension(actor=staff(org.handler_a), petition=petition)
    wf.case_approve_extension(actor=staff(org.unit_head_a), petition=petition)
    handle = deadline(petition, "handle")
    # the period itself is 90 days: 31 May is a Sunday, so it ends on Monday 1 June
    assert handle.extension == 30 and handle.counted_end == D(2026, 5, 31) and handle.due == D(2026, 6, 1)
    [notice] = notices(petition, NoticeKind.EXTENSION)
    assert "需要调取多部门材料" in notice.body and "第三十四条" in notice.body and "2026-06-01" in notice.body


def test_r22_art_34_extensions_together_cannot_exceed_30_days(flow: Any) -> None:
    org = flow.org
    petition = flow.accepted()
    wf.case_request_extension(actor=staff(org.handler_a), petition=petition, days=20, reason="材料多。")
    wf.case_approve_extension(actor=staff(org.unit_head_a), petition=petition)
    with pytest.raises(TransitionRefused) as raised:
        wf.case_request_extension(actor=staff(org.handler_a), petition=petition, days=11, reason="仍需时间。")
    assert "30日" in raised.value.message and "R22 第三十四条" in raised.value.message
    wf.case_request_extension(actor=staff(org.handler_a), petition=petition, days=10, reason="仍需时间。")


def test_r22_art_34_a_rejected_extension_leaves_the_period_unchanged(flow: Any) -> None:
    org = flow.org
    petition = flow.accepted()
    wf.case_request_extension(actor=staff(org.handler_a), petition=petition, days=10, reason="材料多。")
    wf.case_reject_extension(actor=staff(org.unit_head_a), petition=petition, note="事实清楚，可按期办结。")
    assert deadline(petition, "handle").due == D(2026, 5, 6)
    assert not notices(petition, NoticeKind.EXTENSION)


def test_r22_art_32_the_written_decision_states_request_facts_opinion_and_legal_basis(flow: Any) -> None:
    petition = flow.decided(delivered_on=D(2026, 3, 2))
    decision = Decision.objects.get(case__petition=petition)
    assert decision.kind == "decision" and decision.outcome == "not_support"
    assert decision.request and decision.facts and decision.opinion and decision.legal_basis
    assert deadline(petition, "handle", DeadlineStatus.MET)
    [notice] = notices(petition, NoticeKind.DECISION)
    assert "芙蓉区信访局请求复查" in notice.body
    from minsheng.workflow.documents import decision_html, decision_pdf

    html = decision_html(decision)
    for part in (
        "信访处理意见书",
        "信访人投诉请求",
        "事实和理由",
        "法律法规依据",
        "不予支持",
        "30日内，向芙蓉区信访局请求复查",
    ):
        assert part in html
    assert decision_pdf(decision).startswith(b"%PDF")


def test_r22_art_32_a_decision_without_its_legal_basis_is_refused(flow: Any) -> None:
    petition = flow.accepted()
    with pytest.raises(ValidationError) as raised:
        wf.case_decide(
            actor=staff(flow.org.handler_a),
            petition=petition,
            outcome="support",
            request="r",
            facts="f",
            opinion="o",
            legal_basis=" ",
        )
    assert "legal_basis" in raised.value.message_dict
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED and not Decision.objects.exists()


def test_r22_art_33_a_mediation_agreement_concludes_the_matter(flow: Any) -> None:
    petition = flow.accepted()
    wf.case_mediate(
        actor=staff(flow.org.handler_a),
        petition=petition,
        kind="mediation",
        parties="张三；某物业公司",
        facts="物业费上调未经业主大会同意。",
        terms="物业公司退还多收费用。",
    )
    case = Case.objects.get(petition=petition)
    assert case.closure == Closure.SETTLED and case.petition.status == Status.CLOSED
    assert Decision.objects.get(case=case).kind == "settlement"


# --- Review and re-review (R22 Art. 35, 36) ---------------------------------------------------------


def test_r22_art_35_a_review_asked_on_day_30_is_taken_by_the_next_higher_body(flow: Any, clock: Any) -> None:
    petition = flow.accepted()
    clock.to("2026-03-10")
    petition = flow.decided(petition, delivered_on=D(2026, 3, 10))
    assert deadline(petition, "review_request").due == D(2026, 4, 9)
    clock.to("2026-04-09")
    petition = flow.review_requested(petition)
    case = Case.objects.get(petition=petition)
    assert petition.status == Status.REVIEW and case.review_unit == flow.org.units.a  # housing_a's parent
    assert deadline(petition, "review").due == D(2026, 5, 9)  # a Saturday, but a worked one (调休)
    assert PetitionUnit.objects.filter(petition=petition, unit=flow.org.units.a, role="reviewing").exists()


def test_r22_art_35_a_review_asked_on_day_31_is_refused_citing_the_article(flow: Any, clock: Any) -> None:
    petition = flow.accepted()
    clock.to("2026-03-10")
    petition = flow.decided(petition, delivered_on=D(2026, 3, 10))
    clock.to("2026-04-10")  # day 31 after the written reply reached the petitioner
    with pytest.raises(TransitionRefused) as raised:
        flow.review_requested(petition)
    assert "第三十五条" in raised.value.message and "2026-04-09" in raised.value.message
    assert raised.value.article == "R22 Art. 35"
    with translation.override("en"):
        refusal = raised.value.refusal  # the message was built in Chinese; English readers get theirs
        assert refusal.code == "request_late"
    petition.refresh_from_db()
    assert petition.status == Status.DECIDED


def test_r22_art_35_a_letter_received_in_time_counts_by_its_receipt_date(flow: Any, clock: Any) -> None:
    petition = flow.accepted()
    clock.to("2026-03-10")
    petition = flow.decided(petition, delivered_on=D(2026, 3, 10))
    clock.to("2026-04-13")
    petition = flow.review_requested(petition, requested_on=D(2026, 4, 8))
    assert petition.status == Status.REVIEW


def test_r22_art_35_the_review_window_starts_only_when_the_reply_is_delivered(flow: Any) -> None:
    petition = flow.decided(delivered_on=None)
    assert not Deadline.objects.filter(petition=petition, step="review_request").exists()
    with pytest.raises(TransitionRefused):
        flow.review_requested(petition)
    wf.case_deliver_decision(actor=staff(flow.org.handler_a), petition=petition, delivered_on=D(2026, 3, 2))
    assert deadline(petition, "review_request").due == D(2026, 4, 1)


def test_r22_art_35_the_review_opinion_is_due_30_days_after_the_request(flow: Any) -> None:
    petition = flow.review_requested()
    assert deadline(petition, "review").due == D(2026, 4, 1)
    petition = flow.reviewed(petition)
    assert petition.status == Status.REVIEWED
    assert deadline(petition, "review", DeadlineStatus.MET)
    assert notices(petition, NoticeKind.REVIEW)


def test_r22_art_36_rereview_goes_to_the_body_above_the_reviewer(flow: Any) -> None:
    org = flow.org
    petition = flow.reviewed()
    with pytest.raises(NotAllowed):  # the reviewer itself cannot take the re-review
        wf.case_request_rereview(actor=staff(org.reviewer_a), petition=petition, grounds="不服。")
    petition = flow.rereview_requested(petition)
    assert Case.objects.get(petition=petition).rereview_unit == org.units.city
    assert deadline(petition, "rereview").due == D(2026, 4, 1)


def test_r22_art_36_2_hearing_time_is_not_counted_in_the_rereview_period(flow: Any, clock: Any) -> None:
    org = flow.org
    petition = flow.rereview_requested()
    clock.to("2026-03-10")
    wf.case_schedule_hearing(
        actor=staff(org.city_reviewer),
        petition=petition,
        scheduled_at=dt.datetime(2026, 3, 18, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        place="长沙市信访局听证室",
        host="吴复核",
        participants="信访人张三\n芙蓉区住房和城乡建设局",
    )
    assert deadline(petition, "rereview").paused_since == D(2026, 3, 10)
    clock.to("2026-03-20")
    wf.case_conclude_hearing(
        actor=staff(org.city_reviewer), petition=petition, record="双方陈述。", conclusion="维持。"
    )
    rereview = deadline(petition, "rereview")
    # 11–20 March (10 days) are not counted: 1 April becomes 11 April, a Saturday → Monday 13 April
    assert rereview.paused_since is None and rereview.counted_end == D(2026, 4, 11) and rereview.due == D(2026, 4, 13)
    assert "听证10日不计入" in derivation(rereview)


def test_r22_art_36_3_a_matter_closed_after_rereview_is_refused_with_a_link(flow: Any) -> None:
    org = flow.org
    closed = flow.closed_after_rereview()
    assert Case.objects.get(petition=closed).closure == Closure.REREVIEW
    again = flow.registered()
    wf.case_link_earlier(actor=staff(org.registrar_a), petition=again, earlier=closed.number)
    with pytest.raises(TransitionRefused) as raised:
        wf.case_forward(actor=staff(org.registrar_a), petition=again, to_unit=org.units.housing_a)
    refusal = raised.value.refusal
    assert refusal.code == "matter_closed" and refusal.petition_id == closed.pk
    assert closed.number in refusal.message and "第三十六条第三款" in refusal.message
    # the lawful answer is "not accepted", naming the closed case
    wf.case_decline(actor=staff(org.registrar_a), petition=again, channel="closed_matter", reason="同一事实和理由。")
    [notice] = notices(again, NoticeKind.NON_ACCEPTANCE)
    assert closed.number in notice.body


def test_r22_art_36_3_the_check_a_registration_can_make_before_linking(flow: Any) -> None:
    from minsheng.workflow.conditions import earlier_matter_check

    closed = flow.closed_after_rereview()
    refusal = earlier_matter_check(earlier=closed, unit=flow.org.units.a)
    assert refusal is not None and refusal.petition_id == closed.pk
    assert earlier_matter_check(earlier=flow.registered(), unit=flow.org.units.a) is None


def test_r22_art_19_3_a_higher_body_does_not_accept_a_matter_in_handling_below(flow: Any) -> None:
    org = flow.org
    in_handling = flow.accepted()
    at_city = flow.registered(org.units.city, title="同一事项到市里反映")
    from minsheng.workflow.engine import execute

    wf.case_link_earlier(actor=staff(org.city_registrar), petition=at_city, earlier=in_handling.number)
    with pytest.raises(TransitionRefused) as raised:
        execute(actor=staff(org.city_registrar), petition=at_city, action="accept")
    assert raised.value.refusal.code == "matter_in_handling" and "第十九条第三款" in raised.value.message
    wf.case_merge(actor=staff(org.city_registrar), petition=at_city, into=in_handling.number)
    at_city.refresh_from_db()
    assert at_city.status == Status.MERGED
    assert not Deadline.objects.filter(petition=at_city, status=DeadlineStatus.OPEN).exists()


# --- Suggestions and accusations (R22 Art. 29, 30) --------------------------------------------------


def test_r22_art_29_a_suggestion_is_answered_and_cannot_be_reviewed(flow: Any) -> None:
    petition = flow.accepted(flow.forwarded(flow.registered(nature="suggestion", title="建议增设公交线路")))
    assert not Deadline.objects.filter(petition=petition, step="handle").exists()  # R22 sets no period
    with pytest.raises(Conflict):
        flow.decided(petition)
    wf.case_reply(
        actor=staff(flow.org.handler_a), petition=petition, outcome="partly_adopted", opinion="已纳入明年线网优化方案。"
    )
    petition.refresh_from_db()
    assert petition.status == Status.CLOSED and Case.objects.get(petition=petition).closure == Closure.REPLIED
    assert notices(petition, NoticeKind.REPLY)


def test_r22_art_30_an_accusation_goes_to_discipline_inspection_and_is_answered_without_review(flow: Any) -> None:
    from minsheng.orgs.roles import Role
    from minsheng.orgs.services import user_create

    org = flow.org
    inspector = user_create(
        actor=staff(org.admin),
        username="inspector",
        password=None,
        full_name="纪检员",
        unit=org.units.discipline_a,
        roles=[Role.HANDLER],
    )
    petition = flow.registered(nature="accusation", title="反映某科长收受红包")
    wf.case_forward(actor=staff(org.registrar_a), petition=petition, to_unit=org.units.discipline_a)
    wf.case_accept(actor=staff(inspector), petition=petition)
    with pytest.raises(Conflict):  # the 处理意见书 and its review are for grievances (Art. 31(6), 35)
        wf.case_decide(
            actor=staff(inspector),
            petition=petition,
            outcome="support",
            request="r",
            facts="f",
            opinion="o",
            legal_basis="l",
        )
    wf.case_reply(actor=staff(inspector), petition=petition, outcome="feedback", opinion="已立案调查，依规依纪处理。")
    petition.refresh_from_db()
    assert petition.status == Status.CLOSED


# --- Withdrawal, merge, lapse ---------------------------------------------------------------------------


def test_a_withdrawal_stops_every_period(flow: Any) -> None:
    petition = flow.accepted()
    wf.case_withdraw(actor=staff(flow.org.handler_a), petition=petition, reason="信访人书面申请撤回，问题已自行解决。")
    petition.refresh_from_db()
    assert petition.status == Status.WITHDRAWN
    assert not Deadline.objects.filter(petition=petition, status=DeadlineStatus.OPEN).exists()
    assert notices(petition, NoticeKind.WITHDRAWAL)


def test_r22_art_35_an_unused_review_window_closes_the_case_the_next_day(flow: Any, clock: Any) -> None:
    petition = flow.decided(delivered_on=D(2026, 3, 2))
    clock.to("2026-04-01")
    assert wf.cases_conclude_lapsed() == 0  # the last day still counts
    clock.to("2026-04-02")
    assert wf.cases_conclude_lapsed() == 1
    case = Case.objects.get(petition=petition)
    assert case.petition.status == Status.CLOSED and case.closure == Closure.NO_REVIEW
    assert deadline(petition, "review_request", DeadlineStatus.LAPSED)
    assert not case.is_final  # only a re-review ends the matter for good (Art. 36 ¶3)


# --- Who may act, and the state machine ------------------------------------------------------------


def test_an_action_outside_its_states_answers_conflict_with_the_reason(flow: Any) -> None:
    petition = flow.registered()
    with pytest.raises(Conflict) as raised:
        wf.case_request_extension(actor=staff(flow.org.handler_a), petition=petition, days=5, reason="x")
    assert "已登记待分流" in raised.value.message


def test_a_handler_of_another_unit_may_not_act(flow: Any) -> None:
    petition = flow.forwarded()
    with pytest.raises(NotAllowed):
        wf.case_accept(actor=staff(flow.org.handler_b), petition=petition)


def test_a_stale_status_loses_the_compare_and_set(flow: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another transaction changes the status between our read and our write: we must not apply."""
    from minsheng.petitions.models import Petition

    petition = flow.forwarded()
    original_update = type(Petition.objects.filter(pk=petition.pk)).update

    def racing_update(self: Any, **kwargs: Any) -> int:
        type(self).update = original_update  # the competitor's write goes through once
        Petition.objects.filter(pk=petition.pk).update(status=Status.NOT_ACCEPTED)
        return original_update(self, **kwargs)

    monkeypatch.setattr(type(Petition.objects.filter(pk=petition.pk)), "update", racing_update)
    with pytest.raises(Conflict) as raised:
        wf.case_accept(actor=staff(flow.org.handler_a), petition=petition)
    assert raised.value.code == "stale"
    assert not petition.events.filter(action="accept").exists()
