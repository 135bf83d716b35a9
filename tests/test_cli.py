"""The command line of SPEC §6 for the foundation: init-db, seed-demo, create-campaign, invite,
import-responses (all or nothing, errors naming row and column)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from partenariat.database import db
from partenariat.models import Answer, Campaign, Invitation, Partnership, Response
from questionnaires import load_instrument

ITEMS = load_instrument().item_codes
HEADER = ",".join(["respondent", "sector", "lang", *ITEMS])


@pytest.fixture(autouse=True)
def english_cli(monkeypatch):
    monkeypatch.setenv("PARTENARIAT_LANG", "en")


def run(runner, *args):
    return runner.invoke(args=list(args), catch_exceptions=False)


def row(respondent, sector="communautaire", lang="fr", answers=None, default="A"):
    answers = answers or {}
    return ",".join([respondent, sector, lang, *(answers.get(code, default) for code in ITEMS)])


def total(app, model):
    with app.app_context():
        return db().scalar(select(func.count()).select_from(model))


def new_campaign(runner, *extra):
    result = run(runner, "create-campaign", "--partnership", "Concertation Val-des-Cèdres", "--year", "2026", *extra)
    assert result.exit_code == 0, result.output
    return int(result.stdout.strip())


def test_init_db_is_idempotent(runner):
    assert run(runner, "init-db").exit_code == 0
    assert "up to date" in run(runner, "init-db").output


def test_create_campaign_prints_its_id_and_creates_the_partnership_once(app, runner):
    first = new_campaign(runner, "--title", "Portrait 2026", "--k", "4")
    second = run(runner, "create-campaign", "--partnership", "Concertation Val-des-Cèdres", "--year", "2027")
    assert second.exit_code == 0 and int(second.stdout) == first + 1
    with app.app_context():
        campaign = db().get(Campaign, first)
        assert (campaign.title, campaign.k, campaign.status, campaign.year) == ("Portrait 2026", 4, "open", 2026)
        assert db().get(Campaign, first + 1).title == "Portrait 2027"
    assert total(app, Partnership) == 1


def test_create_campaign_refuses_bad_values(runner):
    result = run(runner, "create-campaign", "--partnership", "X", "--year", "1850")
    assert result.exit_code == 1 and "between 2000 and 2100" in result.output
    result = run(runner, "create-campaign", "--partnership", "X", "--year", "2026", "--k", "0")
    assert result.exit_code == 1 and "between 3 and 50" in result.output
    result = run(runner, "create-campaign", "--partnership", "X", "--year", "2026", "--k", "2")
    assert result.exit_code == 1 and "between 3 and 50" in result.output


def test_invite_count_prints_working_links(app, runner, client):
    campaign_id = new_campaign(runner)
    result = run(runner, "invite", str(campaign_id), "--count", "3")
    links = result.stdout.split()
    assert result.exit_code == 0 and len(links) == 3 and len(set(links)) == 3
    assert all(link.startswith("http://127.0.0.1:5000/r/") for link in links)
    for link in links:
        token = link.rsplit("/", 1)[1]
        assert len(token) >= 32
        assert client.get(f"/r/{token}").status_code == 200
    with app.app_context():
        stored = [i.token_hash for i in db().scalars(select(Invitation))]
    assert all(link.rsplit("/", 1)[1] not in stored for link in links)  # hashed at rest


def test_invite_roster_and_its_errors(app, runner, tmp_path):
    campaign_id = new_campaign(runner)
    roster = tmp_path / "roster.csv"
    roster.write_text("label;email;sector;language\nCDC;cdc@example.org;communautaire;fr\nCIUSSS;;institutionnel;en\n", encoding="utf-8-sig")
    result = run(runner, "invite", str(campaign_id), "--roster", str(roster))
    assert result.exit_code == 0 and len(result.stdout.split()) == 2
    with app.app_context():
        labels = [(i.label, i.sector, i.language) for i in db().scalars(select(Invitation).order_by(Invitation.id))]
    assert labels == [("CDC", "communautaire", "fr"), ("CIUSSS", "institutionnel", "en")]

    roster.write_text("label,email,sector,language\nA,not-an-email,communautaire,fr\nB,,banque,de\n")
    result = run(runner, "invite", str(campaign_id), "--roster", str(roster))
    assert result.exit_code == 1
    assert "Row 2, column email" in result.output
    assert "Row 3, column sector" in result.output and "Row 3, column language" in result.output
    assert total(app, Invitation) == 2

    assert run(runner, "invite", str(campaign_id)).exit_code == 1
    assert "No campaign has the id 999" in run(runner, "invite", "999", "--count", "1").output


def test_import_csv_stores_every_row(app, runner, tmp_path):
    campaign_id = new_campaign(runner)
    path = tmp_path / "responses.csv"
    path.write_text("\n".join([
        HEADER,
        row("P1", answers={"C01": "b", "C02": "", "K5_3": "nsp"}),
        row("P2", sector="citoyen", lang="en", default="C"),
    ]) + "\n")
    result = run(runner, "import-responses", str(campaign_id), str(path))
    assert result.exit_code == 0, result.output
    assert "2 responses imported" in result.output
    with app.app_context():
        responses = db().scalars(select(Response).order_by(Response.sector)).all()
        assert [(r.sector, r.lang, r.source) for r in responses] == [("citoyen", "en", "import"), ("communautaire", "fr", "import")]
        first = {a.item_code: a.value for a in responses[1].answers}
        assert first["C01"] == "B" and "C02" not in first and first["K5_3"] == "NSP" and len(first) == 35


def test_import_with_errors_changes_nothing_and_names_row_and_column(app, runner, tmp_path):
    campaign_id = new_campaign(runner)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([
        HEADER,
        row("P1"),
        row("P2", answers={"C07": "D"}),
        row("P3", sector="banque"),
        row("P1", lang="es"),
    ]) + "\n")
    result = run(runner, "import-responses", str(campaign_id), str(path))
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output
    assert "Row 3, column C07: 'D' is not an answer" in result.output
    assert "Row 4, column sector" in result.output
    assert "Row 5, column lang" in result.output and "Row 5, column respondent" in result.output
    assert total(app, Response) == 0 and total(app, Answer) == 0


def test_import_reports_missing_and_unknown_columns(app, runner, tmp_path):
    campaign_id = new_campaign(runner)
    path = tmp_path / "cols.csv"
    renamed = ITEMS[-1]
    path.write_text(HEADER.replace(f",{renamed}", ",ZZ9") + "\n" + row("P1") + "\n")
    result = run(runner, "import-responses", str(campaign_id), str(path))
    assert result.exit_code == 1
    assert f"Column {renamed}: this column is missing." in result.output
    assert "Column zz9: unknown column." in result.output


def test_import_semicolon_bom_and_windows_encoding(app, runner, tmp_path):
    campaign_id = new_campaign(runner)
    path = tmp_path / "excel-fr.csv"
    lines = [HEADER.replace(",", ";"), row("Hélène").replace(",", ";")]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    assert run(runner, "import-responses", str(campaign_id), str(path)).exit_code == 0
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    assert run(runner, "import-responses", str(campaign_id), str(path)).exit_code == 0
    assert total(app, Response) == 2


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_import_xlsx_and_refuses_numbers_and_dates_in_answer_cells(app, runner, tmp_path):
    import datetime

    campaign_id = new_campaign(runner)
    header = ["respondent", "sector", "lang", *ITEMS]
    good = ["R1", "municipal", "fr", *(["B"] * len(ITEMS))]
    path = tmp_path / "ok.xlsx"
    path.write_bytes(xlsx_bytes([header, good, [None] * len(header)]))
    result = run(runner, "import-responses", str(campaign_id), str(path))
    assert result.exit_code == 0 and "1 responses imported" in result.output

    bad = list(good)
    bad[3] = 2
    bad[4] = datetime.date(2026, 3, 1)
    path.write_bytes(xlsx_bytes([header, good, bad]))
    result = run(runner, "import-responses", str(campaign_id), str(path))
    assert result.exit_code == 1
    assert "Row 3, column C01: the cell holds a number" in result.output
    assert "Row 3, column C02: the cell holds a date" in result.output
    assert total(app, Response) == 1


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("x.csv", b"", "The file is empty."),
        ("x.csv", b"\x00\x01\x02binary", "looks binary"),
        ("x.xlsx", b"PK\x03\x04 not really a zip", "cannot be opened"),
        ("x.pdf", b"%PDF-1.4", "Only CSV and XLSX"),
        ("x.csv", HEADER.encode() + b"\n", "no response rows"),
    ],
)
def test_import_unreadable_files_get_a_clear_message(app, runner, tmp_path, filename, content, message):
    campaign_id = new_campaign(runner)
    path = tmp_path / filename
    path.write_bytes(content)
    result = run(runner, "import-responses", str(campaign_id), str(path))
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output
    assert total(app, Response) == 0


def test_cli_speaks_french_when_the_shell_does(runner, monkeypatch, tmp_path):
    monkeypatch.delenv("PARTENARIAT_LANG")
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    result = run(runner, "import-responses", "42", str(tmp_path / "none.csv"))
    assert result.exit_code == 1 and "Aucune campagne ne porte le numéro 42" in result.output


def test_seed_demo_loads_three_campaigns_and_prints_links(app, runner, client):
    result = run(runner, "seed-demo")
    assert result.exit_code == 0, result.output
    links = [word for word in result.output.split() if "/r/" in word]
    assert len(links) == 7
    assert "coordination@demo.partenariat.test / demo-coordination-2026" in result.output
    with app.app_context():
        demo = db().scalar(select(Partnership).where(Partnership.name == "Table de quartier des Érables (démo)"))
        campaigns = db().scalars(select(Campaign).where(Campaign.partnership_id == demo.id).order_by(Campaign.year)).all()
        assert [c.status for c in campaigns] == ["closed", "closed", "open"]
        submitted = [db().scalar(select(func.count()).where(Response.campaign_id == c.id)) for c in campaigns]
        assert submitted == [14, 16, 5]
        values = {a.value for a in db().scalars(select(Answer))}
        assert values == {"A", "B", "C", "NSP"}
    assert client.get("/r/" + links[0].rsplit("/", 1)[1]).status_code == 200
    # Reloading replaces the demo rather than duplicating it.
    assert run(runner, "seed-demo").exit_code == 0
    assert total(app, Campaign) == 4 and total(app, Partnership) == 2
