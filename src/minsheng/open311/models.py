"""What a GeoReport v2 request carries that the petition record has no place for.

An Open311 service request *is* a petition (registered through petitions.services, with the
petitioner's name and phone in the petitioner's encrypted fields). The petition has an address
(问题发生地) but no coordinates, no address id of a city's address register, no e-mail of the
reporter and no media URL: they live here, one row per petition that came through Open311, so
the petition model stays the same for every door and the GeoReport answer can give them back.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minsheng.core.crypto import EncryptedTextField
from minsheng.petitions.models import Petition


class ServiceRequest(models.Model):
    petition = models.OneToOneField(
        Petition, primary_key=True, on_delete=models.CASCADE, related_name="open311", verbose_name=_("信访事项")
    )
    # WGS84, as GeoReport v2 sends them; both or neither.
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    long = models.FloatField(_("经度"), null=True, blank=True)
    address_id = models.CharField(_("地址编号"), max_length=100, blank=True)
    # The reporter's e-mail: personal data, so encrypted like the petitioner's phone.
    email = EncryptedTextField(_("电子邮箱"), blank=True)
    media_url = models.CharField(_("媒体链接"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 服务请求")
        verbose_name_plural = _("Open311 服务请求")
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, long__isnull=True) | Q(lat__isnull=False, long__isnull=False),
                name="open311_request_lat_long_together",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90), name="open311_request_lat_range"
            ),
            models.CheckConstraint(
                condition=Q(long__isnull=True) | Q(long__gte=-180, long__lte=180), name="open311_request_long_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Open311 {self.petition_id}"
