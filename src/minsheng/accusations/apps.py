from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccusationsConfig(AppConfig):
    name = "minsheng.accusations"
    label = "accusations"
    verbose_name = _("检举控告")

    def ready(self) -> None:
        from minsheng.petitions.events import ACTION_LABELS

        ACTION_LABELS.setdefault("accused_unit_add", _("记录被检举单位"))
