"""Staff roles (DESIGN.md "Who uses it"). Permissions are checked against these, never ad hoc."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("登记员")
    HANDLER = "handler", _("承办人")
    UNIT_HEAD = "unit_head", _("单位负责人")
    REVIEWER = "reviewer", _("复查复核人员")
    SUPERVISOR = "supervisor", _("督查专员")
    LEADER = "leader", _("领导")
    ANALYST = "analyst", _("分析员")
    CUSTODIAN = "custodian", _("身份保管人")
    ADMIN = "admin", _("管理员")
