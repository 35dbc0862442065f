"""The embed script and the front door."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


def index(request: HttpRequest) -> HttpResponse:
    """Send visitors of the bare host to the sample newsroom."""
    return HttpResponseRedirect("/demo/")
