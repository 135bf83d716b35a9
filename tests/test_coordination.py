"""Coordinator workspace through the test client: every route, every role, and the features."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from partenariat.database import db
from partenariat.models import Answer, Campaign, Controversy, ControversyReport, Invitation, Response
from partenariat.services.invitation import Invitee, invite
from questionnaires import load_instrument
from tests.conftest import csrf_token, login
from tests.factories import campaign_with_responses, release, responses

ITEMS = load_instrument().item_codes


@pytest.fixture
def world(app, accounts):
    """Table A (coordinated by coord@) with two yearly campaigns; Table B with one."""
    a1 = campaign_with_responses(app, "Table A", 2025, n=4, status="closed", value="B")
    a2 = campaign_with_responses(app, "Table A", 2026, n=5)
    b1 = campaign_with_responses(app, "Table B", 2026, n=5)
    with app.app_context():
        # Reports that came with each campaign's first release.
        db().add(ControversyReport(campaign_id=a2, title="Local partagé", description="", nature="ressources",
                                   status="ouverte", means=["deliberation"], effect="ralentit", release_number=1))
        db().add(ControversyReport(campaign_id=b1, title="Secret de B", description="", means=[], release_number=1))
        db().commit()
        report_a = db().scalar(select(ControversyReport.id).where(ControversyReport.campaign_id == a2))
        report_b = db().scalar(select(ControversyReport.id).where(ControversyReport.campaign_id == b1))
        [(link_a, _token)] = invite(db(), db().get(Campaign, a2), [Invitee(label="Partner A")])
        [(link_b, _token)] = invite(db(), db().get(Campaign, b1), [Invitee(label="Partner B")])
        db().commit()
        links = {"link_a": link_a.id, "link_b": link_b.id}
    return {**accounts, "a1": a1, "a2": a2, "b1": b1, "report_a": report_a, "report_b": report_b, **links}


def routes(w, mine: bool):
    """Every coordinator route, aimed at Table A (mine) or Table B (not mine)."""
    p = w["Table A"] if mine else w["Table B"]
    c = w["a2"] if mine else w["b1"]
    r = w["report_a"] if mine else w["report_b"]
    i = w["link_a"] if mine else w["link_b"]
    # (method, url, status for the partnership's own coordinator posting only a CSRF token)
    return [
        ("GET", f"/coordination/partnerships/{p}/campaigns/new", 200),
        ("GET", f"/coordination/campaigns/{c}", 200),
        ("POST", f"/coordination/campaigns/{c}/status/closed", 200),  # asks for a confirmation first
        ("POST", f"/coordination/campaigns/{c}/publish", 302),
        ("POST", f"/coordination/campaigns/{c}/invitations", 400),  # which kind of invitation is missing
        ("GET", f"/coordination/campaigns/{c}/invitations/{i}/new-link", 200),
        ("POST", f"/coordination/campaigns/{c}/invitations/{i}/new-link", 200),  # the new link, shown
        ("POST", f"/coordination/campaigns/{c}/reminders", 302),
        ("POST", f"/coordination/campaigns/{c}/responses", 400),  # no file
        ("GET", f"/coordination/campaigns/{c}/entry-template.xlsx", 200),
        ("GET", f"/coordination/campaigns/{c}/paper", 200),
        ("GET", f"/coordination/campaigns/{c}/portrait", 200),
        ("GET", f"/coordination/campaigns/{c}/charts/conditions.svg", 200),
        ("GET", f"/coordination/campaigns/{c}/portrait.json", 200),
        ("GET", f"/coordination/campaigns/{c}/workbook.xlsx", 200),
        ("GET", f"/coordination/campaigns/{c}/retreat-pack", 200),
        ("GET", f"/coordination/campaigns/{c}/retreat-mode", 200),
        ("GET", f"/coordination/campaigns/{c}/charts/rt.pdf", 200),
        ("GET", f"/coordination/partnerships/{p}/compare", 200),
        ("GET", f"/coordination/partnerships/{p}/compare/keys.svg?campaign={c}", 200),
        ("GET", f"/coordination/partnerships/{p}/controversies", 200),
        ("POST", f"/coordination/partnerships/{p}/reports/{r}", 302),  # "nothing was changed", back to the register
    ]


def call(client, method, url):
    if method == "GET":
        return client.get(url)
    # A valid CSRF token, so that what answers is the access check, not the CSRF check.
    token = csrf_token(client.get("/account/login").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token})


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for method, url, _status in routes(world, mine=True) + [("GET", "/coordination/", 200)]:
        response = call(client, method, url)
        assert response.status_code == 302, (method, url, response.status_code)
        assert "/account/login" in response.headers["Location"]


def test_a_funder_is_refused_every_coordinator_page(client, world):
    login(client, "funder@example.org")
    for method, url, _status in routes(world, mine=True) + [("GET", "/coordination/", 200)]:
        response = call(client, method, url)
        assert response.status_code == 403, (method, url, response.status_code)


def test_a_coordinator_never_reaches_another_partnership(client, world):
    login(client, "coord@example.org")
    for method, url, _status in routes(world, mine=False):
        response = call(client, method, url)
        assert response.status_code == 404, (method, url, response.status_code)
    text = client.get("/coordination/").get_data(as_text=True)
    assert "Table A" in text and "Table B" not in text
    with client.application.app_context():
        assert db().get(Campaign, world["b1"]).status == "open"
        assert db().get(ControversyReport, world["report_b"]).review_status == "pending"


def test_a_coordinator_reaches_every_page_of_their_partnership(client, world):
    login(client, "coord@example.org")
    for method, url, status in routes(world, mine=True):
        response = call(client, method, url)
        assert response.status_code == status, (method, url, response.status_code)


def test_admin_sees_every_partnership(client, world):
    login(client, "admin@example.org")
    text = client.get("/coordination/").get_data(as_text=True)
    assert "Table A" in text and "Table B" in text
    assert client.get(f"/coordination/campaigns/{world['b1']}/portrait").status_code == 200


def test_campaign_creation_needs_the_prerequisites_and_starts_as_draft(app, client, world):
    login(client, "coord@example.org")
    url = f"/coordination/partnerships/{world['Table A']}/campaigns/new"
    html = client.get(url).get_data(as_text=True)
    assert "le diagnostic CACIS est-il le bon outil" in html
    data = {"csrf_token": csrf_token(html), "year": "2027", "title": "Portrait 2027", "k": "4", "languages": ["fr", "en"]}
    refused = client.post(url, data=data)
    assert refused.status_code == 400 and "pas encore l'outil approprié" in refused.get_data(as_text=True)
    data.update(specific_project="y", bounded_in_time="y", resources="y", beyond_information="y")
    created = client.post(url, data=data)
    assert created.status_code == 302
    with app.app_context():
        campaign = db().scalar(select(Campaign).where(Campaign.year == 2027))
        assert (campaign.status, campaign.k, campaign.title) == ("draft", 4, "Portrait 2027")
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    token = csrf_token(page)
    assert client.post(f"/coordination/campaigns/{campaign.id}/status/open", data={"csrf_token": token}).status_code == 302
    assert client.post(f"/coordination/campaigns/{campaign.id}/status/closed", data={"csrf_token": token, "confirmed": "1"}).status_code == 302
    assert client.post(f"/coordination/campaigns/{campaign.id}/status/open", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db().get(Campaign, campaign.id).status == "open"


def test_invitations_one_by_one_unnamed_roster_and_renewal(app, client, world):
    login(client, "coord@example.org")
    cid = world["a2"]
    page = client.get(f"/coordination/campaigns/{cid}").get_data(as_text=True)
    assert "Aucun serveur de courriel n'est configuré" in page
    token = csrf_token(page)
    one = client.post(f"/coordination/campaigns/{cid}/invitations",
                      data={"csrf_token": token, "kind": "one", "one-label": "CDC Centre-Sud", "one-sector": "communautaire"})
    html = one.get_data(as_text=True)
    assert one.status_code == 200
    link = re.search(r"CDC Centre-Sud: (http://\S+/r/(\S+))", html)
    assert link, "the new link is shown once"
    assert client.application.test_client().get(f"/r/{link.group(2)}").status_code == 200

    csv_download = client.post(f"/coordination/campaigns/{cid}/invitations",
                               data={"csrf_token": token, "kind": "anonymous", "anon-count": "3", "download": "csv"})
    assert csv_download.mimetype == "text/csv"
    assert len(csv_download.get_data(as_text=True).strip().splitlines()) == 4

    roster = "label,email,sector,language\nVille,ville@example.org,municipal,fr\nÉcole,,institutionnel,en\n"
    shown = client.post(f"/coordination/campaigns/{cid}/invitations", content_type="multipart/form-data",
                        data={"csrf_token": token, "kind": "roster", "roster-file": (io.BytesIO(roster.encode()), "r.csv")})
    assert shown.status_code == 200 and shown.get_data(as_text=True).count("/r/") >= 2
    bad = "label,email,sector\nX,pas-un-courriel,banque\n"
    refused = client.post(f"/coordination/campaigns/{cid}/invitations", content_type="multipart/form-data",
                          data={"csrf_token": token, "kind": "roster", "roster-file": (io.BytesIO(bad.encode()), "r.csv")})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Ligne 2, colonne email" in text and "Ligne 2, colonne sector" in text
    with app.app_context():
        # The world's one link, then 1 + 3 + 2 made here; the refused roster added none.
        assert db().scalar(select(func.count()).select_from(Invitation).where(Invitation.campaign_id == cid)) == 7
        first = db().scalar(select(Invitation).where(Invitation.label == "CDC Centre-Sud"))
    renewed = client.post(f"/coordination/campaigns/{cid}/invitations/{first.id}/new-link", data={"csrf_token": token})
    new_token = re.search(r"CDC Centre-Sud: http://\S+/r/(\S+)", renewed.get_data(as_text=True)).group(1)
    partner = app.test_client()
    assert partner.get(f"/r/{link.group(2)}").status_code == 404
    assert partner.get(f"/r/{new_token}").status_code == 200


def test_tracking_counts_statuses_never_sectors(app, client, world):
    """A live count per sector would tell the sector of each response as it arrives."""
    with app.app_context():
        db().add(Response(campaign_id=world["a2"], sector="municipal", lang="fr", source="import",
                          answers=[Answer(item_code="C01", value="A")]))
        db().commit()
    login(client, "coord@example.org")
    html = client.get(f"/coordination/campaigns/{world['a2']}").get_data(as_text=True)
    assert "Municipal" not in html.split('id="invite"')[0]
    assert "1 réponse attend la prochaine diffusion" in html


def test_portrait_page_below_and_above_k(app, client, world):
    small = campaign_with_responses(app, "Table A", 2024, n=2)
    login(client, "coord@example.org")
    html = client.get(f"/coordination/campaigns/{small}/portrait").get_data(as_text=True)
    assert "Moins de 3 réponses" in html and "<img" not in html
    assert client.get(f"/coordination/campaigns/{small}/charts/conditions.svg").status_code == 404
    html = client.get(f"/coordination/campaigns/{world['a2']}/portrait").get_data(as_text=True)
    assert html.count("<img") == 4 and "Force" in html
    # All answered A: every item is a strength, so the agenda lists them all.
    assert html.count('class="flag flag-force"') == 2 * len(ITEMS)  # once in the agenda, once in the items table


def test_charts_are_cached_by_their_data(app, client, world, tmp_path):
    app.config["CHART_CACHE_DIR"] = str(tmp_path / "cache")
    login(client, "coord@example.org")
    url = f"/coordination/campaigns/{world['a2']}/charts/rt.svg"
    first = client.get(url)
    assert first.mimetype == "image/svg+xml"
    files = list((tmp_path / "cache").rglob("*"))
    assert len([f for f in files if f.is_file()]) == 1
    assert client.get(url).data == first.data
    # New responses change nothing until a release counts them; then, a new chart.
    with app.app_context():
        campaign = db().get(Campaign, world["a2"])
        responses(db(), campaign, 3, value="C", sector="citoyen")
        db().commit()
        assert client.get(url).data == first.data
        release(db(), campaign)
        db().commit()
    assert client.get(url).data != first.data


def test_downloads_carry_the_same_numbers(client, world):
    login(client, "coord@example.org")
    data = client.get(f"/coordination/campaigns/{world['a1']}/portrait.json").get_json()
    assert data["n_submitted"] == 4 and data["dimensions"][0]["score"] == 50.0  # all B
    workbook = load_workbook(io.BytesIO(client.get(f"/coordination/campaigns/{world['a1']}/workbook.xlsx?lang=en").data))
    assert workbook.sheetnames[0] == "Summary"
    png = client.get(f"/coordination/campaigns/{world['a1']}/charts/keys.png?download=1")
    assert png.data.startswith(b"\x89PNG") and "attachment" in png.headers["Content-Disposition"]


def test_publishing_shows_the_portrait_on_partners_links(app, client, world):
    from partenariat.services.invitation import Invitee, invite

    with app.app_context():
        campaign = db().get(Campaign, world["a2"])
        [(_inv, token)] = invite(db(), campaign, [Invitee()])
        db().commit()
    partner = app.test_client()
    assert "Portrait du groupe" not in partner.get(f"/r/{token}").get_data(as_text=True)
    login(client, "coord@example.org")
    html = client.get(f"/coordination/campaigns/{world['a2']}").get_data(as_text=True)
    client.post(f"/coordination/campaigns/{world['a2']}/publish", data={"csrf_token": csrf_token(html), "published": "1", "confirmed": "1"})
    # Open campaign, link not yet used: the partner still answers first…
    assert "Bienvenue" in partner.get(f"/r/{token}").get_data(as_text=True)
    client.post(f"/coordination/campaigns/{world['a2']}/status/closed", data={"csrf_token": csrf_token(html), "confirmed": "1"})
    # …and once the campaign is closed, the link shows the published portrait.
    page = partner.get(f"/r/{token}").get_data(as_text=True)
    assert "Portrait du groupe" in page and "5 partenaires ont répondu" in page
    assert partner.get(f"/r/{token}/charts/domains.svg").mimetype == "image/svg+xml"
    client.post(f"/coordination/campaigns/{world['a2']}/publish", data={"csrf_token": csrf_token(html), "published": "0"})
    assert partner.get(f"/r/{token}/charts/domains.svg").status_code == 404


def test_controversy_register_review_edit_and_history(app, client, world):
    login(client, "coord@example.org")
    url = f"/coordination/partnerships/{world['Table A']}/controversies"
    html = client.get(url).get_data(as_text=True)
    assert "Local partagé" in html and "Secret de B" not in html
    token = csrf_token(html)
    client.post(f"/coordination/partnerships/{world['Table A']}/reports/{world['report_a']}",
                data={"csrf_token": token, "action": "accept", "target": ""})
    client.post(url, data={"csrf_token": token, "title": "Horaires", "nature": "interets", "effect": "aucun"})
    with app.app_context():
        entries = db().scalars(select(Controversy).order_by(Controversy.id)).all()
        assert [e.title for e in entries] == ["Local partagé", "Horaires"]
        assert [(s.campaign_id, s.status) for s in entries[0].history] == [(world["a2"], "ouverte")]
        assert db().get(ControversyReport, world["report_a"]).review_status == "accepted"
        first_id = entries[0].id
    edit = f"{url}/{first_id}"
    html = client.get(edit).get_data(as_text=True)
    response = client.post(edit, data={"csrf_token": csrf_token(html), "title": "Local partagé", "nature": "ressources",
                                       f"status_{world['a1']}": "latente", f"status_{world['a2']}": "en_traitement"})
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    row = re.search(r"Local partagé</a></th>.*?</tr>", html, re.S).group(0)
    assert "Latente" in row and "En traitement" in row
    # Reviewing the same report twice is refused.
    client.post(f"/coordination/partnerships/{world['Table A']}/reports/{world['report_a']}",
                data={"csrf_token": token, "action": "dismiss"})
    with app.app_context():
        assert db().get(ControversyReport, world["report_a"]).review_status == "accepted"


def test_year_comparison_shows_deltas(client, world):
    login(client, "coord@example.org")
    html = client.get(f"/coordination/partnerships/{world['Table A']}/compare?campaign={world['a1']}&campaign={world['a2']}").get_data(as_text=True)
    # 2025: all B (50); 2026: all A (100) → +50,0 everywhere (French decimal comma).
    assert "+50,0" in html and "Les deux campagnes utilisent les mêmes énoncés." in html
    assert html.count("<img") == 4
    svg = client.get(f"/coordination/partnerships/{world['Table A']}/compare/conditions.svg?campaign={world['a1']}&campaign={world['a2']}")
    assert svg.mimetype == "image/svg+xml" and b"Portrait 2025" in svg.data and b"Portrait 2026" in svg.data


def test_paper_entry_round_trip(app, client, world):
    login(client, "coord@example.org")
    cid = world["a2"]
    template = load_workbook(io.BytesIO(client.get(f"/coordination/campaigns/{cid}/entry-template.xlsx").data))
    sheet = template.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["respondent", "sector", "lang"] and header[3:] == list(ITEMS)
    sheet.append(["P01", "citoyen", "fr", *(["C"] * len(ITEMS))])
    buffer = io.BytesIO()
    template.save(buffer)
    html = client.get(f"/coordination/campaigns/{cid}").get_data(as_text=True)
    ok = client.post(f"/coordination/campaigns/{cid}/responses", content_type="multipart/form-data",
                     data={"csrf_token": csrf_token(html), "responses-file": (io.BytesIO(buffer.getvalue()), "paper.xlsx")})
    assert ok.status_code == 302
    wrong = Workbook()
    wrong.active.append(header)
    wrong.active.append(["P02", "citoyen", "fr", "Z", *(["A"] * (len(ITEMS) - 1))])
    buffer = io.BytesIO()
    wrong.save(buffer)
    refused = client.post(f"/coordination/campaigns/{cid}/responses", content_type="multipart/form-data",
                          data={"csrf_token": csrf_token(html), "responses-file": (io.BytesIO(buffer.getvalue()), "bad.xlsx")})
    assert refused.status_code == 400 and "Ligne 2, colonne C01" in refused.get_data(as_text=True)
    with app.app_context():
        assert db().scalar(select(func.count()).where(Response.campaign_id == cid)) == 6
    paper = client.get(f"/coordination/campaigns/{cid}/paper").get_data(as_text=True)
    assert paper.count("☐") == len(ITEMS) * 4  # A, B, C and "don't know" per item


def test_portrait_page_follows_new_responses(app, client, world):
    """The portrait's content is cached per version of the campaign's data, never stale."""
    login(client, "coord@example.org")
    url = f"/coordination/campaigns/{world['a2']}/portrait"
    assert "5 réponses" in client.get(url).get_data(as_text=True)
    page = client.get(f"/coordination/campaigns/{world['a2']}").get_data(as_text=True)
    header = ",".join(["respondent", "sector", "lang", *ITEMS])

    def upload(n):
        rows = "".join(f"P{i},citoyen,fr,{','.join(['C'] * len(ITEMS))}\n" for i in range(n))
        client.post(f"/coordination/campaigns/{world['a2']}/responses", content_type="multipart/form-data",
                    data={"csrf_token": csrf_token(page), "responses-file": (io.BytesIO(f"{header}\n{rows}".encode()), "r.csv")})

    upload(1)
    assert "5 réponses" in client.get(url).get_data(as_text=True)  # one more waits: no change yet
    refused = client.post(f"/coordination/campaigns/{world['a2']}/release", data={"csrf_token": csrf_token(page)},
                          follow_redirects=True).get_data(as_text=True)
    assert "2 de plus sont nécessaires" in unescape(refused)
    upload(2)
    client.post(f"/coordination/campaigns/{world['a2']}/release", data={"csrf_token": csrf_token(page)})
    assert "8 réponses" in client.get(url).get_data(as_text=True)
