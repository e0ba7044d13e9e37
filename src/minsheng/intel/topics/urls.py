from django.urls import path

from minsheng.intel.topics import views

app_name = "topics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("recompute/", views.recompute, name="recompute"),
]
