from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "minsheng.privacy"
    label = "privacy"
    verbose_name = _("个人信息保护")

    def ready(self) -> None:
        from minsheng.petitions.events import ACTION_LABELS

        # The timeline names the retention purge like any other step (registered once, at start).
        ACTION_LABELS.setdefault("purge", _("按保存期限清除个人信息"))
