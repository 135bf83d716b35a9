"""Every click saved at once (POST /r/<token>/answer), where a reopened link lands, and the
words partners read (plurals, no "k", no sign-in link)."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from partenariat.database import db
from partenariat.models import Campaign, Draft, Invitation
from questionnaires import load_instrument
from tests import factories
from tests.conftest import csrf_token
from tests.test_partner_journey import page, post_section, start

INSTRUMENT = load_instrument()
CONDITIONS = INSTRUMENT.section("conditions").items
KEYS = INSTRUMENT.section("keys").items
TOTAL = len(INSTRUMENT.items)


def opened(client, token, section="conditions") -> str:
    """The CSRF token of a section page, as respond.js reads it from the page."""
    return csrf_token(page(client, f"/r/{token}/{section}"))


def click(client, token, csrf, item, value, *, as_json=True):
    headers = {"X-CSRFToken": csrf} if csrf else {}
    if as_json:
        return client.post(f"/r/{token}/answer", json={"item": item, "value": value}, headers=headers)
    return client.post(f"/r/{token}/answer", data={"item": item, "value": value}, headers=headers)


def stored(app) -> dict | None:
    with app.app_context():
        draft = db().scalar(select(Draft))
        return None if draft is None else draft.data["answers"]


def test_a_click_is_saved_and_seen_from_another_browser(app, client, make_campaign):
    _cid, [token] = make_campaign()
    csrf = opened(client, token)
    response = click(client, token, csrf, "C01", "A")
    assert response.status_code == 200
    assert response.get_json() == {"saved": True, "item": "C01", "value": "A", "answered": 1, "total": TOTAL}
    # Form-encoded works too, and a second click on the same question replaces the first.
    assert click(client, token, csrf, "C02", "NSP", as_json=False).get_json()["answered"] == 2
    assert click(client, token, csrf, "C01", "C").get_json()["answered"] == 2
    assert stored(app) == {"C01": "C", "C02": "NSP"}
    with app.app_context():
        assert db().scalar(select(Invitation)).status == "started"

    other = app.test_client()  # no cookie: only the link is shared
    html = page(other, f"/r/{token}/conditions")
    assert re.search(r'<input checked data-item="C01" id="C01-2" name="C01" type="radio" value="C">', html)
    assert re.search(r'<input checked data-item="C02" id="C02-3" name="C02" type="radio" value="NSP">', html)
    assert f"2 questions répondues sur {TOTAL}" in html


@pytest.mark.parametrize(("item", "value", "message"), [
    ("ZZ9", "A", "Cette question ne fait pas partie du questionnaire. Rien n'a été enregistré."),
    ("report_title", "A", "Cette question ne fait pas partie du questionnaire. Rien n'a été enregistré."),
    ("report_nature", "ressources", "Cette question ne fait pas partie du questionnaire. Rien n'a été enregistré."),
    ("C03", "Z", "Cette réponse ne fait pas partie des choix proposés. Rien n'a été enregistré."),
    ("C03", "", "Cette réponse ne fait pas partie des choix proposés. Rien n'a été enregistré."),
])
def test_bad_items_and_values_are_refused_and_save_nothing(app, client, make_campaign, item, value, message):
    _cid, [token] = make_campaign()
    csrf = opened(client, token)
    click(client, token, csrf, "C01", "A")
    response = click(client, token, csrf, item, value)
    assert response.status_code == 400
    assert response.get_json() == {"saved": False, "error": message, "retry": False}
    assert stored(app) == {"C01": "A"}


def test_unreadable_bodies_are_refused(app, client, make_campaign):
    _cid, [token] = make_campaign()
    csrf = opened(client, token)
    for body in ("not json", "[1, 2]", '{"item": "C01", "value": 3}', '{"item": "C01"}'):
        response = client.post(f"/r/{token}/answer", data=body, content_type="application/json",
                               headers={"X-CSRFToken": csrf})
        assert response.status_code == 400, body
        assert response.get_json()["error"] == "La réponse n'a pas pu être lue. Rien n'a été enregistré."
    assert stored(app) is None


def test_messages_follow_the_link_language(app, client, make_campaign):
    _cid, [token] = make_campaign(language="en")
    csrf = opened(client, token)
    response = click(client, token, csrf, "C01", "maybe")
    assert response.get_json()["error"] == "This answer is not one of the choices. Nothing was saved."


def test_without_csrf_token_nothing_is_saved(app, client, make_campaign):
    _cid, [token] = make_campaign()
    csrf = opened(client, token)
    click(client, token, csrf, "C01", "A")
    for sent in (None, "forged"):
        response = click(client, token, sent, "C01", "B")
        assert response.status_code == 400
        body = response.get_json()
        assert body["saved"] is False and body["error"].startswith("Cette page avait expiré")
    # A fresh browser with the token of another session is refused too.
    response = click(app.test_client(), token, csrf, "C01", "B")
    assert response.status_code == 400 and response.get_json()["saved"] is False
    assert stored(app) == {"C01": "A"}


def test_closed_campaign_and_wrong_link_are_refused(app, client, make_campaign):
    campaign_id, [token] = make_campaign()
    csrf = opened(client, token)
    with app.app_context():
        db().get(Campaign, campaign_id).status = "closed"
        db().commit()
    response = click(client, token, csrf, "C01", "A")
    assert response.status_code == 410
    assert response.get_json() == {"saved": False, "error": "Ce questionnaire est fermé", "retry": False}

    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = click(client, altered, csrf, "C01", "A")
    # A link that matches nothing has no language: both, as on the error pages.
    assert response.status_code == 404
    assert response.get_json()["error"] == "Ce lien n'est pas valide / This link is not valid"
    assert stored(app) is None


def test_a_refused_click_on_a_known_link_speaks_the_links_language(app, client, make_campaign):
    campaign_id, [token] = make_campaign(language="en")
    csrf = opened(client, token)
    with app.app_context():
        db().get(Campaign, campaign_id).status = "closed"
        db().commit()
    response = click(client, token, csrf, "C01", "A")
    assert response.status_code == 410 and response.get_json()["error"] == "This questionnaire is closed"


def test_a_submitted_link_saves_nothing_more(app, client, make_campaign):
    _cid, [token] = make_campaign(sector="municipal")
    csrf = opened(client, token)
    click(client, token, csrf, "C01", "A")
    review = page(client, f"/r/{token}/review")
    assert client.post(f"/r/{token}/review", data={"csrf_token": csrf_token(review), "confirm": "y"}).status_code == 302
    response = click(client, token, csrf, "C02", "B")
    assert response.status_code == 409
    assert response.get_json()["error"] == "Ce lien a déjà envoyé ses réponses : elles ne peuvent plus être modifiées."
    assert stored(app) is None  # the draft went with the submission; nothing came back


def test_reopening_the_link_lands_on_the_first_unanswered_question(app, client, make_campaign):
    _cid, [token] = make_campaign()
    start(client, token)  # nothing answered: the top of part 1, with its introduction
    csrf = opened(client, token)
    for code in CONDITIONS[:4]:
        click(client, token, csrf, code, "B")
    click(client, token, csrf, CONDITIONS[5], "B")  # a gap after C05 does not matter

    def landing(browser):
        html = page(browser, f"/r/{token}")
        assert "Continuer" in html
        response = browser.post(f"/r/{token}", data={"csrf_token": csrf_token(html), "sector": "communautaire"})
        assert response.status_code == 302
        # The same place is one link away at the top of the page, above the introduction
        # (on a phone the form's button is several screens down).
        top = re.search(r'<div class="resume">.*?<a class="button-link primary" href="([^"]+)">Reprendre là où j.en étais</a>',
                        html, re.S)
        assert top and html.index('<div class="resume">') < html.index("<h1>")
        assert html_lib.unescape(top.group(1)) == response.headers["Location"]
        return response.headers["Location"]

    later = app.test_client()
    assert landing(later) == f"/r/{token}/conditions#item-{CONDITIONS[4]}"
    assert CONDITIONS[4] == "C05"
    for code in CONDITIONS:
        click(client, token, csrf, code, "A")
    assert landing(later) == f"/r/{token}/keys"  # a new part opens at its top
    for code in INSTRUMENT.items:
        click(client, token, csrf, code, "C")
    assert landing(later) == f"/r/{token}/review"


def test_switching_language_comes_back_to_the_question_being_read(app, client, make_campaign):
    _cid, [token] = make_campaign()
    start(client, token)
    response = post_section(client, token, "conditions", {"C01": "A"}, action="save", switch_lang="en", at="C07")
    assert response.headers["Location"] == f"/r/{token}/conditions#item-C07"
    assert "The six partnership conditions" in page(client, f"/r/{token}/conditions")
    # Only a question of this page is a place to come back to.
    for at in ("K01", "x\"><script>", ""):
        response = post_section(client, token, "conditions", {}, switch_lang="fr", at=at)
        assert response.headers["Location"] == f"/r/{token}/conditions"
    assert stored(app) == {"C01": "A"}


@pytest.mark.parametrize(("lang", "one", "two"), [
    ("fr", f"1 question répondue sur {TOTAL}", f"2 questions répondues sur {TOTAL}"),
    ("en", f"1 of {TOTAL} questions answered", f"2 of {TOTAL} questions answered"),
])
def test_counts_are_plural_only_when_they_should_be(app, client, make_campaign, lang, one, two):
    _cid, [token] = make_campaign(language=lang)
    csrf = opened(client, token)
    click(client, token, csrf, "C01", "A")
    section = page(client, f"/r/{token}/conditions")
    assert one in section
    welcome = page(client, f"/r/{token}")
    resume = {"fr": f"Vous avez déjà répondu à 1 question sur {TOTAL}.",
              "en": f"You have already answered 1 of {TOTAL} questions."}[lang]
    assert resume in welcome
    # The page gives respond.js both forms, filled with its own count.
    templates = {"fr": ('data-one="{a} question répondue sur {t}"', 'data-other="{a} questions répondues sur {t}"'),
                 "en": ('data-one="{a} of {t} questions answered"', 'data-other="{a} of {t} questions answered"')}[lang]
    assert all(t in section for t in templates)
    click(client, token, csrf, "C02", "A")
    assert two in page(client, f"/r/{token}/conditions")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


def partner_pages(app, client, make_campaign, lang):
    """The text of every page a partner can reach with a link, in ``lang``."""
    texts = {}
    _cid, [token] = make_campaign(language=lang, sector="municipal", k=4)
    for path in ("", "/conditions", "/keys", "/controversies", "/review"):
        texts[path or "/"] = visible_text(page(client, f"/r/{token}{path}"))
    review = page(client, f"/r/{token}/review")
    client.post(f"/r/{token}/review", data={"csrf_token": csrf_token(review), "confirm": "y"})
    texts["received"] = visible_text(page(client, f"/r/{token}"))

    def published(session):
        campaign = factories.campaign(session, "Table publiée", 2027, k=3)
        factories.responses(session, campaign, 3)
        [link] = factories.links(session, campaign, language=lang)
        campaign.status, campaign.published = "closed", True
        return link

    link = factories.committed(app, published)
    texts["portrait"] = visible_text(page(client, f"/r/{link}"))
    texts["unknown link"] = visible_text(page(client, "/r/nope", 404))
    return texts


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_partner_pages_say_how_many_people_never_k_and_offer_no_sign_in(app, client, make_campaign, lang):
    texts = partner_pages(app, client, make_campaign, lang)
    assert "Portrait du groupe" in texts["portrait"] or "Group portrait" in texts["portrait"]
    for name, text in texts.items():
        assert not re.search(r"\bk\b", text, re.I), (name, re.findall(r".{40}\bk\b.{40}", text, re.I | re.S))
        for sign_in in ("Se connecter", "Sign in", "Connexion"):
            assert sign_in not in text, (name, sign_in)
    expected = {"fr": "Le portrait du groupe apparaît dès qu'au moins 4 personnes ont répondu.",
                "en": "The group portrait appears once at least 4 people have answered."}[lang]
    assert expected in texts["received"]
    assert {"fr": "au moins 4 personnes", "en": "at least 4 people"}[lang] in texts["/"]


def test_the_sign_in_link_stays_on_other_pages(client):
    assert "Se connecter" in client.get("/").get_data(as_text=True)
