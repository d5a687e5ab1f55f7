"""The desk's addresses outside the admin: shared preview links."""

from django.urls import path

from desk import views

app_name = "desk"
urlpatterns = [
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
]
