import pytest

from minsheng.core.models import RateCounter
from minsheng.core.ratelimit import Limit, RateLimited, hit

pytestmark = pytest.mark.django_db
LIMIT = Limit(scope="test", limit=3, window_seconds=600)


def test_it_lets_requests_through_up_to_the_limit_then_refuses_with_the_wait() -> None:
    for _ in range(3):
        hit(LIMIT, "203.0.113.9", now=1000.0)
    with pytest.raises(RateLimited) as exc:
        hit(LIMIT, "203.0.113.9", now=1010.0)
    assert exc.value.retry_after == 191
    assert "每 10 分钟最多 3 次" in exc.value.message


def test_each_sender_and_each_window_count_apart() -> None:
    for _ in range(3):
        hit(LIMIT, "203.0.113.9", now=1000.0)
    hit(LIMIT, "198.51.100.7", now=1000.0)
    hit(LIMIT, "203.0.113.9", now=1200.0)  # the next window


def test_the_table_never_holds_the_address_itself() -> None:
    hit(LIMIT, "203.0.113.9", now=1000.0)
    assert "203.0.113.9" not in RateCounter.objects.get().key
