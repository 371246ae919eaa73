import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suite.settings")

application = get_asgi_application()

from apps.core.startup import prepare_to_serve  # noqa: E402  (needs Django set up)

prepare_to_serve()
