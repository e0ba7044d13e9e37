"""The hot-topic dashboard: computed in the worker, stored, shown within the user's data scope."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import petition_data, staff_login
from minsheng.core.actors import Actor
from minsheng.intel.topics.models import HotTopic, RunStatus, TopicRun
from minsheng.orgs.roles import Role
from minsheng.orgs.services import user_create
from minsheng.petitions.models import Petition
from minsheng.petitions.services import PetitionerInput, petition_register

pytestmark = pytest.mark.django_db

GARBAGE = [
    ("芙蓉区阳光花园小区垃圾站臭味熏天", "阳光花园小区门口的垃圾站臭味熏天，请求搬迁垃圾站。"),
    ("阳光花园小区垃圾站臭气扰民", "阳光花园小区垃圾站离居民楼太近，臭气熏天。"),
    ("请搬迁阳光花园小区的垃圾站", "阳光花园小区垃圾站臭味严重，请求搬迁垃圾站。"),
]
NOISE = [
    ("天心区红星路工地夜间施工噪音扰民", "红星路工地每天夜间施工到凌晨，噪音扰民。"),
    ("红星路夜间施工噪音太大", "红星路工地夜间施工噪音太大，影响休息。"),
    ("红星路工地半夜施工扰民", "红星路工地半夜施工噪音扰民，请求查处。"),
]


def _register(org: Any, unit: Any, registrar: Any, texts: list[tuple[str, str]], offset: int) -> list[Petition]:
    made = []
    for i, (title, facts) in enumerate(texts):
        made.append(
            petition_register(
                actor=Actor.staff(registrar),
                unit=unit,
                data=petition_data(
                    title=title,
                    request="请求处理。",
                    facts=facts,
                    petitioners=[PetitionerInput(name=f"信访人{offset + i}", phone=f"1390000{offset + i:04d}")],
                ),
            ).petition
        )
    return made


@pytest.fixture
def world(org: Any) -> SimpleNamespace:
    garbage = _register(org, org.units.a, org.registrar_a, GARBAGE, 0)
    noise = _register(org, org.units.b, org.registrar_b, NOISE, 100)
    analyst_a = user_create(
        actor=Actor.system("test"),
        username="analyst_a",
        password=None,
        full_name="芙蓉区分析员",
        unit=org.units.a,
        roles=[Role.ANALYST],
    )
    return SimpleNamespace(org=org, garbage=garbage, noise=noise, analyst_a=analyst_a)


def _recompute(client: Client, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(reverse("topics:recompute"), follow=True)


def test_an_analyst_recomputes_and_sees_the_topics_of_their_scope_only(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    client = staff_login(Client(), world.analyst_a)
    response = _recompute(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "已开始在后台重新计算热点" in response.content.decode()
    run = TopicRun.objects.get(unit=world.org.units.a)
    assert run.status == RunStatus.DONE and run.messages == 3
    topic = HotTopic.objects.get(run=run)
    assert {p.pk for p in topic.petitions.all()} == {p.pk for p in world.garbage}
    page = client.get(reverse("topics:dashboard")).content.decode()
    assert "阳光花园小区" in page and "垃圾站" in page
    assert reverse("workbench:petition", args=[world.garbage[0].pk]) in page
    assert "红星路" not in page  # county B's matter is not county A's to see
    assert 'id="topics-chart-data"' in page and "topics/dashboard.js" in page
    assert "<script>" not in page  # CSP: data as JSON, code in a static file


def test_the_province_analyst_sees_both_counties_topics_ranked(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    client = staff_login(Client(), world.org.analyst)
    _recompute(client, django_capture_on_commit_callbacks)
    run = TopicRun.objects.get(unit=world.org.units.province)
    assert run.topics.count() == 2
    page = client.get(reverse("topics:dashboard")).content.decode()
    assert "阳光花园小区" in page and "红星路" in page


def test_a_leader_sees_the_page_but_cannot_recompute(world: SimpleNamespace) -> None:
    client = staff_login(Client(), world.org.leader)
    page = client.get(reverse("topics:dashboard"))
    assert page.status_code == 200
    assert "本单位还没有热点计算结果" in page.content.decode()
    assert reverse("topics:recompute") not in page.content.decode()
    assert client.post(reverse("topics:recompute")).status_code == 404
    assert not TopicRun.objects.exists()


def test_other_staff_do_not_reach_the_dashboard(world: SimpleNamespace) -> None:
    client = staff_login(Client(), world.org.handler_a)
    assert client.get(reverse("topics:dashboard")).status_code == 404
    assert "topics/" not in client.get(reverse("workbench:home")).content.decode()


def test_a_second_request_while_one_is_queued_does_not_queue_another(world: SimpleNamespace) -> None:
    from minsheng.intel.topics.services import topic_run_request

    first = topic_run_request(actor=Actor.staff(world.analyst_a))
    again = topic_run_request(actor=Actor.staff(world.analyst_a))
    assert first.pk == again.pk and first.status == RunStatus.PENDING
    page = staff_login(Client(), world.analyst_a).get(reverse("topics:dashboard")).content.decode()
    assert "正在后台进行" in page
