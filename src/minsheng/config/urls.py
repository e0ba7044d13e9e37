from django.contrib import admin
from django.urls import include, path

from minsheng.api.main import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("minsheng.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("minsheng.open311.urls")),
    path("workbench/accusations/", include("minsheng.accusations.staff_urls")),
    path("workbench/suggestions/", include("minsheng.suggestions.staff_urls")),
    path("workbench/topics/", include("minsheng.intel.topics.urls")),
    path("workbench/", include("minsheng.workbench.urls")),
    path("workbench/", include("minsheng.privacy.urls")),
    path("workbench/", include("minsheng.workflow.urls")),
    path("workbench/", include("minsheng.intel.urls")),
    path("workbench/", include("minsheng.intel.routing.urls")),
    # The citizens' doors: "/" is the portal home; staff reach /workbench/ and /login/.
    path("accuse/", include("minsheng.accusations.urls")),
    path("suggestions/", include("minsheng.suggestions.urls")),
    path("", include("minsheng.portal.urls")),
]
