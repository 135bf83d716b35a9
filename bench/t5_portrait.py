"""T5 — the coordinator's portrait page of a 60-respondent campaign (charts cached) against
the campaign list page, served by the same app."""

from __future__ import annotations

import re
from pathlib import Path

from bench import data
from bench.timing import best_of
from partenariat import database


def run(quick: bool, directory: Path) -> dict:
    from partenariat.database import db
    from partenariat.services.accounts import create_user

    url = f"sqlite:///{directory / 'portrait.sqlite'}"
    app = data.migrated_app(url)
    data.shared_campaigns(app, partnerships=1, respondents=60, years=3)
    with app.app_context():
        user, _token = create_user(db(), "bench@example.org", "coordinator", ["Table 00000"])
        user.set_password("bench password 2026")
        db().commit()
    client = app.test_client()
    page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1)
    client.post("/account/login", data={"csrf_token": token, "email": "bench@example.org",
                                        "password": "bench password 2026"})
    portrait_url = "/coordination/campaigns/3/portrait"
    assert client.get(portrait_url).status_code == 200
    for dimension in ("conditions", "keys", "domains", "rt"):  # charts cached, as the page's images would be
        client.get(f"/coordination/campaigns/3/charts/{dimension}.svg")
    repeat = 10 if quick else 30
    listing = best_of(lambda: client.get("/coordination/"), repeat=repeat)
    portrait = best_of(lambda: client.get(portrait_url), repeat=repeat)
    database.dispose(app)
    return {"page_ratio": portrait / listing, "_detail": {"list_s": listing, "portrait_s": portrait}}
