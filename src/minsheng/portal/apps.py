from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "minsheng.portal"
    label = "portal"
    verbose_name = _("网上信访")

    def ready(self) -> None:
        from minsheng.petitions.events import ACTION_LABELS

        # Timeline label of the event that records what the citizen answered in the guidance.
        ACTION_LABELS.setdefault("portal_guidance", _("网上信访引导"))
        # The petitioner's rating of a written answer (portal.services.rating_submit).
        ACTION_LABELS.setdefault("rate", _("信访人评价"))
