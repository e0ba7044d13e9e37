"""The reporter's pages, mounted at /accuse/."""

from django.urls import path

from minsheng.accusations import views

app_name = "accuse"
urlpatterns = [
    path("", views.start, name="start"),
    path("new/", views.file, name="file"),
    path("receipt/", views.receipt, name="receipt"),
    path("follow/", views.follow, name="follow"),
    path("follow/<str:locator>/", views.follow_detail, name="follow_detail"),
]
