"""Pattern 2.2: request and response schemas (pydantic v2)."""

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field, field_validator

from app.models import EntityStatus


class ComponentBase(BaseModel):
    name: str = Field(..., min_length=1, max_length=255)
    description: str | None = None
    category: str | None = None
    part_number: str = Field(..., min_length=1, max_length=64)
    supplier: str | None = Field(None, max_length=255)
    unit_cost: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    quantity_on_hand: int = Field(0, ge=0)
    datasheet_url: str | None = Field(None, max_length=200)


class ComponentCreate(ComponentBase):
    status: EntityStatus = EntityStatus.DRAFT

    @field_validator("name")
    @classmethod
    def validate_name(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("Name cannot be empty")
        return v.strip()


class ComponentUpdate(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=255)
    description: str | None = None
    category: str | None = None
    status: EntityStatus | None = None
    part_number: str | None = Field(None, min_length=1, max_length=64)
    supplier: str | None = Field(None, max_length=255)
    unit_cost: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    quantity_on_hand: int | None = Field(None, ge=0)
    datasheet_url: str | None = Field(None, max_length=200)


class ComponentListResponse(BaseModel):
    """Minimal fields for performance, as the seed's list response."""

    id: int
    entity_id: str
    name: str
    status: EntityStatus
    category: str | None
    created_at: datetime

    model_config = {"from_attributes": True}


class ComponentResponse(ComponentListResponse):
    description: str | None
    updated_at: datetime
    created_by: str | None
    part_number: str
    supplier: str | None
    unit_cost: Decimal
    quantity_on_hand: int
    datasheet_url: str | None
