"""Test helpers shared by the portal, accusations and suggestions tests (and the browser tests)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import VALID_ID


@pytest.fixture
def sms_outbox(settings: Any) -> Iterator[list[Any]]:
    """Messages to citizens sent during the test (notices and texts: the one memory backend)."""
    from minsheng.workflow.notify import MemoryBackend

    settings.MINSHENG_NOTICE_BACKEND = "minsheng.workflow.notify.MemoryBackend"
    MemoryBackend.outbox.clear()
    yield MemoryBackend.outbox
    MemoryBackend.outbox.clear()


def grievance_form(org: Any, **overrides: Any) -> dict[str, Any]:
    """A valid online grievance as the portal form posts it."""
    data: dict[str, Any] = {
        "guidance": "none",
        "title": "小区门口占道经营油烟扰民",
        "request": "请求依法整治小区门口的占道经营。",
        "facts": "小区门口每晚有二十多家烧烤摊占道经营，油烟和噪音影响居民休息。",
        "region": str(org.regions.a.pk),
        "address": "芙蓉区五一大道1号门口",
        "name": "张三",
        "id_number": VALID_ID,
        "phone": "13800138000",
        "home_address": "芙蓉区五一大道1号",
        "truthful": "on",
        "r-TOTAL_FORMS": "4",
        "r-INITIAL_FORMS": "0",
        "r-MIN_NUM_FORMS": "0",
        "r-MAX_NUM_FORMS": "4",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


QUERY_CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
RECEIPT_CODE = re.compile(r"(?:[0-9A-Z]{4}-){8}[0-9A-Z]{4}")


def code_in(html: str, pattern: re.Pattern[str] = QUERY_CODE) -> str:
    found = pattern.search(html)
    assert found, "no code on the page"
    return found.group(0)


def accusation_form(org: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "某局工作人员收受好处费",
        "request": "请求依法调查处理。",
        "facts": "2026年2月，该局审批窗口工作人员要求申请人另付“加急费”两千元，不给就拖着不办。",
        "region": str(org.regions.a.pk),
        "accused_name": "王某",
        "accused_position": "审批科科长",
        "accused_unit_text": "芙蓉区住房和城乡建设局",
        "anonymous": "1",
        "truthful": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
