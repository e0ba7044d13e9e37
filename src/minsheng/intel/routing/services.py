"""Writes: training a new model version, and recording what a registrar chose."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.core.errors import ValidationError
from minsheng.core.tasks import enqueue
from minsheng.intel.routing import engine
from minsheng.intel.routing.datasets import DataError, TrainingData, default_files, read_training_files
from minsheng.intel.routing.models import RoutingFeedback, RoutingModel
from minsheng.intel.routing.selectors import Suggestion, label_for_category, petition_text
from minsheng.orgs.models import Unit
from minsheng.orgs.roles import Role
from minsheng.petitions.models import Category, Petition
from minsheng.petitions.services import petition_update

log = logging.getLogger(__name__)

DEFAULT_CV_FOLDS = 5
DEFAULT_CV_REPEATS = 1


def _next_version() -> int:
    return int(RoutingModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1


def _new_row(actor: Actor, files: list[Path]) -> RoutingModel:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return RoutingModel.objects.create(
                    version=_next_version(),
                    created_by=actor.user,
                    training_files=[{"name": str(p)} for p in files],
                )
        except IntegrityError:  # two trainings numbered at once: take the next number
            continue
    raise RuntimeError("could not allocate a routing model version")


def feedback_samples() -> list[engine.Sample]:
    """Registrars' choices as labelled samples: the latest choice per petition, where it names one
    of the portal's classes. A correction outweighs a portal sample: a person on our own data said so."""
    latest: dict[int, RoutingFeedback] = {}
    for row in RoutingFeedback.objects.select_related("petition").order_by("petition_id", "-chosen_at", "-id"):
        latest.setdefault(row.petition_id, row)
    samples = []
    for row in latest.values():
        if row.chosen_label in engine.LABELS:
            title, body = petition_text(row.petition)
            samples.append(engine.Sample(title=title, body=body, label=row.chosen_label, weight=2.0))
    return samples


def routing_model_train(
    *,
    actor: Actor,
    files: list[Path] | None = None,
    params: dict[str, Any] | None = None,
    cv_folds: int = DEFAULT_CV_FOLDS,
    cv_repeats: int = DEFAULT_CV_REPEATS,
    row: RoutingModel | None = None,
    progress: Callable[[str], None] | None = None,
) -> RoutingModel:
    """Train, cross-validate, store and make current a new version (or fill the queued `row`).

    Training takes minutes, so it runs outside any transaction; only the final swap of the current
    version is one short transaction. A failure leaves the previous version current."""
    say = progress or (lambda _message: None)
    paths = list(files) if files else default_files()
    if not paths:
        raise DataError([_("没有训练数据：未指定 --data，默认数据目录中也没有标注文件。")])
    data: TrainingData = read_training_files(paths)
    row = row or _new_row(actor, paths)
    try:
        corrections = feedback_samples()
        p = {**engine.DEFAULT_PARAMS, **(params or {})}
        extra = data.titles + data.tree + corrections
        say(
            _("训练数据：%(m)d 条留言，%(t)d 条标题，%(k)d 个分类名称，%(c)d 条登记员修正，%(u)d 条未标注留言。")
            % {
                "m": len(data.messages),
                "t": len(data.titles),
                "k": len(data.tree),
                "c": len(corrections),
                "u": len(data.unlabelled),
            }
        )
        metrics: dict[str, Any] = {"corrections": len(corrections)}
        if data.messages and cv_repeats > 0:
            cv = engine.cross_validate(
                data.messages,
                extra,
                data.unlabelled,
                p,
                folds=cv_folds,
                repeats=cv_repeats,
                progress=lambda n, total, f1: say(
                    _("交叉验证 %(n)d/%(total)d：macro_f1=%(f1).4f") % {"n": n, "total": total, "f1": f1}
                ),
            )
            metrics["cv"] = cv
        classifier = engine.fit(data.messages + extra, data.unlabelled, p)
        if "cv" in metrics:
            classifier.temperature = float(metrics["cv"]["temperature"])
        metrics["fit"] = classifier.info
        blob = classifier.to_bytes()
    except Exception as exc:
        RoutingModel.objects.filter(pk=row.pk).update(status=RoutingModel.Status.FAILED, error=str(exc)[:2000])
        raise
    with transaction.atomic():
        RoutingModel.objects.filter(is_current=True).update(is_current=False)
        RoutingModel.objects.filter(pk=row.pk).update(
            status=RoutingModel.Status.READY,
            is_current=True,
            trained_at=timezone.now(),
            training_files=[*data.files, {"name": _("登记员修正"), "kind": "feedback", "rows": len(corrections)}],
            parameters=p,
            metrics=metrics,
            model_data=blob,
            size_bytes=len(blob),
            error="",
        )
        audit_append(
            actor=actor,
            action="routing.model_trained",
            object_type="routing_model",
            object_id=str(row.pk),
            data={"version": row.version, "cv": metrics.get("cv", {})},
        )
    row.refresh_from_db()
    return row


def routing_model_request(*, actor: Actor, files: list[Path] | None = None) -> RoutingModel:
    """Queue a training in the worker (the admin's button): the row shows its progress."""
    from minsheng.intel.routing.tasks import routing_model_train_task

    if actor.kind == "staff":
        actor.require_role(Role.ADMIN)
    paths = list(files) if files else default_files()
    if not paths:
        raise ValidationError({"data": [_("没有训练数据：默认数据目录中没有标注文件。")]})
    row = _new_row(actor, paths)
    audit_append(
        actor=actor,
        action="routing.training_requested",
        object_type="routing_model",
        object_id=str(row.pk),
        data={"version": row.version},
    )
    enqueue(routing_model_train_task, row.pk, [str(p) for p in paths])
    return row


def routing_model_ensure() -> RoutingModel | None:
    """For the demo: queue a training from the default data when no version is ready or queued."""
    if not default_files():
        return None
    waiting = (RoutingModel.Status.READY, RoutingModel.Status.QUEUED)
    if RoutingModel.objects.filter(status__in=waiting).exists():
        return None
    return routing_model_request(actor=Actor.system("seed-demo"))


@transaction.atomic
def routing_feedback_record(
    *,
    actor: Actor,
    petition: Petition,
    suggestion: Suggestion,
    category: Category | None,
    unit: Unit | None,
) -> RoutingFeedback:
    """Record the registrar's choice beside what was suggested, and set the petition's category.
    A different choice than the top suggestion is a correction the next training learns from."""
    actor.require_role(Role.REGISTRAR, Role.ADMIN)
    if category is None and unit is None:
        raise ValidationError({"category": [_("请选择分类或承办单位。")]})
    top = suggestion.categories[0] if suggestion.categories else None
    top_unit = suggestion.units[0].unit if suggestion.units else None
    chosen_label = label_for_category(category) if category is not None else (top.label if top else "")
    is_correction = (category is not None and top is not None and chosen_label != top.label) or (
        unit is not None and top_unit is not None and unit.pk != top_unit.pk
    )
    row = RoutingFeedback.objects.create(
        petition=petition,
        model_id=suggestion.model.pk if suggestion.model else None,
        suggested_label=top.label if top else "",
        suggested_category=top.category if top else None,
        suggested_unit=top_unit,
        chosen_label=chosen_label,
        chosen_category=category,
        chosen_unit=unit,
        is_correction=is_correction,
        chosen_by=actor.user,
    )
    if category is not None and petition.category_id != category.pk:
        petition_update(actor=actor, petition=petition, category=category)
    audit_append(
        actor=actor,
        action="routing.feedback",
        object_type="petition",
        object_id=str(petition.pk),
        data={
            "suggested": row.suggested_label,
            "chosen": row.chosen_label,
            "unit": unit.pk if unit else None,
            "correction": is_correction,
        },
    )
    return row
