"""Transparency reports: /transparency/<site>/ and /transparency/<site>/<yyyy>-<mm>/."""

from django.urls import path, register_converter

from townhall.transparency import views


class Year:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class Month(Year):
    regex = "[0-9]{2}"

    def to_url(self, value: int) -> str:
        return f"{value:02d}"


register_converter(Year, "yyyy")
register_converter(Month, "mm")

urlpatterns = [
    path("<slug:site>/", views.latest, name="transparency-latest"),
    path("<slug:site>/<yyyy:year>-<mm:month>/", views.month_page, name="transparency-month"),
]
