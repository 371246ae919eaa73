"""Patterns 1.1 and 1.2: the timestamp mixin and one standard entity,
shaped like Toolsuite's components."""

import enum

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Enum,
    Integer,
    Numeric,
    Sequence,
    String,
    Text,
    func,
)
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class TimestampMixin:
    created_at = Column(DateTime(timezone=True), server_default=func.now())
    updated_at = Column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())


class EntityStatus(str, enum.Enum):  # noqa: UP042  (as the seed declares it)
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


# Numbers for entity_id (see app/id_generator.py).
entity_number_sequence = Sequence("components_entity_number_seq", metadata=Base.metadata)


class Component(Base, TimestampMixin):
    __tablename__ = "components"
    __table_args__ = (
        CheckConstraint("unit_cost >= 0", name="components_unit_cost_not_negative"),
        CheckConstraint("quantity_on_hand >= 0", name="components_quantity_not_negative"),
    )

    id = Column(Integer, primary_key=True, index=True)
    entity_id = Column(String(50), unique=True, index=True)
    name = Column(String(255), nullable=False)
    description = Column(Text)
    status = Column(Enum(EntityStatus), default=EntityStatus.DRAFT)
    category = Column(String(100))
    # The seed declares ForeignKey("users.id") but has no users table and its
    # current user is the token's claims; the subject is stored instead.
    created_by = Column(String(255))

    part_number = Column(String(64), unique=True, nullable=False)
    supplier = Column(String(255))
    unit_cost = Column(Numeric(12, 2), nullable=False, default=0)
    quantity_on_hand = Column(Integer, nullable=False, default=0)
    datasheet_url = Column(String(200))
