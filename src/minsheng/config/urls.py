from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from minsheng.api.main import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("minsheng.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("workbench/", include("minsheng.workbench.urls")),
    path("workbench/", include("minsheng.privacy.urls")),
    path("", RedirectView.as_view(pattern_name="workbench:home", permanent=False)),
]
