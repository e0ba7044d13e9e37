"""What text intelligence keeps: the near-duplicate index, repeat links, collective groups, policy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.models import Region, Unit
from minsheng.petitions.models import Petition


class NearDupSignature(models.Model):
    """The 24 LSH band keys of one petition's text, one row per petition.

    One wide row instead of one row per band: the row is stored once (on PostgreSQL a heap tuple
    costs ~28 bytes of overhead, which at 24 rows per petition made the earlier narrow (band, key)
    table and its btree about 2 GB at 1M petitions), and each band gets its own single-column
    index of 4-byte keys. The lookup is one OR of 24 equalities, which SQLite answers with its
    multi-index OR plan and PostgreSQL with a BitmapOr of the 24 indexes.
    """

    petition = models.OneToOneField(Petition, primary_key=True, on_delete=models.CASCADE, related_name="+")
    # The LSH lookup (selectors.similar_candidates) probes each band column by equality: one
    # index per band. The names are neardup.BAND_FIELDS.
    b00 = models.IntegerField(db_index=True)
    b01 = models.IntegerField(db_index=True)
    b02 = models.IntegerField(db_index=True)
    b03 = models.IntegerField(db_index=True)
    b04 = models.IntegerField(db_index=True)
    b05 = models.IntegerField(db_index=True)
    b06 = models.IntegerField(db_index=True)
    b07 = models.IntegerField(db_index=True)
    b08 = models.IntegerField(db_index=True)
    b09 = models.IntegerField(db_index=True)
    b10 = models.IntegerField(db_index=True)
    b11 = models.IntegerField(db_index=True)
    b12 = models.IntegerField(db_index=True)
    b13 = models.IntegerField(db_index=True)
    b14 = models.IntegerField(db_index=True)
    b15 = models.IntegerField(db_index=True)
    b16 = models.IntegerField(db_index=True)
    b17 = models.IntegerField(db_index=True)
    b18 = models.IntegerField(db_index=True)
    b19 = models.IntegerField(db_index=True)
    b20 = models.IntegerField(db_index=True)
    b21 = models.IntegerField(db_index=True)
    b22 = models.IntegerField(db_index=True)
    b23 = models.IntegerField(db_index=True)
    # The b-bit sketch (neardup.sketch): filters candidates before the exact check. Empty for
    # a row written before sketches existed; such a row is always verified.
    sketch = models.BinaryField(default=b"", editable=False)

    class Meta:
        verbose_name = _("近似重复索引")
        verbose_name_plural = _("近似重复索引")


class LinkKind(models.TextChoices):
    # R22 Art. 19 ¶3: while the same matter is accepted or in handling, a higher body does not
    # accept it again.
    REPEAT = "repeat", _("重复信访（原事项正在办理）")
    # R22 Art. 36 ¶3: after re-review the same matter on the same facts and reasons is not accepted.
    CLOSED_MATTER = "closed_matter", _("原事项已复核终结，不再受理")


class MatterLink(models.Model):
    """A later petition linked to an earlier one on the same matter from the same petitioner.

    Found automatically at registration or set by staff; removing it keeps the row (unlinked_at)
    so the timeline and the audit chain tell the whole story.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="matter_links")
    earlier = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="later_links")
    kind = models.CharField(_("类型"), max_length=20, choices=LinkKind.choices)
    score = models.FloatField(_("相似度"), null=True, blank=True)
    automatic = models.BooleanField(_("自动识别"), default=True)
    created_at = models.DateTimeField(_("关联时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unlinked_at = models.DateTimeField(_("解除关联时间"), null=True, blank=True)
    unlinked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unlink_reason = models.TextField(_("解除关联的理由"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("重复信访关联")
        verbose_name_plural = _("重复信访关联")
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "earlier"], condition=models.Q(unlinked_at__isnull=True), name="matterlink_one_live"
            ),
            models.CheckConstraint(condition=~models.Q(petition=models.F("earlier")), name="matterlink_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} → {self.earlier_id} ({self.kind})"


class CollectivePolicy(models.Model):
    """When similar petitions from different people count as one collective matter (集体访).

    Data, not code (CONVENTIONS 5): the row of the matter's region, else of the nearest region
    above it, else the row without a region, else the built-in default (5 people, 30 days).
    """

    region = models.OneToOneField(
        Region, verbose_name=_("适用地区"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    min_petitioners = models.PositiveSmallIntegerField(_("最少信访人数"), default=5)
    window_days = models.PositiveSmallIntegerField(_("时间窗口（日）"), default=30)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("集体信访识别规则")
        verbose_name_plural = _("集体信访识别规则")
        constraints = [
            models.CheckConstraint(condition=models.Q(min_petitioners__gte=2), name="collectivepolicy_min_two"),
            models.CheckConstraint(condition=models.Q(window_days__gte=1), name="collectivepolicy_window_positive"),
            # one default row (region empty)
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(region__isnull=True), name="collectivepolicy_one_default"
            ),
        ]

    def __str__(self) -> str:
        return str(self.region or _("默认"))


class CollectiveGroup(models.Model):
    """Petitions on the same matter from at least N different people within the window."""

    title = models.CharField(_("事项"), max_length=200)
    created_at = models.DateTimeField(_("识别时间"))
    # The unit whose supervisors (and those above) are alerted: the first member's handling unit.
    unit = models.ForeignKey(Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    petitioners = models.PositiveIntegerField(_("信访人数"), default=0)
    min_petitioners = models.PositiveSmallIntegerField(default=5)
    window_days = models.PositiveSmallIntegerField(default=30)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("集体信访")
        verbose_name_plural = _("集体信访")

    def __str__(self) -> str:
        return self.title


class CollectiveMember(models.Model):
    group = models.ForeignKey(CollectiveGroup, on_delete=models.CASCADE, related_name="members")
    # A petition belongs to at most one group.
    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="collective_membership")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]
