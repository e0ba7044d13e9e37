"""People's suggestions: campaigns with a window, suggestions, publication, co-signing once per
verified phone, the official answer with adoption and reward, statistics."""

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import staff_login
from minsheng.core.actors import Actor
from minsheng.core.errors import Conflict, NotAllowed, ValidationError
from minsheng.core.models import AuditRecord
from minsheng.suggestions.models import Campaign, CoSign, Suggestion
from minsheng.suggestions.selectors import stats_by_campaign, stats_by_unit, suggestions_visible_to
from minsheng.suggestions.services import (
    SuggestionInput,
    campaign_publish,
    cosign_confirm,
    cosign_start,
    suggestion_answer,
    suggestion_publish,
    suggestion_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what a service queues after commit (the test's transaction never commits)."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def campaign(org: Any) -> Campaign:
    today = timezone.localdate()
    return campaign_publish(
        actor=Actor.staff(org.leader),
        title="老旧小区加装电梯怎么推进",
        description="听取居民对加装电梯的意见。",
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
    )


def submit(campaign: Campaign | None = None, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "title": "加装电梯费用按楼层分摊",
        "grounds": "低层住户不愿出钱，加装电梯一直谈不拢。",
        "measures": "建议出台按楼层分摊的指导比例，并给予财政补贴。",
        "name": "王建议",
        "phone": "13500135000",
        "campaign": campaign,
        "allow_public": True,
        "show_name": True,
    }
    values.update(overrides)
    return suggestion_submit(data=SuggestionInput(**values))


def code_of(sms: Any) -> str:
    found = re.search(r"验证码 (\d{6})", sms.body)
    assert found
    return found.group(1)


def test_a_unit_publishes_a_campaign_with_a_window(org: Any, campaign: Campaign) -> None:
    assert campaign.unit == org.units.city and campaign.state(timezone.localdate()) == "open"
    assert AuditRecord.objects.filter(action="suggestion.campaign_publish", object_id=str(campaign.pk)).exists()
    with pytest.raises(ValidationError) as exc:
        campaign_publish(
            actor=Actor.staff(org.leader),
            title="t",
            description="d",
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "截止日期不能早于开始日期" in str(exc.value)
    with pytest.raises(NotAllowed):
        campaign_publish(actor=Actor.staff(org.registrar_a), title="t", description="d", opens_on=None, closes_on=None)


def test_suggestions_are_received_only_while_the_campaign_is_open(org: Any, campaign: Campaign) -> None:
    submitted = submit(campaign)
    assert submitted.suggestion.unit == org.units.city and submitted.suggestion.number.startswith("JY-")
    later = timezone.now() + dt.timedelta(days=40)
    with time_machine.travel(later), pytest.raises(ValidationError) as exc:
        submit(campaign)
    assert "该征集已于" in str(exc.value)


def test_a_suggestion_outside_any_campaign_goes_to_the_bureau_of_its_region(org: Any) -> None:
    assert submit(region=org.regions.b).suggestion.unit == org.units.b
    with pytest.raises(ValidationError) as exc:
        submit(region=None)
    assert "region" in exc.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"grounds": ""}, "grounds"),
        ({"measures": " "}, "measures"),
        ({"name": ""}, "name"),
        ({"phone": "123"}, "phone"),
    ],
)
def test_the_elements_of_a_suggestion_are_required(org: Any, campaign: Campaign, overrides: Any, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        submit(campaign, **overrides)
    assert field in exc.value.message_dict and not Suggestion.objects.exists()


def test_the_public_sees_only_what_was_allowed_and_published(client: Client, org: Any, campaign: Campaign) -> None:
    private = submit(campaign, title="不公开的建议", allow_public=False).suggestion
    waiting = submit(campaign, title="待审核的建议").suggestion
    published = suggestion_publish(actor=Actor.staff(org.leader), suggestion=submit(campaign).suggestion)
    page = client.get(reverse("suggestions:home")).content.decode()
    assert published.title in page and "不公开的建议" not in page and "待审核的建议" not in page
    for hidden in (private, waiting):
        assert client.get(reverse("suggestions:detail", args=[hidden.number])).status_code == 404
    with pytest.raises(Conflict):
        suggestion_publish(actor=Actor.staff(org.leader), suggestion=private)
    detail = client.get(reverse("suggestions:detail", args=[published.number])).content.decode()
    assert "王建议" in detail and "13500135000" not in detail


def test_an_anonymous_public_suggestion_shows_no_name(client: Client, org: Any, campaign: Campaign) -> None:
    suggestion = suggestion_publish(
        actor=Actor.staff(org.leader), suggestion=submit(campaign, show_name=False).suggestion
    )
    page = client.get(reverse("suggestions:detail", args=[suggestion.number])).content.decode()
    assert "王建议" not in page and "匿名建议人" in page


def test_a_person_cosigns_once_with_a_verified_phone(
    org: Any, campaign: Campaign, sms_outbox: Any, capture: Any
) -> None:
    suggestion = suggestion_publish(actor=Actor.staff(org.leader), suggestion=submit(campaign).suggestion)
    with capture(execute=True):
        challenge = cosign_start(suggestion=suggestion, phone="13912345678")
    assert sms_outbox[-1].phone == "13912345678" and suggestion.number in sms_outbox[-1].body
    with pytest.raises(ValidationError):
        right = code_of(sms_outbox[-1])
        cosign_confirm(
            suggestion=suggestion, challenge_id=challenge.pk, code="000000" if right != "000000" else "111111"
        )
    cosign = cosign_confirm(suggestion=suggestion, challenge_id=challenge.pk, code=code_of(sms_outbox[-1]))
    suggestion.refresh_from_db()
    assert suggestion.cosign_count == 1 and "13912345678" not in cosign.person_hash
    with pytest.raises(Conflict, match="已经附议"):
        cosign_start(suggestion=suggestion, phone="139 1234 5678")
    # a code is good once
    with pytest.raises(ValidationError):
        cosign_confirm(suggestion=suggestion, challenge_id=challenge.pk, code=code_of(sms_outbox[-1]))
    assert CoSign.objects.count() == 1


def test_five_wrong_codes_burn_the_challenge(org: Any, campaign: Campaign, sms_outbox: Any, capture: Any) -> None:
    suggestion = suggestion_publish(actor=Actor.staff(org.leader), suggestion=submit(campaign).suggestion)
    with capture(execute=True):
        challenge = cosign_start(suggestion=suggestion, phone="13912345678")
    right = code_of(sms_outbox[-1])
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError):
            cosign_confirm(suggestion=suggestion, challenge_id=challenge.pk, code=wrong)
    with pytest.raises(ValidationError):
        cosign_confirm(suggestion=suggestion, challenge_id=challenge.pk, code=right)


def test_a_code_expires_after_ten_minutes(org: Any, campaign: Campaign, sms_outbox: Any, capture: Any) -> None:
    suggestion = suggestion_publish(actor=Actor.staff(org.leader), suggestion=submit(campaign).suggestion)
    with capture(execute=True):
        challenge = cosign_start(suggestion=suggestion, phone="13912345678")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)), pytest.raises(ValidationError):
        cosign_confirm(suggestion=suggestion, challenge_id=challenge.pk, code=code_of(sms_outbox[-1]))


def test_the_official_answer_with_adoption_and_reward(
    org: Any, campaign: Campaign, sms_outbox: Any, capture: Any
) -> None:
    suggestion = submit(campaign).suggestion
    with pytest.raises(ValidationError) as exc:
        suggestion_answer(actor=Actor.staff(org.leader), suggestion=suggestion, answer="", adoption="maybe")
    assert {"answer", "adoption"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        suggestion_answer(
            actor=Actor.staff(org.leader),
            suggestion=suggestion,
            answer="不采纳",
            adoption="not_adopted",
            reward_note="奖励",
        )
    with capture(execute=True):
        answered = suggestion_answer(
            actor=Actor.staff(org.leader),
            suggestion=suggestion,
            answer="已纳入2026年加装电梯指导意见。",
            adoption="adopted",
            reward_note="评为优秀人民建议，给予表扬。",
        )
    assert answered.status == "answered" and answered.answered_by == org.leader
    assert sms_outbox[-1].phone == "13500135000" and suggestion.number in sms_outbox[-1].body
    with pytest.raises(Conflict):
        suggestion_answer(actor=Actor.staff(org.leader), suggestion=suggestion, answer="再答", adoption="partly")
    with pytest.raises(NotAllowed):
        suggestion_answer(
            actor=Actor.staff(org.analyst), suggestion=submit(campaign).suggestion, answer="a", adoption="adopted"
        )


def test_cosigning_ends_with_the_answer(org: Any, campaign: Campaign, sms_outbox: Any) -> None:
    suggestion = suggestion_publish(actor=Actor.staff(org.leader), suggestion=submit(campaign).suggestion)
    suggestion_answer(actor=Actor.staff(org.leader), suggestion=suggestion, answer="答复", adoption="partly")
    suggestion.refresh_from_db()
    with pytest.raises(Conflict, match="附议已结束"):
        cosign_start(suggestion=suggestion, phone="13912345678")


def test_statistics_per_unit_and_campaign(org: Any, campaign: Campaign, sms_outbox: Any, capture: Any) -> None:
    a = suggestion_publish(actor=Actor.staff(org.leader), suggestion=submit(campaign).suggestion)
    submit(campaign, allow_public=False)
    suggestion_answer(actor=Actor.staff(org.leader), suggestion=a, answer="采纳", adoption="adopted")
    submit(region=org.regions.a)
    b = suggestion_publish(actor=Actor.staff(org.leader), suggestion=submit(campaign).suggestion)
    for phone in ("13912345678", "13912345679"):
        with capture(execute=True):
            challenge = cosign_start(suggestion=b, phone=phone)
        cosign_confirm(suggestion=b, challenge_id=challenge.pk, code=code_of(sms_outbox[-1]))
    by_campaign = {row.label: row for row in stats_by_campaign()}
    row = by_campaign[campaign.title]
    assert (row.total, row.published, row.answered, row.adopted, row.partly, row.cosigns) == (3, 2, 1, 1, 0, 2)
    assert by_campaign[""].total == 1  # received outside any campaign
    by_unit = {row.key: row for row in stats_by_unit()}
    assert by_unit[org.units.city].total == 3 and by_unit[org.units.a].total == 1


def test_staff_see_their_units_suggestions_only(org: Any, campaign: Campaign) -> None:
    city = submit(campaign).suggestion
    county_b = submit(region=org.regions.b).suggestion
    assert set(suggestions_visible_to(org.registrar_a)) == set()
    assert set(suggestions_visible_to(org.registrar_b)) == {county_b}
    assert set(suggestions_visible_to(org.city_registrar)) == {city, county_b}


def test_the_proposer_reads_the_answer_with_the_query_code(client: Client, org: Any, campaign: Campaign) -> None:
    response = client.post(
        reverse("suggestions:submit") + f"?campaign={campaign.pk}",
        {"title": "建议题", "grounds": "事由", "measures": "对策", "name": "王建议", "phone": "13500135000"},
        follow=True,
    )
    code = re.search(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", response.content.decode())
    assert code
    suggestion = Suggestion.objects.get()
    suggestion_answer(
        actor=Actor.staff(org.leader), suggestion=suggestion, answer="研究后部分采纳。", adoption="partly"
    )
    client.cookies.clear()
    assert client.get(reverse("suggestions:mine", args=[suggestion.number])).status_code == 302
    response = client.post(reverse("suggestions:follow"), {"code": code.group(0)}, follow=True)
    assert "研究后部分采纳。" in response.content.decode() and "部分采纳" in response.content.decode()


def test_staff_publish_and_answer_through_the_pages(
    client: Client, org: Any, campaign: Campaign, sms_outbox: Any
) -> None:
    suggestion = submit(campaign).suggestion
    staff_login(client, org.leader)
    client.post(reverse("suggestions_staff:publish", args=[suggestion.pk]))
    bad = client.post(reverse("suggestions_staff:answer", args=[suggestion.pk]), {"answer": "", "adoption": ""})
    assert bad.status_code == 400 and "请填写答复内容" in bad.content.decode()
    client.post(reverse("suggestions_staff:answer", args=[suggestion.pk]), {"answer": "采纳。", "adoption": "adopted"})
    suggestion.refresh_from_db()
    assert suggestion.published_at and suggestion.status == "answered"
    staff_login(client, org.registrar_b)
    assert client.get(reverse("suggestions_staff:detail", args=[suggestion.pk])).status_code == 404
    assert client.post(reverse("suggestions_staff:publish", args=[suggestion.pk])).status_code == 404


def test_a_leader_publishes_a_campaign_through_the_page(client: Client, org: Any) -> None:
    staff_login(client, org.leader)
    today = timezone.localdate()
    client.post(
        reverse("suggestions_staff:campaign_new"),
        {"title": "议题", "description": "说明", "opens_on": today, "closes_on": today + dt.timedelta(days=7)},
    )
    assert Campaign.objects.get().unit == org.units.city
    staff_login(client, org.registrar_a)
    assert client.get(reverse("suggestions_staff:campaign_new")).status_code == 302


def test_the_lists_need_a_fixed_number_of_queries(
    client: Client, org: Any, campaign: Campaign, django_assert_max_num_queries: Any
) -> None:
    for i in range(8):
        suggestion_publish(actor=Actor.staff(org.leader), suggestion=submit(campaign, title=f"建议{i}").suggestion)
    submit(region=org.regions.a)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("suggestions:home")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("suggestions:stats")).status_code == 200
    staff_login(client, org.leader)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("suggestions_staff:list")).status_code == 200
