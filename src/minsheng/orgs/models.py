from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.roles import Role


class Region(models.Model):
    """An administrative division, coded as in GB/T 2260 (6 digits) or township codes (9 digits)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省级")
        CITY = 2, _("市级")
        COUNTY = 3, _("县级")
        TOWNSHIP = 4, _("乡级")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class Unit(models.Model):
    """A body that receives or handles petitions.

    The tree is the chain of competence: a unit's parent is the next-higher body, which reviews its
    decisions (R22 Art. 35) and sees its petitions. Each region's petition bureau is the root of
    that region's units, acting for the government of its level in review and supervision.
    """

    class Kind(models.TextChoices):
        PETITION_BUREAU = "petition_bureau", _("信访部门")
        DEPARTMENT = "department", _("职能部门")
        TOWNSHIP = "township", _("乡镇街道")
        COURT = "court", _("人民法院")
        PROCURATORATE = "procuratorate", _("人民检察院")
        DISCIPLINE = "discipline", _("纪检监察机关")
        PARTY = "party", _("党委部门")

    class Sector(models.TextChoices):
        GENERAL = "general", _("综合")
        HOUSING = "housing", _("住房和城乡建设")
        HUMAN_RESOURCES = "human_resources", _("人力资源和社会保障")
        EDUCATION = "education", _("教育")
        HEALTH = "health", _("卫生健康")
        ENVIRONMENT = "environment", _("生态环境")
        TRANSPORT = "transport", _("交通运输")
        COMMERCE = "commerce", _("商务")
        NATURAL_RESOURCES = "natural_resources", _("自然资源")
        PUBLIC_SECURITY = "public_security", _("公安")
        CIVIL_AFFAIRS = "civil_affairs", _("民政")
        AGRICULTURE = "agriculture", _("农业农村")
        MARKET_REGULATION = "market_regulation", _("市场监管")
        JUSTICE = "justice", _("司法")

    name = models.CharField(_("名称"), max_length=120)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    sector = models.CharField(_("领域"), max_length=32, choices=Sector.choices, default=Sector.GENERAL)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path "/1/4/17/": the subtree of a unit is `path__startswith=unit.path`.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


class User(AbstractUser):
    """A staff member. Citizens have no accounts: they follow their matter by query code."""

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_username()

    def role_codes(self) -> set[str]:
        # Cached per instance (one request), never across requests.
        if not hasattr(self, "_role_codes"):
            self._role_codes = set(self.roles.values_list("role", flat=True))
        return self._role_codes

    def has_any_role(self, *roles: str) -> bool:
        return self.is_active and bool(self.role_codes() & set(roles))


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="userrole_unique")]

    def __str__(self) -> str:
        return self.get_role_display()
