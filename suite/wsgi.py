import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suite.settings")

application = get_wsgi_application()

from apps.core.startup import prepare_to_serve  # noqa: E402  (needs Django set up)

prepare_to_serve()
