"""The WSGI application (gunicorn: infra/docker/gunicorn.conf.py). Sentry starts first when
SENTRY_DSN is set (core.sentry), so its Django integration sees the whole request."""

import os

from django.core.wsgi import get_wsgi_application

from core import sentry

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werktop.settings.production")

sentry.init()
application = get_wsgi_application()
