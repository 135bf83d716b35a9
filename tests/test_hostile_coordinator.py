"""The hostile review of docs/privacy.md, replayed: each test is one attack by a curious
coordinator (or funder, or whoever hosts the database), run end to end through the test
client and the command line, and asserts that it fails.

Partners here answer exactly as a partner would: through their personal link, page by page.
"""

from __future__ import annotations

import difflib
import io
import re
from html import unescape

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError

from partenariat.database import db
from partenariat.models import AuditEntry, Campaign, ControversyReport, Draft, Invitation, Release
from partenariat.services.invitation import Invitee, invite
from questionnaires import load_instrument
from tests.conftest import csrf_token, login
from tests.factories import campaign, committed, links, release, responses

INSTRUMENT = load_instrument()
ITEMS = INSTRUMENT.item_codes
SECTIONS = [s.code for s in INSTRUMENT.sections]


# — partners, as they would answer —

def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def save_draft(client, token, answers: dict, sector="communautaire", report: str | None = None):
    """Open the link, choose a sector, save ``answers`` (and a controversy report), do not send."""
    client.post(f"/r/{token}", data={"csrf_token": csrf_token(_page(client, f"/r/{token}")), "sector": sector})
    for section in SECTIONS:
        html = _page(client, f"/r/{token}/{section}")
        mine = {code: value for code, value in answers.items() if code in INSTRUMENT.section(section).items}
        extra = {"report_title": report, "report_description": "Le budget de Frank"} if report and section == "controversies" else {}
        response = client.post(f"/r/{token}/{section}", data={"csrf_token": csrf_token(html), "action": "save",
                                                             **mine, **extra})
        assert response.status_code == 302


def send(client, token, value="A", sector="communautaire", report: str | None = None):
    save_draft(client, token, dict.fromkeys(ITEMS, value), sector, report)
    html = _page(client, f"/r/{token}/review")
    response = client.post(f"/r/{token}/review", data={"csrf_token": csrf_token(html), "confirm": "y"})
    assert response.status_code == 302


@pytest.fixture
def table(app, accounts):
    """Table A's open campaign (k = 3) with six personal links; signed-in coordinator client."""
    def build(session):
        made = campaign(session, "Table A", 2026)
        return made.id, links(session, made, 6, sector="communautaire")

    campaign_id, tokens = committed(app, build)
    return {"id": campaign_id, "tokens": tokens, **accounts}


@pytest.fixture
def coordinator(app, table):
    client = app.test_client()
    login(client, "coord@example.org")
    return client


def _post(client, url, **data):
    token = csrf_token(_page(client, "/coordination/"))
    return client.post(url, data={"csrf_token": token, **data}, follow_redirects=True)


def content(html: str) -> str:
    """What a page shows, without the per-session form tokens."""
    html = re.sub(r'name="csrf_token"[^>]*?value="[^"]*"', "", html)
    return re.sub(r'content="[^"]*"\s+name="csrf-token"|name="csrf-token"\s+content="[^"]*"', "", html)


def portrait_json(client, campaign_id) -> dict:
    return client.get(f"/coordination/campaigns/{campaign_id}/portrait.json").get_json()


# — Critical: a renewed link opens the partner's draft —

def test_a_link_shown_to_the_coordinator_never_opens_the_partners_draft(app, table, coordinator):
    frank = table["tokens"][0]
    partner = app.test_client()
    save_draft(partner, frank, dict.fromkeys(INSTRUMENT.section("conditions").items, "C"), sector="municipal",
               report="Frank n'est pas d'accord")
    with app.app_context():
        invitation_id = db().scalar(select(Invitation.id).where(Invitation.status == "started"))
    url = f"/coordination/campaigns/{table['id']}/invitations/{invitation_id}/new-link"
    warning = unescape(_page(coordinator, url))
    assert "les réponses qu'il a enregistrées sont supprimées" in warning  # said before confirming
    shown = coordinator.post(url, data={"csrf_token": csrf_token(warning), "how": "screen"}).get_data(as_text=True)
    new_link = re.search(r"(/r/[A-Za-z0-9_-]{20,})", shown).group(1)
    attacker = app.test_client()
    welcome = _page(attacker, new_link)
    assert not [tag for tag in re.findall(r"<option [^>]*>", welcome) if "selected" in tag and "municipal" in tag]
    conditions = _page(attacker, f"{new_link}/conditions")
    assert " checked" not in conditions  # not one of Frank's answers
    controversies = _page(attacker, f"{new_link}/controversies")
    assert "Frank" not in controversies
    assert attacker.get(f"/r/{frank}").status_code == 404  # the old link is gone…
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(Draft)) == 0  # …and its draft with it
        assert db().get(Invitation, invitation_id).status == "invited"


def test_only_an_emailed_link_carries_the_draft_and_it_is_never_displayed(app, table, coordinator):
    from tests.smtp_sink import SmtpSink

    with app.app_context():
        [(invitation, token)] = invite(db(), db().get(Campaign, table["id"]), [Invitee(label="Frank", email="frank@example.org")])
        db().commit()
        invitation_id = invitation.id
    save_draft(app.test_client(), token, {"C01": "C"})
    with SmtpSink() as sink:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.server_address[1], MAIL_USE_TLS=False)
        url = f"/coordination/campaigns/{table['id']}/invitations/{invitation_id}/new-link"
        page = coordinator.post(url, data={"csrf_token": csrf_token(_page(coordinator, url)), "how": "email"},
                                follow_redirects=True).get_data(as_text=True)
        [message] = sink.messages
    emailed = re.search(r"https?://[^/\s]+(/r/\S+)", message.get_content()).group(1)
    assert emailed not in page and "/r/" not in page.split("<main")[1].split("</main>")[0].replace('href="/r/', "")
    resumed = _page(app.test_client(), f"{emailed}/conditions")
    assert any('name="C01"' in tag and 'value="C"' in tag and "checked" in tag for tag in re.findall(r"<input [^>]*>", resumed))


# — High: differencing two views —

def test_one_more_partner_changes_no_view_until_k_more_have_sent(app, table, coordinator):
    for token in table["tokens"][:3]:
        send(app.test_client(), token, "A")
    _post(coordinator, f"/coordination/campaigns/{table['id']}/release")
    before = portrait_json(coordinator, table["id"])
    workbook_before = coordinator.get(f"/coordination/campaigns/{table['id']}/workbook.xlsx?lang=en").data
    assert before["n_submitted"] == 3

    send(app.test_client(), table["tokens"][3], "C")  # Dave sends, and the coordinator knows it
    after = portrait_json(coordinator, table["id"])
    assert after == before  # nothing to subtract
    rows = list(load_workbook(io.BytesIO(coordinator.get(
        f"/coordination/campaigns/{table['id']}/workbook.xlsx?lang=en").data))["Individual answers"].iter_rows(values_only=True))
    assert len(rows) == 1 + 3 and len(list(load_workbook(io.BytesIO(workbook_before))["Individual answers"].iter_rows())) == 4
    page = unescape(_post(coordinator, f"/coordination/campaigns/{table['id']}/release").get_data(as_text=True))
    assert "Pas de diffusion" in page and "2 de plus sont nécessaires" in page
    assert "1 réponse attend la prochaine diffusion" in page

    for token in table["tokens"][4:6]:
        send(app.test_client(), token, "C")
    _post(coordinator, f"/coordination/campaigns/{table['id']}/release")
    assert portrait_json(coordinator, table["id"])["n_submitted"] == 6  # Dave now hides among 3 new answers


def test_the_published_view_and_funder_rows_follow_releases_only(app, table, coordinator):
    tokens = table["tokens"]
    for token in tokens[:3]:
        send(app.test_client(), token, "A")
    _post(coordinator, f"/coordination/campaigns/{table['id']}/release")
    _post(coordinator, f"/coordination/campaigns/{table['id']}/publish", published="1", confirmed="1")
    with app.app_context():
        db().get(Campaign, table["id"]).shared_with_funders = True
        db().commit()
    funder = app.test_client()
    login(funder, "funder@example.org")
    partner = app.test_client()
    published = content(_page(partner, f"/r/{tokens[0]}"))
    funder_view = content(_page(funder, "/funder/"))
    assert "100" in published and "3" in funder_view
    send(app.test_client(), tokens[3], "C")
    again = content(_page(partner, f"/r/{tokens[0]}"))
    assert again == published, "\n".join(difflib.unified_diff(published.splitlines(), again.splitlines(), lineterm=""))
    assert content(_page(funder, "/funder/")) == funder_view


def test_the_sector_breakdown_is_withheld_when_a_sector_moved_by_fewer_than_k(app, accounts):
    def build(session):
        made = campaign(session, "Table A", 2026)
        responses(session, made, 5, sector="communautaire")
        responses(session, made, 3, sector="institutionnel")
        release(session, made)
        responses(session, made, 2, sector="communautaire", value="C")  # 2 + 1: each sector moves by < k
        responses(session, made, 1, sector="institutionnel", value="C")
        release(session, made)
        return made.id

    campaign_id = committed(app, build)
    client = app.test_client()
    login(client, "coord@example.org")
    data = portrait_json(client, campaign_id)
    assert data["n_submitted"] == 11 and data["groups"] == [] and data["groups_withheld"] is True
    assert "Retenu dans cette diffusion" in unescape(_page(client, f"/coordination/campaigns/{campaign_id}/portrait"))


# — High: individual rows identify people —

def test_individual_rows_carry_answers_only_in_a_fresh_order(app, accounts):
    def build(session):
        made = campaign(session, "Table A", 2026)
        for n, value in enumerate("ABCABC"):
            responses(session, made, 1, value=value, sector="municipal" if n == 0 else "communautaire",
                      lang="en" if n == 1 else "fr")
        release(session, made)
        return made.id

    campaign_id = committed(app, build)
    client = app.test_client()
    login(client, "coord@example.org")
    orders = set()
    for _attempt in range(6):
        sheet = load_workbook(io.BytesIO(client.get(f"/coordination/campaigns/{campaign_id}/workbook.xlsx?lang=en").data))[
            "Individual answers"]
        header, *rows = list(sheet.iter_rows(values_only=True))
        assert list(header) == ["Pseudonym", *ITEMS]  # no sector, no language
        orders.add(tuple(row[1] for row in rows))
    assert len(orders) > 1  # the rows are shuffled afresh for each download (1 chance in 20⁵ to fail)


# — High: padding —

def test_entered_rows_cannot_pad_one_online_partner(app, table, coordinator):
    send(app.test_client(), table["tokens"][0], "C")
    header = ",".join(["respondent", "sector", "lang", *ITEMS])
    rows = "".join(f"P{n},communautaire,fr,{','.join(['A'] * len(ITEMS))}\n" for n in range(2))
    coordinator.post(f"/coordination/campaigns/{table['id']}/responses", content_type="multipart/form-data",
                     data={"csrf_token": csrf_token(_page(coordinator, f"/coordination/campaigns/{table['id']}")),
                           "responses-file": (io.BytesIO(f"{header}\n{rows}".encode()), "padding.csv")})
    page = unescape(_post(coordinator, f"/coordination/campaigns/{table['id']}/release").get_data(as_text=True))
    assert "Pas de diffusion" in page and "par un lien" in page
    assert portrait_json(coordinator, table["id"])["suppressed"] is True
    with app.app_context():
        [entry] = db().scalars(select(AuditEntry).where(AuditEntry.action == "import_responses")).all()
        assert entry.actor == "coord@example.org" and entry.detail["responses"] == 2  # every import is on record


def test_a_row_without_any_a_b_or_c_is_refused(app, table, coordinator):
    header = ",".join(["respondent", "sector", "lang", *ITEMS])
    empty = f"P1,communautaire,fr,{','.join(['NSP'] * len(ITEMS))}\n"
    page = coordinator.post(f"/coordination/campaigns/{table['id']}/responses", content_type="multipart/form-data",
                            data={"csrf_token": csrf_token(_page(coordinator, f"/coordination/campaigns/{table['id']}")),
                                  "responses-file": (io.BytesIO(f"{header}\n{empty}".encode()), "empty.csv")})
    assert page.status_code == 400 and "aucune réponse A, B ou C" in unescape(page.get_data(as_text=True))


@pytest.mark.parametrize("k", ["1", "2"])
def test_k_below_3_is_refused_by_the_form_the_cli_and_the_database(app, accounts, runner, k):
    client = app.test_client()
    login(client, "coord@example.org")
    url = f"/coordination/partnerships/{accounts['Table A']}/campaigns/new"
    refused = client.post(url, data={"csrf_token": csrf_token(_page(client, url)), "year": "2027", "k": k,
                                     "languages": ["fr"], "specific_project": "y", "bounded_in_time": "y",
                                     "resources": "y", "beyond_information": "y"})
    assert refused.status_code == 400 and "entre 3 et 50" in unescape(refused.get_data(as_text=True))
    result = runner.invoke(args=["create-campaign", "--partnership", "X", "--year", "2026", "--k", k],
                           env={"PARTENARIAT_LANG": "en"})
    assert result.exit_code == 1 and "between 3 and 50" in result.output
    with app.app_context(), pytest.raises(IntegrityError):
        db().execute(insert(Campaign).values(partnership_id=accounts["Table A"], year=2030, title="x", k=int(k),
                                             status="draft", instrument_version="2026.1", languages="fr"))
        db().flush()


# — High: partners' controversy reports —

def test_a_report_reaches_the_register_only_with_a_release_and_without_a_trace(app, table, coordinator):
    register = f"/coordination/partnerships/{table['Table A']}/controversies"
    send(app.test_client(), table["tokens"][0], report="Frank n'est pas d'accord")
    assert "Frank" not in _page(coordinator, register)  # his row just flipped to "sent": not a word yet
    for token in table["tokens"][1:3]:
        send(app.test_client(), token)
    _post(coordinator, f"/coordination/campaigns/{table['id']}/release")
    assert "Frank n&#39;est pas d&#39;accord" in _page(coordinator, register)
    with app.app_context():
        [report] = db().scalars(select(ControversyReport)).all()
        assert re.fullmatch(r"[0-9a-f]{32}", report.id)  # no sequence to line up with submissions
        assert report.release_number == 1


def test_at_most_ten_reports_per_draft(app, table):
    partner = app.test_client()
    token = table["tokens"][0]
    save_draft(partner, token, {})
    for n in range(12):
        html = _page(partner, f"/r/{token}/controversies")
        partner.post(f"/r/{token}/controversies", data={"csrf_token": csrf_token(html), "action": "save",
                                                        "report_title": f"Désaccord {n}"})
    with app.app_context():
        assert len(db().scalar(select(Draft)).data["reports"]) == 10


# — Medium: funders —

def test_funders_need_max_of_k_and_k_funder(app, accounts):
    """k = 8 and 6 responses used to reach funders (6 ≥ k_funder = 5)."""
    from partenariat.services import funding

    def build(session):
        strict = campaign(session, "Table A", 2025, k=8)
        responses(session, strict, 6)
        strict.shared_with_funders = True
        return strict.id

    campaign_id = committed(app, build)
    client = app.test_client()
    login(client, "coord@example.org")
    assert "moins de 8 réponses" in unescape(_page(client, f"/coordination/campaigns/{campaign_id}/sharing"))
    with app.app_context():
        strict = db().get(Campaign, campaign_id)
        [row] = funding.rows_for(db(), strict, 5)
        assert row.reason is not None and row.n == 0 and all(v is None for v in row.scores.values())
        responses(db(), strict, 3)
        release(db(), strict)  # 9 responses, released
        [row] = funding.rows_for(db(), strict, 5)
        assert row.reason is None and row.n == 9
        [row] = funding.rows_for(db(), strict, 10)  # a funders' threshold above the campaign's k wins
        assert row.reason is not None and all(v is None for v in row.scores.values())


# — Medium/low: what the database keeps —

def test_the_database_keeps_no_way_back_from_a_response_to_its_author(app, table):
    send(app.test_client(), table["tokens"][0], report="Un désaccord")
    with app.app_context():
        columns = {c["name"] for c in db().get_bind().dialect.get_columns(db().connection(), "invitation")}
        assert "submitted_at" not in columns
        report_columns = {c["name"] for c in db().get_bind().dialect.get_columns(db().connection(), "controversy_report")}
        assert "response_id" not in report_columns and "created_at" not in report_columns
        if db().get_bind().dialect.name == "sqlite":
            for table_name in ("response", "answer", "controversy_report"):
                sql = db().scalar(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": table_name})
                assert "WITHOUT ROWID" in sql.upper(), table_name  # stored in random-key order


def test_links_csv_cells_cannot_become_formulas(app, table, coordinator):
    page = _page(coordinator, f"/coordination/campaigns/{table['id']}")
    download = coordinator.post(f"/coordination/campaigns/{table['id']}/invitations",
                                data={"csrf_token": csrf_token(page), "kind": "one", "one-label": "=HYPERLINK(\"x\")",
                                      "download": "csv"})
    body = download.get_data(as_text=True)
    assert "'=HYPERLINK" in body and "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_a_title_with_a_line_break_is_refused(app, accounts, runner):
    result = runner.invoke(args=["create-campaign", "--partnership", "X", "--year", "2026", "--title", "A\r\nBcc: x"],
                           env={"PARTENARIAT_LANG": "en"})
    assert result.exit_code == 1 and "single line" in result.output


def test_seed_demo_refuses_a_database_with_other_partnerships(app, table, runner):
    result = runner.invoke(args=["seed-demo"], env={"PARTENARIAT_LANG": "en"})
    assert result.exit_code == 1 and "--force" in result.output
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(Release)) == 0


def test_the_release_and_close_commands(app, runner, table):
    tokens = table["tokens"]
    for token in tokens[:2]:
        send(app.test_client(), token)
    refused = runner.invoke(args=["release", str(table["id"])], env={"PARTENARIAT_LANG": "en"})
    assert refused.exit_code == 1 and "1 more is needed" in refused.output
    send(app.test_client(), tokens[2])
    made = runner.invoke(args=["release", str(table["id"])], env={"PARTENARIAT_LANG": "en"})
    assert made.exit_code == 0 and "counts 3 responses (3 through links, 0 entered)" in made.output
    send(app.test_client(), tokens[3])
    closed = runner.invoke(args=["close", str(table["id"])], env={"PARTENARIAT_LANG": "en"})
    assert closed.exit_code == 0 and "is closed" in closed.output and "No final release" in closed.output
    with app.app_context():
        assert db().get(Campaign, table["id"]).status == "closed"
        assert db().scalar(select(func.count()).select_from(Release)) == 1


def test_a_published_portrait_without_a_release_shows_partners_nothing(app, table, coordinator):
    token = table["tokens"][0]
    send(app.test_client(), token, "A")
    _post(coordinator, f"/coordination/campaigns/{table['id']}/publish", published="1", confirmed="1")
    page = unescape(_page(app.test_client(), f"/r/{token}"))
    assert "Portrait du groupe" in page and "au moins 3 personnes" in page and "<img" not in page
