from django.urls import path

from minsheng.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("petitions/", views.petitions, name="petitions"),
    path("petitions/new/", views.register, name="register"),
    path("petitions/<int:petition_id>/", views.petition_page, name="petition"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
