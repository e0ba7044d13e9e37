from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    name = "minsheng.intel.topics"
    label = "topics"
    verbose_name = _("热点与辅助办理")
