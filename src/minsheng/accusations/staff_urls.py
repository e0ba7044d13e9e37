"""The staff's pages, mounted at /workbench/accusations/."""

from django.urls import path

from minsheng.accusations import views

app_name = "accusations"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("<int:petition_id>/", views.staff_detail, name="detail"),
    path("<int:petition_id>/ask/", views.staff_ask, name="ask"),
    path("<int:petition_id>/accused/", views.staff_accused, name="accused"),
    path("<int:petition_id>/identity/request/", views.staff_request_identity, name="request_identity"),
    path("<int:petition_id>/identity/", views.staff_reveal, name="reveal"),
    path("requests/", views.custodian_queue, name="requests"),
    path("requests/<int:request_id>/", views.custodian_decide, name="decide"),
]
