"""WSGI entry point (gunicorn config.wsgi)."""

import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Import the URLconf, and with it every view module, while the worker boots, so that its first
# request does not wait for them (Django would import them during that request).
import_module(settings.ROOT_URLCONF)
