"""Protected accusations (检举控告, R22 Art. 30): the reporter's identity sealed and kept from
every handler, the accused kept from the matter, a receipt code to follow it anonymously.

The matter itself is a Petition (nature "accusation") registered through the one registration
service; this app holds what only accusations have.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.crypto import EncryptedTextField
from minsheng.orgs.models import Unit
from minsheng.petitions.models import Petition


class Accusation(models.Model):
    petition = models.OneToOneField(
        Petition, primary_key=True, on_delete=models.CASCADE, related_name="accusation", verbose_name=_("信访事项")
    )
    # The receipt code is locator + secret. The locator (40 bits) finds the row and may be seen;
    # the secret (140 bits) is kept only as an Argon2id hash. Null when filed by staff on paper.
    locator = models.CharField(max_length=8, unique=True, null=True, blank=True)
    receipt_hash = models.CharField(max_length=200, blank=True)
    is_anonymous = models.BooleanField(_("匿名"), default=True)
    # The reporter's identity: sealed, never shown to a handler without a custodian's grant.
    reporter_name = EncryptedTextField(_("检举人姓名"), blank=True)
    reporter_id_number = EncryptedTextField(_("检举人身份证号码"), blank=True)
    reporter_phone = EncryptedTextField(_("检举人电话"), blank=True)
    reporter_address = EncryptedTextField(_("检举人住址"), blank=True)
    reporter_contact = EncryptedTextField(_("检举人其他联系方式"), blank=True)
    # Who is accused, as the reporter names them; the units in AccusedUnit are what access obeys.
    accused_name = EncryptedTextField(_("被检举人姓名"), blank=True)
    accused_position = models.CharField(_("被检举人职务"), max_length=100, blank=True)
    accused_unit_text = models.CharField(_("被检举单位（检举人填写）"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("检举控告")
        verbose_name_plural = _("检举控告")

    def __str__(self) -> str:
        return self.petition.number

    @property
    def has_identity(self) -> bool:
        return any(
            (
                self.reporter_name,
                self.reporter_id_number,
                self.reporter_phone,
                self.reporter_address,
                self.reporter_contact,
            )
        )


class AccusedUnit(models.Model):
    """A unit the accusation is about: it and every unit inside it never see the matter (Art. 30 ¶3)."""

    accusation = models.ForeignKey(Accusation, on_delete=models.CASCADE, related_name="accused_units")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["accusation", "unit"], name="accusedunit_unique")]


class ReportMessage(models.Model):
    """The two-way thread between handlers and the (possibly anonymous) reporter."""

    accusation = models.ForeignKey(Accusation, on_delete=models.CASCADE, related_name="messages")
    at = models.DateTimeField(_("时间"))
    from_reporter = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The author's unit at the time, shown to the reporter instead of a staff member's name.
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("内容"))

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_reporter=True, author__isnull=True)
                | models.Q(from_reporter=False, author__isnull=False),
                name="reportmessage_author_matches_side",
            )
        ]


class IdentityAccessRequest(models.Model):
    """A handler's reasoned request to see the reporter's identity; only a custodian decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待决定")
        GRANTED = "granted", _("已准许")
        REFUSED = "refused", _("已拒绝")

    accusation = models.ForeignKey(Accusation, on_delete=models.CASCADE, related_name="access_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    reason = models.TextField(_("理由"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_note = models.TextField(_("决定说明"), blank=True)
    valid_until = models.DateTimeField(_("有效期至"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # Nobody decides their own request.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True) | ~models.Q(decided_by=models.F("requested_by")),
                name="identityaccess_not_self_decided",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_at__isnull=True)
                | models.Q(status__in=["granted", "refused"], decided_at__isnull=False),
                name="identityaccess_decided_has_time",
            ),
            # One open request per handler and accusation.
            models.UniqueConstraint(
                fields=["accusation", "requested_by"],
                condition=models.Q(status="pending"),
                name="identityaccess_one_pending",
            ),
        ]
        indexes = [
            # the custodian's queue: pending requests, oldest first
            models.Index(fields=["status", "requested_at"], name="identityaccess_queue_idx"),
        ]
