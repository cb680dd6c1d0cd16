"""URL converters: ids that fit the database, so /articles/99999999999999999999/ is a 404."""

from django.urls import register_converter


class IdConverter:
    regex = r"[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
