from django.urls import path

from minsheng.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("file/", views.choose, name="choose"),
    path("file/guide/", views.guide, name="guide"),
    path("file/done/", views.filed, name="filed"),
    path("file/<slug:nature>/", views.file, name="file"),
    path("follow/", views.follow, name="follow"),
    path("follow/<str:number>/", views.follow_detail, name="follow_detail"),
    path("follow/<str:number>/documents/<int:decision_id>.pdf", views.follow_document, name="follow_document"),
    path("follow/<str:number>/rate/", views.follow_rate, name="follow_rate"),
    path("follow/<str:number>/request/", views.follow_request, name="follow_request"),
]
