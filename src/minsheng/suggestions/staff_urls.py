"""Staff pages of people's suggestions, mounted at /workbench/suggestions/."""

from django.urls import path

from minsheng.suggestions import views

app_name = "suggestions_staff"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("campaigns/new/", views.staff_campaign_new, name="campaign_new"),
    path("stats/", views.staff_stats, name="stats"),
    path("<int:suggestion_id>/", views.staff_detail, name="detail"),
    path("<int:suggestion_id>/answer/", views.staff_answer, name="answer"),
    path("<int:suggestion_id>/publish/", views.staff_publish, name="publish"),
]
