"""Background work of routing (Huey): a thin wrapper over the training service."""

from __future__ import annotations

from pathlib import Path

from huey.contrib.djhuey import db_task

from minsheng.core.actors import Actor
from minsheng.intel.routing.models import RoutingModel


@db_task()
def routing_model_train_task(row_id: int, files: list[str]) -> None:
    from minsheng.intel.routing.services import routing_model_train

    row = RoutingModel.objects.filter(pk=row_id, status=RoutingModel.Status.QUEUED).first()
    if row is None:  # already trained or removed: a retried task does nothing twice
        return
    actor = Actor.staff(row.created_by) if row.created_by else Actor.system("train-routing")
    routing_model_train(actor=actor, files=[Path(f) for f in files], row=row)
