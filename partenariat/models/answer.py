from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partenariat.database import Base


class Answer(Base):
    """One answer code (A, B, C or NSP) to one item; blank items have no row."""

    __tablename__ = "answer"
    __table_args__ = ({"sqlite_with_rowid": False},)  # stored in response-id order, not submission order

    response_id: Mapped[str] = mapped_column(ForeignKey("response.id"), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    value: Mapped[str] = mapped_column(String(3))

    response: Mapped[Response] = relationship(back_populates="answers")  # noqa: F821
