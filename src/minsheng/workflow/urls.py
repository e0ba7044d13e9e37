from django.urls import path

from minsheng.workflow import views

app_name = "workflow"
urlpatterns = [
    path("inbox/", views.inbox_page, name="inbox"),
    path("petitions/<int:petition_id>/actions/<slug:name>/", views.action_page, name="action"),
    path("decisions/<int:decision_id>.pdf", views.decision_download, name="decision"),
]
