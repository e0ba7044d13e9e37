"""Similar past decisions on the drafting page, and portal replies imported as decisions."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import petition_data, staff_login
from minsheng.core.actors import Actor
from minsheng.intel.topics.similar import rank_similar, similar_decisions
from minsheng.petitions.models import Petition, PetitionEvent
from minsheng.petitions.services import PetitionerInput, petition_register
from minsheng.workflow import services as wf
from minsheng.workflow.models import Closure, DeadlineStatus, Decision, DecisionKind, Notice
from minsheng.workflow.states import Status

pytestmark = pytest.mark.django_db

HEADER = "留言编号,留言用户,留言主题,留言时间,留言详情,答复意见,答复时间\n"
FUMES_REPLY = "经核查，该小区底层餐馆油烟直排属实，已责令安装油烟净化设施并限期整改。"


def _csv(tmp_path: Path, rows: list[str], name: str = "replies.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_an_imported_reply_becomes_the_decision_of_a_closed_case_marked_as_imported(
    org: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(
        tmp_path,
        [
            f'1,U1,阳光花园小区餐馆油烟扰民,2019/4/25 9:32:09,"\n\t\t\t楼下餐馆油烟直排。\n\t\t",{FUMES_REPLY},2019/5/10 14:56:53\n',
            "2,U2,路灯不亮,2019/4/25 9:32:09,晚上很黑,,\n",
            "3,U3,噪音扰民,2019/4/25 9:32:09,工地施工,已处理。,上周\n",
            "4,U4,垃圾没人清运,2019/4/25 9:32:09,垃圾堆积,已清运。,2019/4/1 10:00:00\n",
        ],
    )
    call_command("import-messages", str(path), unit=str(org.units.a.pk))
    captured = capsys.readouterr()
    assert "已导入 2 条" in captured.out
    assert "第4行：答复时间“上周”无法识别" in captured.err
    assert "第5行：答复时间不能早于收到时间。" in captured.err
    replied = Petition.objects.get(source_ref="1")
    assert replied.status == Status.CLOSED
    decision = Decision.objects.get(case__petition=replied)
    assert decision.kind == DecisionKind.REPLY and decision.opinion == FUMES_REPLY
    assert timezone.localtime(decision.issued_at).isoformat().startswith("2019-05-10T14:56:53")
    assert decision.issued_by is None
    assert replied.case.closure == Closure.REPLIED
    event = PetitionEvent.objects.get(petition=replied, action="import_reply")
    assert "导入的历史答复" in event.note and "wenzheng 1" in event.note and not event.public
    assert not replied.deadlines.filter(status=DeadlineStatus.OPEN).exists()
    assert not Notice.objects.filter(petition=replied).exists()  # the petitioner had it long ago
    unanswered = Petition.objects.get(source_ref="2")
    assert unanswered.status == Status.REGISTERED and not Decision.objects.filter(case__petition=unanswered).exists()
    # the bad rows left nothing behind, not even the petition
    assert not Petition.objects.filter(source_ref__in=["3", "4"]).exists()


def test_a_file_without_reply_columns_imports_as_before(org: Any, tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("留言编号,留言用户,留言主题,留言时间,留言详情\n9,U9,路灯不亮,2019/1/8 9:32:09,很黑\n", "utf-8")
    call_command("import-messages", str(path), unit=str(org.units.a.pk))
    assert Petition.objects.get(source_ref="9").status == Status.REGISTERED


def test_titles_weigh_more_than_the_narrative() -> None:
    ranked = rank_similar(
        ("小区餐馆油烟扰民", "楼下餐馆油烟直排"),
        [("路灯不亮", "楼下餐馆油烟直排"), ("某小区餐馆油烟扰民", "晚上营业到凌晨"), ("拖欠工资", "公司拖欠")],
    )
    assert [i for i, _ in ranked][:2] == [1, 0]
    assert 2 not in [i for i, _ in ranked]


def _register(org: Any, unit: Any, registrar: Any, title: str, facts: str) -> Petition:
    return petition_register(
        actor=Actor.staff(registrar),
        unit=unit,
        data=petition_data(
            title=title,
            request="请求处理。",
            facts=facts,
            petitioners=[PetitionerInput(name="信访人", phone="13900001111")],
        ),
    ).petition


@pytest.fixture
def drafting(org: Any, tmp_path: Path) -> SimpleNamespace:
    """Decided cases imported into county A's housing bureau and county B's; a new fumes case
    accepted by county A's housing bureau, whose handler drafts the decision."""
    call_command(
        "import-messages",
        str(
            _csv(
                tmp_path,
                [
                    f"11,U1,芙蓉区某小区底层餐馆油烟扰民,2019/4/25 9:32:09,餐馆油烟直排，晚上营业到凌晨,{FUMES_REPLY},2019/5/10 14:56:53\n",
                    "12,U2,拖欠农民工工资,2019/4/25 9:32:09,公司拖欠工资半年,已责令公司支付拖欠工资。,2019/5/10 14:56:53\n",
                ],
                "a.csv",
            )
        ),
        unit=str(org.units.housing_a.pk),
    )
    call_command(
        "import-messages",
        str(
            _csv(
                tmp_path,
                [
                    "21,U3,天心区小区底层餐馆油烟扰民,2019/4/25 9:32:09,餐馆油烟直排,天心区的保密答复。,2019/5/10 14:56:53\n"
                ],
                "b.csv",
            )
        ),
        unit=str(org.units.housing_b.pk),
    )
    petition = _register(org, org.units.a, org.registrar_a, "小区底层餐馆油烟扰民", "楼下餐馆油烟直排，熏得无法开窗。")
    wf.case_forward(actor=Actor.staff(org.registrar_a), petition=petition, to_unit=org.units.housing_a)
    wf.case_accept(actor=Actor.staff(org.handler_a), petition=petition)
    return SimpleNamespace(org=org, petition=petition)


def test_the_handler_sees_the_most_similar_decided_case_of_their_scope_with_its_reply(
    drafting: SimpleNamespace,
) -> None:
    found = similar_decisions(user=drafting.org.handler_a, petition=drafting.petition)
    assert [item.petition.source_ref for item in found][:1] == ["11"]
    assert "21" not in [item.petition.source_ref for item in found]
    assert found[0].decision.opinion == FUMES_REPLY
    assert found[0].score > 0.3


def test_the_decision_page_offers_the_reply_to_copy_into_the_draft(drafting: SimpleNamespace) -> None:
    client = staff_login(Client(), drafting.org.handler_a)
    page = client.get(reverse("workflow:action", args=[drafting.petition.pk, "decide"])).content.decode()
    assert 'data-testid="similar-decisions"' in page
    assert FUMES_REPLY in page
    assert 'data-copy-to="id_opinion"' in page and 'id="id_opinion"' in page
    assert "topics/similar.js" in page
    assert "天心区的保密答复" not in page  # county B's decided case is not county A's to see


def test_pages_that_draft_nothing_do_not_show_the_panel(drafting: SimpleNamespace) -> None:
    client = staff_login(Client(), drafting.org.handler_a)
    page = client.get(reverse("workflow:action", args=[drafting.petition.pk, "record_progress"])).content.decode()
    assert "similar-decisions" not in page
