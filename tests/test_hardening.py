"""Hardening found by a hostile review: bounded spreadsheet reading, no open redirect,
sign-in limits that do not lock owners out, logout that ends the session, cache and proxy
headers. Each test replays the attack."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from partenariat import database
from partenariat.database import db
from partenariat.models import Invitation, Response
from partenariat.services.importing import parse, template_header
from partenariat.services.invitation import parse_roster
from partenariat.services.problems import FileRejected
from questionnaires import load_instrument
from tests.conftest import csrf_token, login
from tests.factories import xlsx_bytes as workbook

ROOT = Path(__file__).resolve().parent.parent
INSTRUMENT = load_instrument()
HEADER = template_header(INSTRUMENT)

# --- 1. Bounded XLSX reading -----------------------------------------------------------

# The limits, written out: a header and 5,000 rows, 200 columns, 20 MB once unzipped.
MAX_ROWS, MAX_COLUMNS, MAX_UNCOMPRESSED = 5000, 200, 20 * 1024 * 1024

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def handmade_xlsx(sheet_body: str, dimension: str | None = None, extra_parts: dict[str, bytes] | None = None) -> bytes:
    """The smallest workbook Excel and openpyxl open, with the sheet XML written by hand."""
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{OFFICE_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{OFFICE_RELS}">'
            '<sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{OFFICE_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dimension_xml}'
            f"<sheetData>{sheet_body}</sheetData></worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        for name, data in (extra_parts or {}).items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def inline_row(number: int, values: list[str]) -> str:
    from openpyxl.utils import get_column_letter

    cells = "".join(f'<c r="{get_column_letter(i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
                    for i, v in enumerate(values, start=1))
    return f'<row r="{number}">{cells}</row>'


def huge_dimension_xlsx() -> bytes:
    """The reviewer's file: a header, one response and an empty last cell of the grid, which
    the sheet declares whole; openpyxl pads each of the million rows to 16,384 cells."""
    body = (inline_row(1, HEADER) + inline_row(2, ["P1", "citoyen", "fr", *(["A"] * len(INSTRUMENT.item_codes))])
            + '<row r="1048576"><c r="XFD1048576"/></row>')
    return handmade_xlsx(body, dimension="A1:XFD1048576")




def zip_bomb_xlsx() -> bytes:
    # A tiny valid sheet plus a part that inflates past the limit (it compresses ~1000:1).
    body = inline_row(1, HEADER)
    return handmade_xlsx(body, extra_parts={"xl/media/image1.bin": b"\0" * (MAX_UNCOMPRESSED + 1024)})


ANSWERS = ["A"] * len(INSTRUMENT.item_codes)

BAD_FILES = {
    "huge dimension": (huge_dimension_xlsx, "5000 rows"),
    "zip bomb": (zip_bomb_xlsx, "20 MB"),
    "too many rows": (lambda: workbook([HEADER, *[[f"P{i}", "citoyen", "fr", *ANSWERS] for i in range(MAX_ROWS + 1)]]),
                      "5000 rows"),
    "too many columns": (lambda: workbook([[*HEADER, *[f"x{i}" for i in range(MAX_COLUMNS - len(HEADER) + 1)]]]),
                         "200 columns"),
    "too many cells hand-written": (lambda: handmade_xlsx("<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 50_000 + "</row>"),
                                    "200 columns"),
}


def test_the_reviewer_file_is_small_and_declares_the_whole_grid():
    data = huge_dimension_xlsx()
    assert len(data) < 2500  # about the 1.6 KB of the report
    assert len(zip_bomb_xlsx()) < 100_000  # and the bomb is small too


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bounded_files_are_refused_by_both_importers(kind):
    build, expected = BAD_FILES[kind]
    data = build()
    with pytest.raises(FileRejected) as responses:
        parse(data, "responses.xlsx", INSTRUMENT)
    assert expected in str(responses.value)
    with pytest.raises(FileRejected) as roster:
        parse_roster(data, "roster.xlsx")
    assert expected in str(roster.value)


def test_csv_is_bounded_the_same_way():
    rows = "\n".join(f"P{i},citoyen,fr," + ",".join(ANSWERS) for i in range(MAX_ROWS + 1))
    with pytest.raises(FileRejected) as error:
        parse((",".join(HEADER) + "\n" + rows).encode(), "responses.csv", INSTRUMENT)
    assert "5000 rows" in str(error.value)
    with pytest.raises(FileRejected) as error:
        parse_roster(("label," * (MAX_COLUMNS + 1)).encode(), "roster.csv")
    assert "200 columns" in str(error.value)


def test_files_at_the_limits_still_import():
    exactly = workbook([HEADER, *[[f"P{i}", "citoyen", "fr", *ANSWERS] for i in range(MAX_ROWS)]])
    assert len(parse(exactly, "responses.xlsx", INSTRUMENT)) == MAX_ROWS
    # A declared dimension smaller than the data (some generators write A1): no row is lost.
    body = inline_row(1, HEADER) + "".join(inline_row(n, [f"P{n}", "prive", "en", *ANSWERS]) for n in (2, 3, 4))
    parsed = parse(handmade_xlsx(body, dimension="A1"), "responses.xlsx", INSTRUMENT)
    assert [(r.sector, r.lang, r.answers["C01"]) for r in parsed] == [("prive", "en", "A")] * 3


@pytest.mark.parametrize("kind", BAD_FILES)
def test_upload_of_a_bounded_file_is_a_clear_400_and_writes_nothing(app, client, accounts, make_campaign, kind):
    build, expected = BAD_FILES[kind]
    cid, _tokens = make_campaign(3, partnership="Table A")
    login(client, "coord@example.org")
    html = client.get(f"/coordination/campaigns/{cid}").get_data(as_text=True)
    response = client.post(f"/coordination/campaigns/{cid}/responses", content_type="multipart/form-data",
                           data={"csrf_token": csrf_token(html), "responses-file": (io.BytesIO(build()), "import.xlsx")})
    text = response.get_data(as_text=True)
    french = {"5000 rows": "plus de 5000 lignes", "20 MB": "plus de 20 Mo", "200 columns": "plus de 200 colonnes"}
    assert response.status_code == 400 and french[expected] in text and "Rien n&#39;a été importé" in text
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(Response).where(Response.campaign_id == cid)) == 0
        assert db().scalar(select(func.count()).select_from(Invitation).where(Invitation.campaign_id == cid)) == 3


def test_reading_the_reviewer_file_under_a_memory_cap_ends_with_the_clear_error(tmp_path):
    path = tmp_path / "huge.xlsx"
    path.write_bytes(huge_dimension_xlsx())
    script = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({700 * 1024 * 1024}, {700 * 1024 * 1024}))
from partenariat.tabular import TabularError, read_table
try:
    read_table(open({str(path)!r}, "rb").read(), "huge.xlsx")
except TabularError as error:
    print("refused", error.code)
else:
    print("read")
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1"})
    assert "MemoryError" not in result.stderr
    assert result.returncode == 0 and result.stdout.strip() == "refused too_many_rows", result.stderr[-2000:]


# --- 2. No open redirect after sign-in -----------------------------------------------------

NASTY_NEXT = [
    "/\t/evil.example",  # browsers drop the tab: //evil.example
    "/\n/evil.example",  # and newlines; werkzeug refused the header with a 500
    "/\r\n/evil.example",
    "\t//evil.example",
    "/\\evil.example",  # browsers read a backslash as a slash
    "/\\/evil.example",
    "//evil.example",
    "///evil.example",
    "https:evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "evil.example",
    "/\u0000/evil.example",
    "/\u200b/evil.example",  # invisible format character
    "/\u2028/evil.example",  # line separator
    "\uff0f\uff0fevil.example",  # fullwidth solidus: // once normalised
    "/\uff0fevil.example",
]


def sign_in(client, next_value: str | None, email="coord@example.org", password="correct horse battery", ip="127.0.0.1"):
    environ = {"REMOTE_ADDR": ip}
    page = client.get("/account/login", environ_base=environ)
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "email": email, "password": password}
    if next_value is not None:
        data["next"] = next_value
    return client.post("/account/login", data=data, environ_base=environ)


@pytest.mark.parametrize("target", NASTY_NEXT)
def test_next_cannot_leave_the_site(app, accounts, target):
    client = app.test_client()
    response = sign_in(client, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/coordination/"
    # The login page itself shows the value without breaking either.
    assert client.get("/account/login", query_string={"next": target}).status_code == 200


def test_next_within_the_site_is_kept(app, accounts):
    for target in ("/coordination/partnerships/1/controversies", "/coordination/?tab=2#x", "/account/password"):
        response = sign_in(app.test_client(), target)
        assert response.headers["Location"] == target


# --- 3. Sign-in limits per address and place; an attacked account is slowed, not locked ---------


class Clock:
    def __init__(self, monkeypatch):
        from datetime import datetime

        self.now = datetime(2026, 3, 2, 9, 0, 0)
        monkeypatch.setattr("partenariat.services.accounts.utcnow", lambda: self.now)

    def advance(self, seconds: float):
        from datetime import timedelta

        self.now += timedelta(seconds=seconds)


def test_a_stranger_cannot_lock_the_owner_out(app, accounts, monkeypatch):
    Clock(monkeypatch)  # frozen: on a busy machine a second may pass between two requests
    stranger = app.test_client()
    for _ in range(5):
        assert sign_in(stranger, None, password="wrong password!", ip="198.51.100.7").status_code == 401
    refused = sign_in(stranger, None, ip="198.51.100.7")  # even the right password, from there
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "900"
    assert ("Trop de tentatives échouées pour cette adresse depuis cet ordinateur. Réessayez dans 15 minutes."
            in refused.get_data(as_text=True))
    owner = sign_in(app.test_client(), None)  # from the owner's own computer
    assert owner.status_code == 302 and owner.headers["Location"] == "/coordination/"


def test_one_ip_trying_many_addresses_is_refused_there_only(app, accounts):
    client = app.test_client()
    for n in range(30):
        assert sign_in(client, None, email=f"guess{n}@example.org", password="x" * 12, ip="198.51.100.8").status_code == 401
    refused = sign_in(client, None, email="coord@example.org", ip="198.51.100.8")
    assert refused.status_code == 429
    assert "Trop de tentatives échouées depuis cet ordinateur. Réessayez dans 15 minutes." in refused.get_data(as_text=True)
    assert sign_in(app.test_client(), None, email="coord@example.org", ip="198.51.100.9").status_code == 302


def test_a_spray_from_many_places_is_slowed_to_two_tries_a_minute_and_the_owner_gets_in(app, accounts, monkeypatch):
    clock = Clock(monkeypatch)
    client = app.test_client()
    for n in range(10):  # ten places, one guess each, a second apart: all checked
        assert sign_in(client, None, password=f"guess number {n}", ip=f"203.0.113.{n}").status_code == 401
        clock.advance(1)
    # Last failure 1 s ago: the account now takes one attempt per 30 s, owner included.
    slowed = sign_in(client, None, ip="192.0.2.1")
    text = slowed.get_data(as_text=True)
    assert slowed.status_code == 429 and slowed.headers["Retry-After"] == "29"
    assert "une tentative toutes les 30 secondes. Réessayez dans 29 secondes." in text
    clock.advance(29)
    owner = sign_in(client, None, ip="192.0.2.1")
    assert owner.status_code == 302 and owner.headers["Location"] == "/coordination/"
    # The spray goes on from fresh addresses, one try a second for a minute: two get through.
    statuses = []
    for n in range(60):
        statuses.append(sign_in(app.test_client(), None, password=f"spray {n}", ip=f"198.18.0.{n}").status_code)
        clock.advance(1)
    assert statuses.count(401) == 2 and statuses.count(429) == 58
    assert statuses[0] == 401 and statuses[30] == 401


def test_a_failure_is_kept_even_if_the_request_rolls_back(app, accounts):
    from partenariat.models import LoginAttempt, Partnership
    from partenariat.services.accounts import authenticate

    with app.app_context():
        session = db()
        session.add(Partnership(name="Pending, never committed"))  # the view's own work
        assert authenticate(session, "coord@example.org", "wrong password!", "198.51.100.10") is None
        session.rollback()  # the view failed later: its own work is undone
    with app.app_context():
        attempts = db().execute(select(LoginAttempt.email, LoginAttempt.ip)).all()
        assert attempts == [("coord@example.org", "198.51.100.10")]
        assert db().scalar(select(func.count()).select_from(Partnership).where(Partnership.name.like("Pending%"))) == 0


def test_a_success_forgives_only_the_owners_own_slips(app, accounts):
    from partenariat.models import LoginAttempt

    client = app.test_client()
    for _ in range(3):
        sign_in(client, None, password="wrong password!", ip="192.0.2.50")  # the owner's typos
        sign_in(client, None, password="wrong password!", ip="198.51.100.60")  # someone else
    assert sign_in(client, None, ip="192.0.2.50").status_code == 302
    with app.app_context():
        left = db().execute(select(LoginAttempt.ip)).scalars().all()
    assert left == ["198.51.100.60"] * 3


def test_unknown_addresses_cost_the_same_password_check(app, accounts, monkeypatch):
    from werkzeug.security import check_password_hash, generate_password_hash

    import partenariat.models.user
    import partenariat.services.accounts as accounts_service

    checked = []

    def counting(pwhash, password):
        checked.append(pwhash.split("$", 1)[0])
        return check_password_hash(pwhash, password)

    monkeypatch.setattr(partenariat.models.user, "check_password_hash", counting)
    monkeypatch.setattr(accounts_service, "check_password_hash", counting, raising=False)
    method = generate_password_hash("anything").split("$", 1)[0]
    with app.app_context():
        from partenariat.models import User

        session = db()
        session.add(User(email="invited@example.org", role="coordinator"))  # no password yet
        session.add(User(email="gone@example.org", role="coordinator", active=False,
                         password_hash=generate_password_hash("correct horse battery")))
        session.commit()
        for email in ("coord@example.org", "nobody@example.org", "invited@example.org", "gone@example.org"):
            checked.clear()
            assert accounts_service.authenticate(session, email, "wrong password!", "192.0.2.99") is None
            assert checked == [method], email  # one hash check, of the same kind, every time
    assert accounts_service._dummy_hash() is accounts_service._dummy_hash()


# --- 4. Signing out ends the session on the server too ---------------------------------------


def test_a_cookie_copied_before_sign_out_no_longer_signs_in(app, accounts):
    owner = app.test_client()
    assert sign_in(owner, None).status_code == 302
    copied = owner.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/coordination/").status_code == 200  # the copy works while signed in
    html = owner.get("/coordination/").get_data(as_text=True)
    assert owner.post("/account/logout", data={"csrf_token": csrf_token(html)}).status_code == 302
    later = app.test_client()
    later.set_cookie("session", copied)
    response = later.get("/coordination/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/login")
    # The owner signs in again as usual.
    assert sign_in(app.test_client(), None).status_code == 302


# --- 5. Cache, HSTS and proxy headers ----------------------------------------------------------


@pytest.fixture
def make_app(database_url, tmp_path, monkeypatch):
    """Another app on the test database, built after the environment is set."""
    from app import create_app

    made = []

    def make(**overrides):
        monkeypatch.setenv("DATABASE_URL", database_url)
        monkeypatch.setenv("SECRET_KEY", "test-secret")
        app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                          "CHART_CACHE_DIR": str(tmp_path / "chart-cache"), **overrides})
        made.append(app)
        return app

    yield make
    for app in made:
        database.dispose(app)


def test_partner_pages_and_downloads_are_never_cached(client, make_campaign, accounts):
    cid, [token] = make_campaign(partnership="Table A")
    for url in (f"/r/{token}", f"/r/{token}/conditions", f"/r/{token}/controversies", "/r/not-a-real-link"):
        assert client.get(url).headers.get("Cache-Control") == "no-store", url
    assert "no-store" not in client.get("/methodology").headers.get("Cache-Control", "")
    login(client, "coord@example.org")
    for url in (f"/coordination/campaigns/{cid}/entry-template.xlsx", f"/coordination/campaigns/{cid}/portrait.json"):
        download = client.get(url)
        assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"], url
        assert download.headers["Cache-Control"] == "no-store", url


def test_hsts_only_with_secure_cookies(make_app, monkeypatch):
    monkeypatch.delenv("PARTENARIAT_SECURE_COOKIES", raising=False)
    assert "Strict-Transport-Security" not in make_app().test_client().get("/").headers
    monkeypatch.setenv("PARTENARIAT_SECURE_COOKIES", "1")
    secure = make_app().test_client().get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


def guess_links(client, forwarded_for: str) -> None:
    for attempt in range(30):
        assert client.get(f"/r/wrong-{attempt}", headers={"X-Forwarded-For": forwarded_for}).status_code == 404


def test_forwarded_address_counts_only_behind_trusted_proxies(make_app, make_campaign, monkeypatch):
    from flask import request

    _cid, [token] = make_campaign()
    # Behind one proxy (set through the environment, as in production): limits count per client.
    monkeypatch.setenv("PARTENARIAT_TRUSTED_PROXIES", "1")
    proxied = make_app()
    assert proxied.config["TRUSTED_PROXIES"] == 1
    seen = {}

    @proxied.route("/whoami")
    def whoami():
        seen.update(addr=request.remote_addr, scheme=request.scheme, host=request.host)
        return "ok"

    client = proxied.test_client()
    client.get("/whoami", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7", "X-Forwarded-Proto": "https",
                                   "X-Forwarded-Host": "partenariat.example.org"})
    # Only the last hop, the one our proxy added, is believed: the client may forge the rest.
    assert seen == {"addr": "203.0.113.7", "scheme": "https", "host": "partenariat.example.org"}
    guess_links(client, "203.0.113.5")
    assert client.get("/r/wrong-again", headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 429
    assert client.get("/r/wrong-again", headers={"X-Forwarded-For": "203.0.113.6"}).status_code == 404
    # A valid link is never blocked, whatever its address did.
    assert client.get(f"/r/{token}", headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 200
    # Without the setting (the default), the header is anyone's claim and is ignored.
    monkeypatch.delenv("PARTENARIAT_TRUSTED_PROXIES")
    direct = make_app()
    assert direct.config["TRUSTED_PROXIES"] == 0
    client = direct.test_client()
    guess_links(client, "203.0.113.8")
    # Every request came from the test client's one address: a forged header changes nothing.
    assert client.get("/r/wrong-again", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 429


def test_failures_leave_the_table_once_they_count_for_nothing(app, accounts, monkeypatch):
    from partenariat.models import LoginAttempt

    clock = Clock(monkeypatch)
    client = app.test_client()
    sign_in(client, None, password="wrong password!", ip="198.51.100.70")
    clock.advance(15 * 60 + 1)
    sign_in(client, None, email="nobody@example.org", password="wrong password!", ip="198.51.100.71")
    with app.app_context():
        assert db().execute(select(LoginAttempt.email, LoginAttempt.ip)).all() == [("nobody@example.org", "198.51.100.71")]
