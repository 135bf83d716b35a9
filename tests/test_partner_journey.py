"""The partner's journey through the Flask test client (SPEC §1, issue 2)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, inspect, select

from partenariat.database import db
from partenariat.models import Answer, Campaign, ControversyReport, Draft, Invitation, Response
from questionnaires import load_instrument
from tests.conftest import csrf_token

INSTRUMENT = load_instrument()
CONDITIONS = INSTRUMENT.section("conditions").items
KEYS = INSTRUMENT.section("keys").items
CLIMATE = INSTRUMENT.section("controversies").items


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def post_section(client, token, section, answers, action="next", status=302, **extra):
    html = page(client, f"/r/{token}/{section}")
    data = {"csrf_token": csrf_token(html), "action": action, **answers, **extra}
    response = client.post(f"/r/{token}/{section}", data=data)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response


def start(client, token, sector="communautaire"):
    html = page(client, f"/r/{token}")
    response = client.post(f"/r/{token}", data={"csrf_token": csrf_token(html), "sector": sector})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/r/{token}/conditions")


def draft_answers(app, token_index=0):
    with app.app_context():
        draft = db().scalars(select(Draft)).all()[token_index]
        return draft.data["answers"]


def counts(app):
    with app.app_context():
        s = db()
        return {
            "responses": s.scalar(select(func.count()).select_from(Response)),
            "answers": s.scalar(select(func.count()).select_from(Answer)),
            "drafts": s.scalar(select(func.count()).select_from(Draft)),
            "reports": s.scalar(select(func.count()).select_from(ControversyReport)),
        }


def test_whole_journey_with_resume_language_switch_and_single_submission(app, client, make_campaign):
    campaign_id, [token] = make_campaign()
    welcome = page(client, f"/r/{token}")
    assert "Bienvenue" in welcome and "20 minutes" in welcome
    start(client, token, "municipal")

    # Part 1, answered in French, left half-way with "finish later".
    first_half = dict.fromkeys(CONDITIONS[:9], "A")
    post_section(client, token, "conditions", first_half, action="save")
    assert draft_answers(app) == first_half

    # The partner comes back later from another browser: same link, answers still there.
    later = app.test_client()
    html = page(later, f"/r/{token}/conditions")
    assert len(re.findall(r'<input checked data-item="C0\d" id="C0\d-0" name="C0\d" type="radio" value="A">', html)) == 9
    assert f"9 questions répondues sur {len(INSTRUMENT.items)}" in html

    # Switching to English mid-page keeps what is on the page and what was saved.
    rest = dict.fromkeys(CONDITIONS[9:], "B")
    html = page(later, f"/r/{token}/conditions")
    response = later.post(f"/r/{token}/conditions", data={"csrf_token": csrf_token(html), "switch_lang": "en", **rest})
    assert response.status_code == 302 and response.headers["Location"].endswith("/conditions")
    html = page(later, f"/r/{token}/conditions")
    assert "The six partnership conditions" in html and f"{len(CONDITIONS)} of {len(INSTRUMENT.items)} questions answered" in html
    assert draft_answers(app) == {**first_half, **rest}

    post_section(later, token, "keys", {code: "C" for code in KEYS[:-1]} | {KEYS[-1]: "NSP"})
    post_section(later, token, "controversies", {"CV1": "B", "CV2": "A"}, action="save",
                 report_title="Partage du local", report_nature="ressources", report_status="ouverte",
                 report_means=["deliberation", "ajout"], report_effect="ralentit")
    post_section(later, token, "controversies", {}, action="next")

    review = page(later, f"/r/{token}/review")
    assert "You have not answered 1 question." in review and INSTRUMENT.items["CV3"].statement.en in review
    assert "Partage du local" in review

    # Submitting needs the confirmation box.
    refused = later.post(f"/r/{token}/review", data={"csrf_token": csrf_token(review)})
    assert refused.status_code == 400 and "Tick the box" in refused.get_data(as_text=True)
    assert counts(app)["responses"] == 0

    done = later.post(f"/r/{token}/review", data={"csrf_token": csrf_token(review), "confirm": "y"})
    assert done.status_code == 302
    assert "Thank you, your answers were received" in page(later, f"/r/{token}")

    with app.app_context():
        s = db()
        response = s.scalars(select(Response)).one()
        stored = {a.item_code: a.value for a in response.answers}
        assert stored == {**first_half, **rest, **{c: "C" for c in KEYS[:-1]}, KEYS[-1]: "NSP", "CV1": "B", "CV2": "A"}
        assert (response.sector, response.lang, response.source) == ("municipal", "en", "web")
        report = s.scalars(select(ControversyReport)).one()
        assert (report.title, report.means, report.release_number) == ("Partage du local", ["deliberation", "ajout"], None)
        invitation = s.scalars(select(Invitation)).one()
        assert invitation.status == "submitted"
        assert s.scalar(select(func.count()).select_from(Draft)) == 0

    # A second submission (replayed POST, other tab) is refused and changes nothing.
    again = later.post(f"/r/{token}/review", data={"csrf_token": csrf_token(review), "confirm": "y"})
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/r/{token}")
    replay = client.post(f"/r/{token}/conditions", data={"csrf_token": csrf_token(welcome), "C01": "C"})
    assert replay.status_code == 302
    assert counts(app) == {"responses": 1, "answers": 35, "drafts": 0, "reports": 1}


def test_response_has_no_link_back_to_the_invitation():
    columns = {c.key for c in inspect(Response).columns}
    assert columns == {"id", "campaign_id", "sector", "lang", "source", "release_number"}
    report_columns = {c.key for c in inspect(ControversyReport).columns}
    assert not report_columns & {"invitation_id", "response_id", "created_at", "submitted_at"}
    assert "submitted_at" not in {c.key for c in inspect(Invitation).columns}


def test_concurrent_second_submit_is_refused(app, client, make_campaign):
    """Two requests loaded the same unsubmitted invitation; only the first one counts."""
    from partenariat.services.submission import AlreadySubmitted, submit

    _cid, [token] = make_campaign()
    start(client, token)
    post_section(client, token, "conditions", {"C01": "A"})
    make_session = app.extensions["partenariat.sessionmaker"]
    with app.test_request_context(), make_session() as first, make_session() as second:
        seen_by_first = first.scalars(select(Invitation)).one()
        seen_by_second = second.scalars(select(Invitation)).one()
        assert seen_by_first.status == seen_by_second.status == "started"
        submit(first, seen_by_first, INSTRUMENT, "fr")
        first.commit()  # the request commits once the view returns
        raised = False
        try:
            submit(second, seen_by_second, INSTRUMENT, "fr")
        except AlreadySubmitted:
            raised = True
    assert raised
    assert counts(app) == {"responses": 1, "answers": 1, "drafts": 0, "reports": 0}


def test_unknown_and_altered_tokens_get_a_bilingual_page(client, make_campaign):
    _cid, [token] = make_campaign()
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for url in (f"/r/{altered}", f"/r/{altered}/conditions", f"/r/{altered}/review", "/r/x", "/r/" + "a" * 500):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 404
        assert "Ce lien n&#39;est pas valide" in html and "This link is not valid" in html
        assert "Traceback" not in html
    response = client.post(f"/r/{altered}/conditions", data={"C01": "A"})
    assert response.status_code == 400  # refused by the CSRF check, with the bilingual "page had expired"
    assert "Traceback" not in response.get_data(as_text=True)


def test_unknown_section_is_a_clear_404(client, make_campaign):
    _cid, [token] = make_campaign()
    response = client.get(f"/r/{token}/nope")
    assert response.status_code == 404 and "This link is not valid" in response.get_data(as_text=True)


def test_closed_not_open_and_expired_campaigns(app, client, make_campaign):
    campaign_id, [token] = make_campaign()
    with app.app_context():
        campaign = db().get(Campaign, campaign_id)
        campaign.status = "closed"
        db().commit()
    response = client.get(f"/r/{token}/conditions")
    assert response.status_code == 410
    assert "Ce questionnaire est fermé" in response.get_data(as_text=True)
    assert "This questionnaire is closed" in response.get_data(as_text=True)

    with app.app_context():
        campaign = db().get(Campaign, campaign_id)
        campaign.status, campaign.closes_on = "open", date.today() - timedelta(days=1)
        db().commit()
    response = client.get(f"/r/{token}")
    assert response.status_code == 410 and "The deadline has passed" in response.get_data(as_text=True)

    _cid, [draft_token] = make_campaign(status="draft", year=2027)
    response = client.get(f"/r/{draft_token}")
    assert response.status_code == 403 and "not open yet" in response.get_data(as_text=True)


def test_missing_csrf_token_saves_nothing_but_keeps_the_page(app, client, make_campaign):
    _cid, [token] = make_campaign()
    start(client, token)
    post_section(client, token, "conditions", {"C01": "A"}, action="save")
    response = client.post(f"/r/{token}/conditions", data={"C01": "C", "C02": "B", "action": "next"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ne sont pas encore enregistrées" in html
    # What the partner had clicked is still on the page, ready to be saved again…
    assert re.search(r'<input checked data-item="C02" id="C02-1" name="C02" type="radio" value="B">', html)
    assert re.search(r'<input checked data-item="C01" id="C01-2" name="C01" type="radio" value="C">', html)
    # …and the stored draft is unchanged.
    assert draft_answers(app) == {"C01": "A"}
    response = client.post(f"/r/{token}", data={"sector": "prive"})
    assert response.status_code == 400 and "This page had expired" in response.get_data(as_text=True)


def test_invalid_answer_value_saves_nothing(app, client, make_campaign):
    _cid, [token] = make_campaign()
    start(client, token)
    post_section(client, token, "conditions", {"C01": "A"}, action="save")
    response = post_section(client, token, "conditions", {"C01": "B", "C02": "Z"}, status=400)
    html = response.get_data(as_text=True)
    assert "Nothing on this page was saved" in html or "Rien sur cette page" in html
    assert draft_answers(app) == {"C01": "A"}


def test_report_without_title_is_refused_with_a_message(app, client, make_campaign):
    _cid, [token] = make_campaign()
    start(client, token)
    response = post_section(client, token, "controversies", {"CV1": "A"}, action="save", status=400,
                            report_description="Un désaccord sur le budget")
    assert "Donnez un titre court" in response.get_data(as_text=True)
    assert counts(app)["drafts"] == 1 and draft_answers(app) == {}


def test_sector_is_required_before_submitting(app, client, make_campaign):
    _cid, [token] = make_campaign()
    html = page(client, f"/r/{token}")
    response = client.post(f"/r/{token}", data={"csrf_token": csrf_token(html), "sector": ""})
    assert response.status_code == 400 and "Choisissez le secteur" in response.get_data(as_text=True)
    post_section(client, token, "conditions", {"C01": "A"})
    review = page(client, f"/r/{token}/review")
    response = client.post(f"/r/{token}/review", data={"csrf_token": csrf_token(review), "confirm": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/r/{token}")
    assert counts(app)["responses"] == 0
    assert draft_answers(app) == {"C01": "A"}  # the refused submission kept the draft


def test_sector_given_by_the_invitation_is_used(app, client, make_campaign):
    _cid, [token] = make_campaign(sector="citoyen", language="en")
    html = page(client, f"/r/{token}")
    assert "Welcome to the self-assessment" in html  # the invitation's language
    assert '<option selected value="citoyen">' in html
    review = page(client, f"/r/{token}/review")
    assert client.post(f"/r/{token}/review", data={"csrf_token": csrf_token(review), "confirm": "y"}).status_code == 302
    with app.app_context():
        assert db().scalars(select(Response)).one().sector == "citoyen"


def test_removing_a_reported_controversy(app, client, make_campaign):
    _cid, [token] = make_campaign()
    start(client, token)
    post_section(client, token, "controversies", {}, action="save", report_title="Horaire des rencontres")
    with app.app_context():
        report_id = db().scalars(select(Draft)).one().data["reports"][0]["id"]
    post_section(client, token, "controversies", {}, remove_report=report_id)
    with app.app_context():
        assert db().scalars(select(Draft)).one().data["reports"] == []


def test_token_pages_do_not_leak_the_token_as_referrer(client, make_campaign):
    _cid, [token] = make_campaign()
    response = client.get(f"/r/{token}")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
