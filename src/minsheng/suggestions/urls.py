"""Public pages of people's suggestions, mounted at /suggestions/."""

from django.urls import path

from minsheng.suggestions import views

app_name = "suggestions"
urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/<int:campaign_id>/", views.campaign, name="campaign"),
    path("new/", views.submit, name="submit"),
    path("new/done/", views.submitted, name="submitted"),
    path("follow/", views.follow, name="follow"),
    path("follow/<str:number>/", views.mine, name="mine"),
    path("stats/", views.stats, name="stats"),
    path("s/<str:number>/", views.detail, name="detail"),
    path("s/<str:number>/cosign/", views.cosign, name="cosign"),
    path("s/<str:number>/cosign/confirm/", views.cosign_confirm, name="cosign_confirm"),
]
