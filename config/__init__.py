"""Claimlab project configuration: settings, URLs, WSGI/ASGI and the Celery app.

The Celery app (config/celery.py) is not imported here: a web process loads it only when it
sends a task (claims/services/extraction_queue.py), and `celery -A config worker` finds it as
config.celery.app. Importing it with every Django start-up cost each web worker ~7 MB.
"""
