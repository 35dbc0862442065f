"""The sample newsroom's pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def front_page(request: HttpRequest) -> HttpResponse:
    """Show the sample newsroom's front page."""
    return HttpResponse("Townhall sample newsroom")
