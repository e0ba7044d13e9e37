"""The demo replays the procedure through the real services: cases end up in many states, some
late, every step recorded and the audit chain intact."""

from __future__ import annotations

import pytest
from django.utils import timezone

from minsheng.core.audit import audit_verify
from minsheng.demo.generator import generate
from minsheng.workflow.models import Deadline, DeadlineStatus

pytestmark = pytest.mark.django_db


def test_the_demo_leaves_work_in_several_states_and_some_of_it_overdue() -> None:
    result = generate(petitions=120, seed=7)
    assert len(result.petitions) == 120
    assert len(result.replay.statuses) >= 5, result.replay.statuses
    assert {"closed", "accepted"} <= set(result.replay.statuses)
    today = timezone.localdate()
    assert Deadline.objects.filter(status=DeadlineStatus.OPEN, kind="duty", due__lt=today).exists()
    assert Deadline.objects.filter(status=DeadlineStatus.OPEN, kind="duty", due__gte=today).exists()
    assert audit_verify().ok
