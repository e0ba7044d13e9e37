from django.urls import path

from minsheng.intel.routing import views

app_name = "routing"
urlpatterns = [
    path("petitions/<int:petition_id>/routing/", views.choose, name="choose"),
]
