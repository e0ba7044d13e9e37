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
