"""Text messages to citizens' phones (a verification code, the answer to a suggestion).

They go through the one delivery mechanism of the project, `minsheng.workflow.notify`: the backend
named by MINSHENG_NOTICE_BACKEND (console for a local run, the SMS gateway in a deployment,
`notify.MemoryBackend` with its `outbox` in tests), the same that carries the statutory notices.
"""

from __future__ import annotations

from minsheng.workflow.notify import send_text


def sms_send(*, phone: str, text: str) -> None:
    send_text(phone=phone, text=text)
