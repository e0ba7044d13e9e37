from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "minsheng.accounts"
    label = "accounts"
    verbose_name = _("登录与会话")


class MinshengAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with a site that only admits staff who passed the second factor."""

    default = False
    default_site = "minsheng.accounts.admin_site.MinshengAdminSite"
