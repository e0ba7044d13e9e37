from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PhoneChallenge(models.Model):
    """A one-time code sent by SMS to prove a citizen holds a phone (e.g. before co-signing).

    Neither the phone nor the code is stored: only keyed hashes, so the table lists no one.
    """

    purpose = models.CharField(max_length=64)
    phone_hash = models.CharField(max_length=64)
    # A random salt per challenge, so equal codes never hash alike.
    code_salt = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("手机验证")
        verbose_name_plural = _("手机验证")
        indexes = [
            # the purge of expired challenges
            models.Index(fields=["expires_at"], name="phonechallenge_expires_idx"),
        ]


class Rating(models.Model):
    """The petitioner's rating of a written answer (1–5 and a comment), given on the follow page.

    One per document: the decision, then the review and re-review opinions may each be rated. A
    poor rating (≤ 2) leads the petitioner to the review request; it never starts one by itself.
    """

    petition = models.ForeignKey("petitions.Petition", on_delete=models.CASCADE, related_name="ratings")
    decision = models.OneToOneField(
        "workflow.Decision", on_delete=models.CASCADE, related_name="rating", verbose_name=_("文书")
    )
    score = models.PositiveSmallIntegerField(_("评分"))
    comment = models.TextField(_("评价意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("信访人评价")
        verbose_name_plural = _("信访人评价")
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
        ]

    @property
    def is_poor(self) -> bool:
        return self.score <= POOR_SCORE


# A rating at or below this offers the review request (CPGRAMS: appeal after a poor rating).
POOR_SCORE = 2
