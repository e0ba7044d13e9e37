from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "minsheng.api"
    label = "api"
    verbose_name = _("接口")

    def ready(self) -> None:
        from minsheng.api.services import SUPPLEMENT_ACTION
        from minsheng.petitions.events import ACTION_LABELS

        # Timelines name this step like every other; the label table lives with the petitions.
        ACTION_LABELS.setdefault(SUPPLEMENT_ACTION, _("对接系统补充材料"))
