from __future__ import annotations

from typing import cast

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from minsheng.core.actors import Actor, ActorKind
from minsheng.core.crypto import EncryptedTextField
from minsheng.core.validators import mask_phone, mask_resident_id, mask_text
from minsheng.orgs.models import Region, Unit
from minsheng.workflow.states import Status


class Channel(models.TextChoices):
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    PHONE = "phone", _("来电")
    ONLINE = "online", _("网上信访")
    EMAIL = "email", _("电子邮件")
    FAX = "fax", _("传真")
    LEADER_MAILBOX = "leader_mailbox", _("领导信箱")
    HOTLINE_12345 = "hotline_12345", _("12345热线转办")
    OTHER = "other", _("其他")


class Nature(models.TextChoices):
    """R22 Art. 29-31: the nature decides how the matter is handled."""

    SUGGESTION = "suggestion", _("建议意见")
    ACCUSATION = "accusation", _("检举控告")
    GRIEVANCE = "grievance", _("申诉求决")


class Category(models.Model):
    """The subject tree (城乡建设 > 住房保障 > ...). Shipped as a default, edited by admins."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=150, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("层级"), default=1)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("问题分类")
        verbose_name_plural = _("问题分类")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class Petition(models.Model):
    """A petition matter (信访事项) and where it stands."""

    number = models.CharField(_("信访件编号"), max_length=32, unique=True)
    channel = models.CharField(_("信访形式"), max_length=20, choices=Channel.choices)
    nature = models.CharField(_("信访性质"), max_length=20, choices=Nature.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("问题分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="petitions"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("问题属地"), null=True, blank=True, on_delete=models.PROTECT, related_name="petitions"
    )
    address = models.CharField(_("问题发生地"), max_length=200, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    request = models.TextField(_("信访请求"))
    facts = models.TextField(_("事实和理由"), blank=True)
    persons_count = models.PositiveIntegerField(_("人数"), default=1)
    received_at = models.DateTimeField(_("收到时间"))
    registered_at = models.DateTimeField(_("登记时间"))
    registering_unit = models.ForeignKey(
        Unit, verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="registered_petitions"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_petitions",
    )
    handling_unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="handled_petitions"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    # Only a keyed hash of the citizen's query code is kept: a leaked table reveals no codes.
    query_code_hash = models.CharField(max_length=64, unique=True)
    # R22 Art. 19 asks for name and address; without them no written acceptance notice is owed
    # (Art. 23 ¶2).
    identity_incomplete = models.BooleanField(_("姓名或住址不清"), default=False)
    is_collective = models.BooleanField(_("集体信访"), default=False)
    # 信访代理: a proxy files for a petitioner who cannot, with the petitioner's consent on record.
    is_proxy = models.BooleanField(_("代理信访"), default=False)
    proxy_name = models.CharField(_("代理人姓名"), max_length=60, blank=True)
    proxy_relation = models.CharField(_("与信访人关系"), max_length=60, blank=True)
    proxy_phone = EncryptedTextField(_("代理人电话"), blank=True)
    proxy_consent = models.TextField(_("信访人同意代理的记录"), blank=True)
    # Where an imported or machine-submitted matter came from, for idempotent re-imports.
    source = models.CharField(_("来源系统"), max_length=40, blank=True)
    source_ref = models.CharField(_("来源编号"), max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("信访事项")
        verbose_name_plural = _("信访事项")
        constraints = [
            models.CheckConstraint(condition=models.Q(persons_count__gte=1), name="petition_persons_positive"),
            models.UniqueConstraint(
                fields=["source", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="petition_unique_source_ref",
            ),
            models.CheckConstraint(
                condition=models.Q(is_proxy=False) | ~models.Q(proxy_consent=""),
                name="petition_proxy_needs_consent",
            ),
        ]
        indexes = [
            # the staff list: newest first, filtered by status
            models.Index(fields=["status", "-received_at"], name="petition_status_received_idx"),
            models.Index(fields=["-received_at"], name="petition_received_idx"),
            # an integrating system's own petitions, newest first (api/access.py petitions_of_client)
            models.Index(fields=["source", "-received_at"], name="petition_source_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Petitioner(models.Model):
    """A person who brings the matter; collective matters have several, up to 5 representatives."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="petitioners")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("姓名"), max_length=60, blank=True)
    id_number = EncryptedTextField(_("身份证号码"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    address = EncryptedTextField(_("住址"), blank=True)
    is_representative = models.BooleanField(_("代表"), default=False)
    # A portal's own user id for imported messages (e.g. U0008488): links repeat messages.
    external_ref = models.CharField(_("外部用户标识"), max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("信访人")
        verbose_name_plural = _("信访人")

    def __str__(self) -> str:
        return self.name or str(_("（未留姓名）"))

    @property
    def id_number_masked(self) -> str:
        return mask_resident_id(self.id_number) if self.id_number else ""

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @property
    def address_masked(self) -> str:
        return mask_text(self.address)


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never carries the user's file name (it may hold personal data).
    return f"attachments/{instance.petition_id}/{instance.sha256}"


class Attachment(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name


class PetitionUnit(models.Model):
    """Which units are involved in a petition, and how: the basis of the data scope."""

    class Role(models.TextChoices):
        REGISTERED = "registered", _("登记")
        HANDLING = "handling", _("承办")
        CO_HANDLING = "co_handling", _("协办")
        ASSIGNING = "assigning", _("交办督办")
        REVIEWING = "reviewing", _("复查复核")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="involved")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="involved_in")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "unit", "role"], name="petitionunit_unique"),
        ]
        indexes = [
            # the data-scope filter: petitions involving any unit in a subtree
            models.Index(fields=["unit", "petition"], name="petitionunit_unit_idx"),
        ]


class PetitionEvent(models.Model):
    """One line of a petition's timeline: who did what, when, and what changed.

    The tamper-evident twin of each row is an AuditRecord (ids only), written in the same
    transaction; this row carries the readable detail and is scrubbed by the retention purge.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_kind = models.CharField(max_length=16)
    actor_label = models.CharField(max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # {"field": [before, after]} for plain fields; personal fields are named, never valued.
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # Shown to the petitioner on the portal (notices, decisions) or staff-only.
    public = models.BooleanField(default=False)
    audit_seq = models.BigIntegerField(null=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["petition", "at"], name="petitionevent_timeline_idx")]

    @property
    def actor_display(self) -> str:
        """Who did it, readably: the staff member, else the kind of actor (and which job or system)."""
        if self.actor is not None:
            return str(self.actor.display_name)
        return Actor(kind=cast(ActorKind, self.actor_kind), label=self.actor_label).display()
