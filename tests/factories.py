"""Factories for test data, in one place (in the spirit of Indico's ``create_event``).

Each takes the session, builds through the product's own services where one exists, flushes,
and leaves committing to the caller (as the request or the CLI would). ``committed`` wraps
one in an app context and commits, for tests that drive the app through its client.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy.orm import Session

from partenariat.database import db
from partenariat.models import Answer, Campaign, Response
from partenariat.services.campaign import create_campaign
from partenariat.services.invitation import Invitee, invite
from partenariat.statuses import CampaignStatus, ResponseSource
from questionnaires import load_instrument


def campaign(session: Session, partnership: str = "Table test", year: int = 2026, *,
             status: CampaignStatus = CampaignStatus.OPEN, k: int = 3, **options) -> Campaign:
    return create_campaign(session, partnership_name=partnership, year=year, status=status, k=k, **options)


def responses(session: Session, campaign: Campaign, n: int, *, value: str = "A",
              answers: Mapping[str, str] | None = None, sector: str = "communautaire", lang: str = "fr",
              source: ResponseSource = ResponseSource.ENTERED) -> list[Response]:
    """``n`` responses answering ``answers`` (default: ``value`` to every item)."""
    chosen = dict(answers) if answers is not None else dict.fromkeys(load_instrument(campaign.instrument_version).items, value)
    made = []
    for _ in range(n):
        response = Response(campaign_id=campaign.id, sector=sector, lang=lang, source=source,
                            answers=[Answer(item_code=code, value=v) for code, v in chosen.items()])
        session.add(response)
        made.append(response)
    session.flush()
    return made


def links(session: Session, campaign: Campaign, n: int = 1, **invitee) -> list[str]:
    """``n`` personal links (clear tokens) for ``campaign``."""
    return [token for _invitation, token in invite(session, campaign, [Invitee(**invitee) for _ in range(n)])]


def committed(app, build: Callable[[Session], object]):
    """Run ``build(session)`` in an app context and commit; returns what it returned."""
    with app.app_context():
        result = build(db())
        db().commit()
        return result


def release(session: Session, campaign: Campaign):
    """Make a release of what waits (results are computed from releases only)."""
    from partenariat.services.releases import make_release

    return make_release(session, campaign)


def campaign_with_responses(app, partnership: str, year: int = 2026, n: int = 0, *,
                            status: CampaignStatus = CampaignStatus.OPEN, k: int = 3, sector: str = "communautaire",
                            value: str = "A", released: bool = True) -> int:
    """A committed campaign with ``n`` entered responses all answering ``value``, released
    when there are at least k of them (unless ``released`` is False); returns its id."""

    def build(session):
        made = campaign(session, partnership, year, status=status, k=k)
        responses(session, made, n, value=value, sector=sector)
        if released and n >= k:
            release(session, made)
        return made.id

    return committed(app, build)


# The free text that must never reach a funder (tests/test_funders.py looks for it everywhere).
SECRET = "Conflit secret entre la CDC et le CIUSSS"


def shared_campaign(app, partnership: str, year: int, answers: list[str], shared: bool = True,
                    region: str = "Montréal") -> int:
    """A closed campaign with one response per letter of ``answers`` (each answering every
    item with that letter), a secret report and a named invitation, in its final release
    when it reaches k; shared with funders unless ``shared`` is False."""
    from partenariat.models import ControversyReport, Invitation

    def build(session):
        made = campaign(session, partnership, year, status=CampaignStatus.CLOSED, region=region)
        made.shared_with_funders = shared
        for value in answers:
            responses(session, made, 1, value=value, source=ResponseSource.LINK)
        session.add(ControversyReport(campaign_id=made.id, title=SECRET, description=SECRET, means=[]))
        session.add(Invitation(campaign_id=made.id, token_hash=f"{made.id:064d}", label="Marie Tremblay",
                               email="marie@example.org"))
        session.flush()
        if len(answers) >= made.k:
            from partenariat.services.releases import make_release

            make_release(session, made, final=True)
        return made.id

    return committed(app, build)


def imported_campaign(runner, tmp_path, rows, k: int = 3, partnership: str = "Table des Tilleuls",
                      year: int = 2026) -> int:
    """A campaign made and filled through the command line, as a coordinator would: create-campaign,
    import-responses of ``rows`` ([(sector, {item: answer})]), then release when it reaches k."""

    def run(*args):
        return runner.invoke(args=[str(a) for a in args], catch_exceptions=False)

    items = load_instrument().item_codes
    campaign_id = int(run("create-campaign", "--partnership", partnership, "--year", year, "--k", k).stdout)
    lines = [",".join(["respondent", "sector", "lang", *items])]
    for index, (sector, answers) in enumerate(rows):
        lines.append(",".join([f"P{index}", sector, "fr", *(answers.get(code, "") for code in items)]))
    path = tmp_path / f"import-{campaign_id}.csv"
    path.write_text("\n".join(lines) + "\n")
    imported = run("import-responses", campaign_id, path)
    assert imported.exit_code == 0, imported.output
    if len(rows) >= k:  # results come from releases only
        released = run("release", campaign_id)
        assert released.exit_code == 0, released.output
    return campaign_id


def xlsx_bytes(rows) -> bytes:
    """A one-sheet workbook holding ``rows``, as a spreadsheet program would save it."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def timeline_project(app, partnership: str, title: str = "Marché solidaire") -> int:
    """A committed project of ``partnership`` with two events, one link and an effect; its id."""
    from sqlalchemy import select

    from partenariat.models import Partnership, Project
    from partenariat.services.timeline import save_timeline
    from partenariat.timeline import model

    def build(session):
        found = session.scalar(select(Partnership).where(Partnership.name == partnership))
        save_timeline(session, found, model.Timeline(
            title=title,
            events=(model.Event("A", model.PartialDate(2020), "Première rencontre", "RT01"),
                    model.Event("B", model.PartialDate(2021, 3), "Subvention obtenue", "RT10")),
            effects=(model.Effect("X", model.PartialDate(2022), "Marché ouvert"),),
            links=(model.Link("A", "B"), model.Link("B", "X"))))
        return session.scalar(select(Project.id).where(Project.partnership_id == found.id, Project.title == title))

    return committed(app, build)
