from __future__ import annotations

from sqlalchemy import UniqueConstraint

from partenariat.database import Base
from partenariat.models.timeline_entry import TimelineEntry


class Effect(TimelineEntry, Base):
    """A concrete transformation of living environments observed at the end of a chain.

    Its ref is unique in the project and shares one namespace with the events' refs; the
    service checks the latter, a constraint cannot span two tables.
    """

    __tablename__ = "effect"
    __table_args__ = (UniqueConstraint("project_id", "ref", name="uq_effect_project_ref"),)


