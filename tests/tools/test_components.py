from decimal import Decimal

import pytest

from apps.components.models import Component
from apps.core.testing import EntityAPITestCase

URL = "/api/v1/components/components/"


class TestComponentAPI(EntityAPITestCase):
    model = Component

    def test_part_numbers_are_unique(self, api):
        self.make(1, part_number="R-100")
        response = api.post(URL, {**self.valid_data(2), "part_number": "R-100"}, format="json")
        assert response.status_code == 400
        assert "part_number" in response.json()["errors"]

    @pytest.mark.parametrize(
        ("field", "value"),
        [("unit_cost", "-0.01"), ("quantity_on_hand", -1), ("datasheet_url", "ftp:/nowhere")],
    )
    def test_costs_and_stock_cannot_be_negative_and_urls_must_be_valid(self, api, field, value):
        response = api.post(URL, {**self.valid_data(1), field: value}, format="json")
        assert response.status_code == 400
        assert field in response.json()["errors"]

    def test_decimal_costs_are_exact(self, api):
        response = api.post(URL, {**self.valid_data(1), "unit_cost": "0.10"}, format="json")
        assert response.json()["unit_cost"] == "0.10"
        assert Component.objects.get().unit_cost == Decimal("0.10")

    def test_stock_filters_by_range(self, api):
        self.make(1, quantity_on_hand=5)
        plenty = self.make(2, quantity_on_hand=500)
        body = api.get(URL, {"quantity_on_hand__gte": 100}).json()
        assert [row["public_id"] for row in body["results"]] == [plenty.public_id]
