from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partenariat.database import Base
from partenariat.statuses import ResponseSource, status_column


def new_response_id() -> str:
    return uuid.uuid4().hex


class Response(Base):
    """A submitted self-assessment.

    Pseudonymous by construction: a random id (so ids do not reveal submission order), no
    invitation, no timestamp. Pseudonyms R001… are given at export time.
    """

    __tablename__ = "response"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_response_id)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    sector: Mapped[str] = mapped_column(String(20))
    lang: Mapped[str] = mapped_column(String(2))
    source: Mapped[ResponseSource] = mapped_column(status_column(ResponseSource, "source"),
                                                   default=ResponseSource.LINK)

    answers: Mapped[list[Answer]] = relationship(  # noqa: F821
        cascade="all, delete-orphan", back_populates="response"
    )
