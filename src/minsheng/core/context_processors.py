from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def site(request: HttpRequest) -> dict[str, Any]:
    return {"ms_site_name": _("民声信访信息系统")}
