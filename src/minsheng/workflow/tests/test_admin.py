"""Admins edit holidays and policies in the Django admin; a holiday change recomputes deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import staff_login
from minsheng.workflow.models import CalendarYear, Deadline, RuleSet

pytestmark = pytest.mark.django_db


def signed_in_admin(client: Client, org: Any) -> Client:
    org.admin.is_staff = org.admin.is_superuser = True
    org.admin.save()
    return staff_login(client, org.admin)


@pytest.fixture
def admin_client(client: Client, org: Any) -> Client:
    return signed_in_admin(client, org)


def test_adding_a_year_in_the_admin_recomputes_provisional_deadlines(
    client: Client, org: Any, flow: Any, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clock.to("2026-12-20")
    petition = flow.registered()
    admin_client = signed_in_admin(client, org)  # signed in on the (travelled) day, so the session is valid
    assert Deadline.objects.get(petition=petition, step="triage").provisional
    data = {
        "year": "2027",
        "source": "admin",
        "note": "国办发明电",
        "days-TOTAL_FORMS": "2",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2027-01-01",
        "days-0-name": "元旦",
        "days-1-date": "2027-01-04",
        "days-1-name": "元旦补休",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:workflow_calendaryear_add"), data)
    assert response.status_code == 302 and response["Location"] == reverse("admin:workflow_calendaryear_changelist")
    triage = Deadline.objects.get(petition=petition, step="triage")
    assert not triage.provisional and triage.due == dt.date(2027, 1, 5)
    assert petition.events.filter(action="deadline_recompute").exists()


def test_a_day_of_another_year_is_refused_in_the_admin(admin_client: Client) -> None:
    data = {
        "year": "2027",
        "source": "admin",
        "days-TOTAL_FORMS": "1",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2028-01-01",
        "days-0-name": "元旦",
    }
    response = admin_client.post(reverse("admin:workflow_calendaryear_add"), data)
    assert response.status_code == 200 and "不属于 2027 年" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_published_rule_set_is_frozen_and_copied_to_a_draft_to_change(admin_client: Client) -> None:
    published = RuleSet.objects.get(policy__code="R22", version=1)
    page = admin_client.get(reverse("admin:workflow_ruleset_change", args=[published.pk])).content.decode()
    assert 'name="rules-0-length"' not in page  # the rules are read-only
    admin_client.post(
        reverse("admin:workflow_ruleset_changelist"), {"action": "copy_as_draft", "_selected_action": [published.pk]}
    )
    draft = RuleSet.objects.get(policy__code="R22", version=2)
    assert draft.published_at is None and draft.rules.count() == published.rules.count()
    page = admin_client.get(reverse("admin:workflow_ruleset_change", args=[draft.pk])).content.decode()
    assert 'name="rules-0-length"' in page
