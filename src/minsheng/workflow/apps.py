from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "minsheng.workflow"
    label = "workflow"
    verbose_name = _("办理流程")

    def ready(self) -> None:
        # The timeline names each event by the transition table's label (petitions/events.py).
        from minsheng.petitions.events import ACTION_LABELS
        from minsheng.workflow.transitions import TABLE

        ACTION_LABELS.update({row.name: row.label for row in TABLE})
        ACTION_LABELS["deadline_recompute"] = _("节假日调整，期限重算")
        from minsheng.workflow import tasks  # noqa: F401 - registers the periodic task with Huey
