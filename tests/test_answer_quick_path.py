"""A click on a link that has started answering takes a quicker way in (one table-level query
for the link, its campaign and its draft, T6). Every case that way does not handle must come
out exactly as through the ordinary lookup: these tests start the link first, so that the
quick way is the one tried."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from partenariat.database import db
from partenariat.models import Campaign, Draft, Invitation, TokenMiss
from partenariat.services.draft import save_started
from partenariat.services.invitation import MAX_MISSES_PER_IP
from tests.test_partner_autosave import click, opened, stored


def started(app, client, make_campaign, **invitee):
    campaign_id, [token] = make_campaign(**invitee)
    csrf = opened(client, token)
    assert click(client, token, csrf, "C01", "A").get_json()["saved"] is True
    return campaign_id, token, csrf


def change_campaign(app, campaign_id, **values):
    with app.app_context():
        campaign = db().get(Campaign, campaign_id)
        for name, value in values.items():
            setattr(campaign, name, value)
        db().commit()


def test_a_started_link_saves_in_one_statement_and_an_invited_one_does_not(app, client, make_campaign):
    _cid, [fresh] = make_campaign()
    _cid2, token, _csrf = started(app, client, make_campaign, partnership="Autre table", language="en")
    with app.app_context():
        link = save_started(token, "C02", "B", date.today())
        assert link.draft["answers"] == {"C01": "A", "C02": "B"}  # merged into what was stored
        assert link.language == "en"
        assert link.campaign.availability(date.today()) == "open"
        assert link.campaign.language_list == ["fr", "en"]
        assert save_started(fresh, "C01", "A", date.today()) is None  # no draft yet: the ordinary way marks it started
        assert save_started(token[:-1], "C01", "A", date.today()) is None
        assert save_started("x" * 65, "C01", "A", date.today()) is None
        assert save_started(token, "C03", "Z", date.today()) is None  # not a choice: nothing written
        db().commit()
    assert stored(app) == {"C01": "A", "C02": "B"}
    with app.app_context():
        assert db().scalar(select(Draft.data).join(Invitation).where(Invitation.status == "invited")) is None


def test_later_clicks_keep_every_answer(app, client, make_campaign):
    _cid, token, csrf = started(app, client, make_campaign)
    replies = [click(client, token, csrf, code, value).get_json()
               for code, value in (("C02", "B"), ("C03", "NSP"), ("C01", "C"))]
    assert [reply["answered"] for reply in replies] == [2, 3, 3]
    assert stored(app) == {"C01": "C", "C02": "B", "C03": "NSP"}
    with app.app_context():
        assert db().scalar(select(Invitation.status)) == "started"
        assert db().scalar(select(func.count()).select_from(Draft)) == 1


def test_a_started_link_whose_campaign_closed_or_expired_saves_nothing(app, client, make_campaign):
    campaign_id, token, csrf = started(app, client, make_campaign)
    change_campaign(app, campaign_id, closes_on=date.today() - timedelta(days=1))
    response = click(client, token, csrf, "C02", "B")
    assert response.status_code == 410
    assert response.get_json() == {"saved": False, "error": "La date limite est passée", "retry": False}
    change_campaign(app, campaign_id, closes_on=None, status="closed")
    response = click(client, token, csrf, "C02", "B")
    assert response.status_code == 410
    assert response.get_json()["error"] == "Ce questionnaire est fermé"
    assert stored(app) == {"C01": "A"}


def test_a_language_asked_with_a_click_still_becomes_the_link_language(app, client, make_campaign):
    _cid, token, csrf = started(app, client, make_campaign)
    response = client.post(f"/r/{token}/answer?lang=en", json={"item": "C02", "value": "Z"},
                           headers={"X-CSRFToken": csrf})
    assert response.get_json()["error"] == "This answer is not one of the choices. Nothing was saved."
    response = client.post(f"/r/{token}/answer?lang=en", json={"item": "C02", "value": "B"},
                           headers={"X-CSRFToken": csrf})
    assert response.get_json()["saved"] is True
    with app.app_context():
        assert db().scalar(select(Invitation.language)) == "en"
    # The link now speaks English without asking, through the quick way too.
    assert click(client, token, csrf, "C03", "Z").get_json()["error"] == (
        "This answer is not one of the choices. Nothing was saved.")
    assert stored(app) == {"C01": "A", "C02": "B"}


def test_a_campaign_in_english_only_answers_in_english(app, client, make_campaign):
    campaign_id, token, csrf = started(app, client, make_campaign)
    change_campaign(app, campaign_id, languages="en")
    assert click(client, token, csrf, "ZZ9", "A").get_json()["error"] == (
        "This question is not part of the questionnaire. Nothing was saved.")
    assert stored(app) == {"C01": "A"}  # (no instrument asks ZZ9: nothing was written)


def test_wrong_links_still_count_against_the_guessing_limit(app, client, make_campaign):
    _cid, token, csrf = started(app, client, make_campaign)
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    for _ in range(MAX_MISSES_PER_IP):
        assert click(client, wrong, csrf, "C02", "B").status_code == 404
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(TokenMiss)) == MAX_MISSES_PER_IP
    response = click(client, wrong, csrf, "C02", "B")
    assert response.status_code == 429 and response.get_json()["error"] == "Trop de liens erronés / Too many wrong links"
    # The partner's own link still saves (a valid link is never blocked).
    assert click(client, token, csrf, "C02", "B").get_json()["saved"] is True
    assert stored(app) == {"C01": "A", "C02": "B"}


def test_clicks_of_one_link_at_once_keep_each_other(app, make_campaign):
    """The answer is merged into the draft by the UPDATE itself: clicks racing on one link
    (two tabs, a slow network delivering them together) must not overwrite each other."""
    import threading

    first = app.test_client()
    _cid, token, csrf = started(app, first, make_campaign)
    items = ["C02", "C03", "C04", "C05", "C06", "C07", "C08", "C09"]
    barrier, replies = threading.Barrier(len(items)), []

    def click_at_once(client, item):
        barrier.wait()
        replies.append(click(client, token, csrf, item, "B").get_json()["saved"])

    clients = []
    for _ in items:  # each thread its own client, sharing the browser's session cookie
        client = app.test_client()
        client.set_cookie(first.get_cookie("session").key, first.get_cookie("session").value)
        clients.append(client)
    threads = [threading.Thread(target=click_at_once, args=pair) for pair in zip(clients, items, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert replies == [True] * len(items)
    assert stored(app) == {"C01": "A", **dict.fromkeys(items, "B")}


def test_the_one_statement_writes_nothing_the_ordinary_way_would_refuse(app, client, make_campaign):
    """The quick way runs outside the request's transaction (one UPDATE committed on its own),
    so it cannot write and roll back: the campaign's rules must be in the statement."""
    campaign_id, token, _csrf = started(app, client, make_campaign)
    today = date.today()
    refused = [
        ({"status": "closed"}, "C02"),
        ({"status": "open", "opens_on": today + timedelta(days=1)}, "C02"),
        ({"opens_on": None, "closes_on": today - timedelta(days=1)}, "C02"),
        ({"closes_on": None, "instrument_version": "1999.9"}, "C02"),  # a version that does not ask C02
        ({"instrument_version": "2026.1"}, "ZZ9"),  # a question no instrument asks
    ]
    for values, code in refused:
        change_campaign(app, campaign_id, **values)
        with app.app_context():
            assert save_started(token, code, "B", today) is None, (values, code)
        assert stored(app) == {"C01": "A"}, (values, code)
    # Open again, on its last day: the statement writes, committed on its own (on both
    # engines): what the request does after it, or a rollback of its session, cannot undo it.
    change_campaign(app, campaign_id, opens_on=today, closes_on=today)
    with app.app_context():
        assert save_started(token, "C02", "B", today).draft["answers"] == {"C01": "A", "C02": "B"}
        db().rollback()
    assert stored(app) == {"C01": "A", "C02": "B"}


def test_a_draft_without_answers_gets_its_first_answer_on_both_engines(app, client, make_campaign):
    """The merge creates the answers when the stored draft has none (nothing in the column
    requires the key: a restored backup or a row mended by hand may lack it). SQLite's merge
    patch does it on its own; PostgreSQL's form must start from an empty object, not from the
    JSON string "{}" (a string || an object is an array)."""
    _cid, token, _csrf = started(app, client, make_campaign)
    with app.app_context():
        db().execute(Draft.__table__.update().values(data={"sector": "municipal", "reports": []}))
        db().commit()
    with app.app_context():
        link = save_started(token, "C02", "B", date.today())
        db().commit()
    assert link.draft == {"sector": "municipal", "reports": [], "answers": {"C02": "B"}}
    assert stored(app) == {"C02": "B"}


def test_the_driver_statement_stores_and_reads_what_sqlalchemy_would(app, client, make_campaign):
    """The quick way runs its statement on the driver's cursor (database.run_one_statement),
    with the conversions SQLAlchemy's types make: the time it stores reads back through the
    ORM as the time of the click, and the campaign's status comes back as its enum."""
    from partenariat.models.timestamps import utcnow
    from partenariat.statuses import CampaignStatus

    _cid, token, _csrf = started(app, client, make_campaign)
    with app.app_context():
        before = utcnow()
        link = save_started(token, "C02", "B", date.today())
        db().commit()
        after = utcnow()
    assert link.campaign.status is CampaignStatus.OPEN
    with app.app_context():
        stored_at = db().scalar(select(Draft.updated_at))
    assert before <= stored_at <= after
