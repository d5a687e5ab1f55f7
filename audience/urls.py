"""The read beacon's address (answered first by ``beacon.with_beacon`` in production)."""

from django.urls import path

from audience import beacon

app_name = "audience"
urlpatterns = [path("read/<int:pk>/", beacon.read, name="read")]
