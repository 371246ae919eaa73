from apps.core.testing import EntityAPITestCase
from apps.testing import models


class TestTestRunAPI(EntityAPITestCase):
    model = models.TestRun
