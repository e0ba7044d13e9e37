"""Background work of hot topics (Huey): a thin wrapper over the service."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from minsheng.intel.topics.services import topic_run_execute


@db_task()
def topic_run_task(run_id: int) -> None:
    topic_run_execute(run_id=run_id)
