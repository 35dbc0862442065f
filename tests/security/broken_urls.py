"""A URL configuration with views that fail, to see the 500 answers a person would get."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from townhall.config.urls import handler400, handler403, handler404, handler500  # noqa: F401


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("something broke")


urlpatterns = [path("broken/", broken), path("api/broken/", broken)]
