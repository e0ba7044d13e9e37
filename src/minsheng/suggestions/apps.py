from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "minsheng.suggestions"
    label = "suggestions"
    verbose_name = _("人民建议征集")
