from django.urls import path

from minsheng.intel import views

app_name = "intel"
urlpatterns = [
    path("links/<int:link_id>/unlink/", views.link_unlink, name="unlink"),
]
