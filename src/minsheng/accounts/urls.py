from django.urls import path

from minsheng.accounts import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.verify_view, name="login_verify"),
    path("login/enrol/", views.enrol_view, name="login_enrol"),
    path("logout/", views.logout_view, name="logout"),
    path("account/security/", views.security_view, name="account_security"),
]
