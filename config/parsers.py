"""DRF's form and multipart parsers, refusing NUL characters (see config.input_guards).

Their own module, importing no DRF view: DRF's settings load them while rest_framework.views
is being imported, so a module that imports the views (config/api.py) cannot hold them.
"""

from rest_framework import exceptions, parsers

from config.input_guards import NUL_MESSAGE, nul_field


def _refuse_nul(data) -> None:
    if field := nul_field(data.lists()):
        raise exceptions.ValidationError({field: [NUL_MESSAGE]})


class FormParser(parsers.FormParser):
    """DRF's form parser, refusing NUL characters (see config.input_guards)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, refusing NUL characters in the fields (files are the caller's)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_nul(parsed.data)
        return parsed
