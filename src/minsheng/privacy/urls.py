from django.urls import path

from minsheng.privacy import views

app_name = "privacy"
urlpatterns = [
    path("petitioners/<int:petitioner_id>/reveal/", views.reveal, name="reveal"),
    path("reveals/", views.reveal_log, name="reveals"),
    path("exports/", views.exports, name="exports"),
    path("exports/<int:export_id>/", views.export_download, name="export"),
]
