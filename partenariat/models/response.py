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
    invitation, no timestamp. On SQLite the table has no rowid, so its rows are stored in
    the order of their random ids, not of submission. Pseudonyms R001… are drawn afresh
    for each export of a release.
    """

    __tablename__ = "response"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_response_id)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    sector: Mapped[str] = mapped_column(String(20))
    lang: Mapped[str] = mapped_column(String(2))
    source: Mapped[ResponseSource] = mapped_column(status_column(ResponseSource, "source"),
                                                   default=ResponseSource.LINK)
    # The release that first counted it; NULL while it waits for the next release.
    release_number: Mapped[int | None] = mapped_column(index=True)

    answers: Mapped[list[Answer]] = relationship(  # noqa: F821
        cascade="all, delete-orphan", back_populates="response"
    )
