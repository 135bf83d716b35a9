"""When a save fails (database or network down), the answers clicked on the page come back."""

from __future__ import annotations

import re

from sqlalchemy import select

from partenariat.database import db
from partenariat.models import Draft


def test_answers_survive_a_failed_save(app, live_server, phone, make_campaign):
    _cid, [token] = make_campaign(sector="municipal")
    link = f"{live_server}/r/{token}/conditions"
    page = phone()
    page.goto(link)

    def database_down(route):
        if route.request.method == "POST":
            route.fulfill(status=503, body="<h1>Partenariat ne peut pas joindre sa base de données</h1>",
                          content_type="text/html; charset=utf-8")
        else:
            route.continue_()

    page.route(re.compile(r".*/r/.*"), database_down)  # each click's own save fails too
    page.check("input[name=C01][value=A]")
    page.check("input[name=C02][value=C]")
    page.click("text=Enregistrer et terminer plus tard")
    page.wait_for_selector("text=Partenariat ne peut pas joindre sa base de données")
    page.unroute(re.compile(r".*/r/.*"))
    with app.app_context():
        assert db().scalar(select(Draft)) is None  # nothing reached the server

    page.goto(link)  # back to the questionnaire once the server is up again
    assert page.is_checked("input[name=C01][value=A]") and page.is_checked("input[name=C02][value=C]")
    assert page.locator("#restored-notice").is_visible()
    page.click("text=Enregistrer et terminer plus tard")
    assert "Vos réponses sont enregistrées" in page.locator(".flash-success").inner_text()
    with app.app_context():
        assert db().scalar(select(Draft)).data["answers"] == {"C01": "A", "C02": "C"}
