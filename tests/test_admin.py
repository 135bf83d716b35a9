"""The administrator's pages: accounts (create, disable, enable, re-invite, partnerships) and
the audit log (labels, local time, details in words, filters, pages)."""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from partenariat.database import db
from partenariat.models import AuditEntry, Partnership, PartnershipAccess, User
from partenariat.services import accounts as account_service
from tests.conftest import csrf_token, login
from tests.factories import campaign_with_responses
from tests.smtp_sink import SmtpSink

LINK = re.compile(r"https?://[^/\s<]+(/account/set-password/[A-Za-z0-9_-]+)")


@pytest.fixture
def admin(app, accounts):
    client = app.test_client()
    login(client, "admin@example.org")
    return client


def text(response) -> str:
    """The page as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def token_of(client) -> str:
    return csrf_token(text(client.get("/account/password")))


def entries(app, *actions):
    with app.app_context():
        query = select(AuditEntry).order_by(AuditEntry.id)
        if actions:
            query = query.where(AuditEntry.action.in_(actions))
        return [(e.actor, e.action, e.detail) for e in db().scalars(query)]


def account(app, email):
    with app.app_context():
        return db().scalar(select(User).where(User.email == email))


def links_of(app, email):
    with app.app_context():
        user = db().scalar(select(User).where(User.email == email))
        return sorted(db().scalars(select(PartnershipAccess.partnership_id).where(PartnershipAccess.user_id == user.id)))


def set_own_password(app, path: str, password="my own passphrase") -> int:
    client = app.test_client()
    html = text(client.get(path))
    if "csrf_token" not in html:
        return 404
    return client.post(path, data={"csrf_token": csrf_token(html), "password": password,
                                   "confirmation": password}).status_code


# Accounts


def test_create_an_account_shows_its_link_once_and_the_link_works(app, admin, accounts):
    page = text(admin.get("/admin/accounts"))
    assert "coord@example.org" in page and "Nouveau compte" in page and "Table A" in page
    response = admin.post("/admin/accounts", data={"csrf_token": csrf_token(page), "email": " Nouvelle@Example.org ",
                                                   "role": "coordinator", "partnerships": [str(accounts["Table B"])]})
    html = text(response)
    assert response.status_code == 200 and "Le compte nouvelle@example.org est créé" in html
    path = LINK.search(html).group(1)
    assert "Aucun serveur de courriel" in text(admin.get("/admin/accounts"))
    user = account(app, "nouvelle@example.org")
    assert user.role == "coordinator" and user.active and user.password_hash is None
    # Shown once: neither the list nor the account's own page shows it again.
    assert path not in text(admin.get("/admin/accounts"))
    assert path not in text(admin.get(f"/admin/accounts/{user.id}"))
    assert entries(app) == [("admin@example.org", "account_created",
                             {"email": "nouvelle@example.org", "role": "coordinator",
                              "partnerships": [accounts["Table B"]], "all": False})]
    assert set_own_password(app, path) == 302
    coordinator = app.test_client()
    login(coordinator, "nouvelle@example.org", "my own passphrase")
    dashboard = text(coordinator.get("/coordination/"))
    assert "Table B" in dashboard and "Table A" not in dashboard


def test_a_new_account_link_is_e_mailed_when_a_server_is_configured(app, admin, accounts):
    with SmtpSink() as sink:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.server_address[1], MAIL_USE_TLS=False)
        response = admin.post("/admin/accounts", data={"csrf_token": token_of(admin), "email": "bailleur@example.org",
                                                       "role": "funder", "all": "1"})
    html = text(response)
    assert "Le lien a été envoyé par courriel à bailleur@example.org" in html
    (message,) = sink.messages
    assert message["To"] == "bailleur@example.org" and "your account" in message["Subject"]
    body = message.get_content()
    assert body.index("Un compte Partenariat vous attend (bailleur de fonds)") < body.index("(funder)")
    # The link on screen is the one in the e-mail, and it opens the set-password page.
    assert LINK.search(body).group(1) == LINK.search(html).group(1)
    assert set_own_password(app, LINK.search(body).group(1)) == 302
    assert account(app, "bailleur@example.org").funds_all is True


def test_an_unreachable_mail_server_still_shows_the_link(app, admin, accounts):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False)
    response = admin.post(f"/admin/accounts/{accounts['funder@example.org']}/reinvite",
                          data={"csrf_token": token_of(admin)})
    page = text(response)
    assert response.status_code == 200 and "Le serveur de courriel est injoignable; rien n'a été envoyé" in page
    assert set_own_password(app, LINK.search(page).group(1)) == 302


def test_creation_refusals_create_nothing(app, admin, accounts):
    token = token_of(admin)
    cases = [
        ({"email": "coord@example.org", "role": "coordinator"}, "coord@example.org a déjà un compte"),
        ({"email": "pas-un-courriel", "role": "coordinator"}, "Ce n'est pas une adresse courriel"),
        ({"email": "x@example.org", "role": "superuser"}, "Le rôle doit être"),
        ({"email": "x@example.org", "role": "coordinator", "all": "1"}, "Seul un bailleur de fonds"),
        ({"email": "x@example.org", "role": "admin", "partnerships": [str(accounts["Table A"])]},
         "Un administrateur voit tous les partenariats"),
        ({"email": "x@example.org", "role": "funder", "partnerships": ["99999"]}, "n'existe pas"),
        ({"email": "x@example.org", "role": "funder", "partnerships": ["un"]}, "Rien n'a été modifié"),
        # A new partnership is made only for an account that is made.
        ({"email": "x@example.org", "role": "admin", "new_partnership": "Table C"},
         "Un administrateur voit tous les partenariats"),
        ({"email": "x@example.org", "role": "coordinator", "all": "1", "new_partnership": "Table C"},
         "Seul un bailleur de fonds"),
        ({"email": "coord@example.org", "role": "coordinator", "new_partnership": "Table C"}, "a déjà un compte"),
        ({"email": "x@example.org", "role": "coordinator", "new_partnership": "Table\nC"}, "Une seule ligne, sans tabulation"),
        ({"email": "x@example.org", "role": "coordinator", "new_partnership": "T" * 201}, "dépasse 200 caractères"),
    ]
    for data, message in cases:
        response = admin.post("/admin/accounts", data={"csrf_token": token, **data})
        assert response.status_code == 400 and message in text(response), data
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(User)) == 4
        assert db().scalar(select(func.count()).select_from(Partnership)) == 2
    assert entries(app) == []


def test_a_coordinator_account_with_a_new_partnership(app, admin, accounts):
    """A fresh install has no partnership to tick: the administrator names one, which is made
    and linked; a name that exists links the existing partnership."""
    response = admin.post("/admin/accounts", data={"csrf_token": token_of(admin), "email": "c@example.org",
                                                   "role": "coordinator", "new_partnership": "  Table C  ",
                                                   "partnerships": [str(accounts["Table B"])]})
    assert response.status_code == 200 and "Le compte c@example.org est créé" in text(response)
    with app.app_context():
        table_c = db().scalar(select(Partnership).where(Partnership.name == "Table C"))
        assert table_c is not None and table_c.region is None
    assert links_of(app, "c@example.org") == sorted([accounts["Table B"], table_c.id])
    assert entries(app, "account_created")[-1][2]["partnerships"] == sorted([accounts["Table B"], table_c.id])
    response = admin.post("/admin/accounts", data={"csrf_token": token_of(admin), "email": "f@example.org",
                                                   "role": "funder", "new_partnership": "Table A"})
    assert response.status_code == 200
    assert links_of(app, "f@example.org") == [accounts["Table A"]]
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(Partnership)) == 3


def test_disabling_ends_the_open_session_and_sign_in(app, admin, accounts):
    coordinator = app.test_client()
    login(coordinator, "coord@example.org")
    assert coordinator.get("/coordination/").status_code == 200
    coord_id = accounts["coord@example.org"]
    response = admin.post(f"/admin/accounts/{coord_id}/disable", data={"csrf_token": token_of(admin)})
    assert response.status_code == 302
    assert "est désactivé" in text(admin.get(response.headers["Location"]))
    # The open session is signed out at once, and the password no longer opens the account.
    assert "/account/login" in coordinator.get("/coordination/").headers["Location"]
    assert login(app.test_client(), "coord@example.org").status_code == 401
    assert "désactivé" in text(admin.get("/admin/accounts"))
    # A disabled account gets no new link.
    refused = admin.post(f"/admin/accounts/{coord_id}/reinvite", data={"csrf_token": token_of(admin)})
    assert refused.status_code == 400 and "réactivez-le" in text(refused)

    admin.post(f"/admin/accounts/{coord_id}/enable", data={"csrf_token": token_of(admin)})
    assert login(app.test_client(), "coord@example.org").status_code == 302
    assert [action for _actor, action, _detail in entries(app)] == ["account_disabled", "account_enabled"]
    assert entries(app)[0] == ("admin@example.org", "account_disabled", {"email": "coord@example.org"})


def test_a_pending_set_password_link_dies_with_the_account(app, admin, accounts):
    html = text(admin.post("/admin/accounts", data={"csrf_token": token_of(admin), "email": "later@example.org",
                                               "role": "funder"}))
    path = LINK.search(html).group(1)
    user_id = account(app, "later@example.org").id
    admin.post(f"/admin/accounts/{user_id}/disable", data={"csrf_token": token_of(admin)})
    admin.post(f"/admin/accounts/{user_id}/enable", data={"csrf_token": token_of(admin)})
    assert set_own_password(app, path) == 404


def test_an_admin_cannot_disable_themselves(app, admin, accounts):
    own = accounts["admin@example.org"]
    page = text(admin.get(f"/admin/accounts/{own}"))
    assert "C'est votre propre compte" in page and f"/admin/accounts/{own}/disable" not in page
    response = admin.post(f"/admin/accounts/{own}/disable", data={"csrf_token": token_of(admin)})
    assert response.status_code == 400
    assert "Vous ne pouvez pas désactiver votre propre compte" in text(response)
    assert account(app, "admin@example.org").active and admin.get("/admin/accounts").status_code == 200
    assert entries(app) == []


def test_the_last_active_admin_cannot_be_disabled(app, accounts):
    with app.app_context():
        session = db()
        only = session.get(User, accounts["admin@example.org"])
        with pytest.raises(account_service.AccountError, match="dernier administrateur actif"):
            account_service.disable(session, only, by=None)
        second, _token = account_service.create_account(session, "second@example.org", "admin")
        account_service.disable(session, only, by=second)  # another admin is left: allowed
        with pytest.raises(account_service.AccountError, match="dernier administrateur actif"):
            account_service.disable(session, second, by=None)
        assert (only.active, second.active) == (False, True)


def test_reinvite_replaces_the_link_and_keeps_the_password(app, admin, accounts):
    html = text(admin.post("/admin/accounts", data={"csrf_token": token_of(admin), "email": "lost@example.org",
                                               "role": "coordinator"}))
    first = LINK.search(html).group(1)
    user_id = account(app, "lost@example.org").id
    response = admin.post(f"/admin/accounts/{user_id}/reinvite", data={"csrf_token": token_of(admin)})
    html = text(response)
    assert response.status_code == 200 and "le précédent ne fonctionne plus" in html
    second = LINK.search(html).group(1)
    assert second != first
    assert set_own_password(app, first) == 404
    assert set_own_password(app, second) == 302
    # A re-invite of an account that has a password leaves the password working.
    admin.post(f"/admin/accounts/{accounts['coord@example.org']}/reinvite", data={"csrf_token": token_of(admin)})
    assert login(app.test_client(), "coord@example.org").status_code == 302
    assert [(a, d) for _actor, a, d in entries(app, "account_reinvited")] == [
        ("account_reinvited", {"email": "lost@example.org"}), ("account_reinvited", {"email": "coord@example.org"})]


def test_linking_a_coordinator_and_a_funder(app, admin, accounts):
    a, b = accounts["Table A"], accounts["Table B"]
    coord = accounts["coord@example.org"]
    page = text(admin.get(f"/admin/accounts/{coord}"))
    assert 'name="all"' not in page  # "every partnership" is for funders only
    response = admin.post(f"/admin/accounts/{coord}/access", data={"csrf_token": csrf_token(page),
                                                                   "partnerships": [str(a), str(b)]})
    assert response.status_code == 302 and links_of(app, "coord@example.org") == sorted([a, b])
    coordinator = app.test_client()
    login(coordinator, "coord@example.org")
    assert "Table B" in text(coordinator.get("/coordination/"))
    # The same choice again changes nothing and logs nothing.
    again = admin.post(f"/admin/accounts/{coord}/access", data={"csrf_token": csrf_token(page),
                                                                "partnerships": [str(b), str(a)]})
    assert "Rien n'a changé" in text(admin.get(again.headers["Location"]))
    refused = admin.post(f"/admin/accounts/{coord}/access", data={"csrf_token": csrf_token(page), "all": "1"})
    assert refused.status_code == 400 and links_of(app, "coord@example.org") == sorted([a, b])

    funder = accounts["funder@example.org"]
    admin.post(f"/admin/accounts/{funder}/access", data={"csrf_token": csrf_token(page), "all": "1"})
    assert account(app, "funder@example.org").funds_all and links_of(app, "funder@example.org") == []
    assert [d for _actor, _a, d in entries(app, "access_changed")] == [
        {"email": "coord@example.org", "role": "coordinator", "partnerships": sorted([a, b]), "all": False},
        {"email": "funder@example.org", "role": "funder", "partnerships": [], "all": True}]
    own = accounts["admin@example.org"]
    assert "input type=\"checkbox\"" not in text(admin.get(f"/admin/accounts/{own}"))
    refused = admin.post(f"/admin/accounts/{own}/access", data={"csrf_token": csrf_token(page), "partnerships": [str(a)]})
    assert refused.status_code == 400 and "il n'y a rien à lier" in text(refused)


def test_unknown_accounts_and_forged_posts(app, admin, accounts):
    assert admin.get("/admin/accounts/99999").status_code == 404
    assert admin.post("/admin/accounts/99999/disable", data={"csrf_token": token_of(admin)}).status_code == 404
    coord = accounts["coord@example.org"]
    response = admin.post(f"/admin/accounts/{coord}/disable", data={})  # no CSRF token
    assert response.status_code == 400 and account(app, "coord@example.org").active
    coordinator = app.test_client()
    login(coordinator, "coord@example.org")
    assert coordinator.post(f"/admin/accounts/{accounts['admin@example.org']}/disable",
                            data={"csrf_token": token_of(coordinator)}).status_code == 403
    assert account(app, "admin@example.org").active


def test_cli_create_user_twice_gives_a_new_link_and_both_are_logged(app, runner, accounts, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_LANG", "en")
    first = runner.invoke(args=["create-user", "cli@example.org", "--role", "funder", "--partnership", "Table A"])
    second = runner.invoke(args=["create-user", "cli@example.org", "--role", "funder", "--partnership", "Table B"])
    assert first.exit_code == 0 and second.exit_code == 0
    first_path, second_path = (LINK.search(r.output).group(1) for r in (first, second))
    assert set_own_password(app, first_path) == 404 and set_own_password(app, second_path) == 302
    assert links_of(app, "cli@example.org") == sorted([accounts["Table A"], accounts["Table B"]])
    assert [(actor, action) for actor, action, _d in entries(app)] == [
        ("command line", "account_created"), ("command line", "access_changed"), ("command line", "account_reinvited")]
    other_role = runner.invoke(args=["create-user", "cli@example.org", "--role", "coordinator"])
    assert other_role.exit_code == 1 and "already has the role funder" in other_role.output


# The audit log


def add_entry(app, at: datetime, actor: str, action: str, **detail):
    with app.app_context():
        db().add(AuditEntry(at=at, actor=actor, action=action, detail=detail))
        db().commit()


def rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>") if "<td" in row]


def test_the_log_in_words_and_in_montreal_time(app, admin, accounts):
    campaign_id = campaign_with_responses(app, "Table A", 2026)
    # 16:30 UTC in July is 12:30 in Montréal (UTC-4); in January, 15:05 UTC is 10:05 (UTC-5).
    add_entry(app, datetime(2026, 7, 1, 16, 30), "coord@example.org", "share", campaign_id=campaign_id,
              partnership="Table A", year=2026)
    add_entry(app, datetime(2026, 1, 15, 15, 5), "command line", "funder_access", funder="funder@example.org",
              all=False, partnerships=[accounts["Table A"], 424242])
    add_entry(app, datetime(2026, 1, 15, 15, 6), "admin@example.org", "export_xlsx", campaign_id=999, lang="en")
    add_entry(app, datetime(2026, 1, 15, 15, 7), "admin@example.org", "something_new", extra="x")
    page = admin.get("/admin/audit")
    assert page.status_code == 200
    assert rows(text(page)) == [
        "15 janv. 2026, 10:07:00 admin@example.org something_new extra : x",
        "15 janv. 2026, 10:06:00 admin@example.org classeur de la coordination exporté Campagne : #999 Langue : anglais",
        "15 janv. 2026, 10:05:00 command line accès d'un bailleur modifié Bailleur de fonds : funder@example.org "
        "Tous les partenariats : non Partenariats : Table A, #424242",
        f"1 juil. 2026, 12:30:00 coord@example.org campagne partagée avec les bailleurs de fonds "
        f"Campagne : Table A — Portrait 2026 (#{campaign_id}) Partenariat : Table A Année : 2026",
    ]
    english = rows(text(admin.get("/admin/audit?lang=en")))
    assert english[-1].startswith("Jul 1, 2026, 12:30:00 PM coord@example.org campaign shared with funders")


def test_log_filters_by_actor_action_and_local_days(app, admin, accounts):
    # 03:30 UTC on 2 July is still 1 July (23:30) in Montréal.
    add_entry(app, datetime(2026, 7, 2, 3, 30), "coord@example.org", "export_json", campaign_id=1)
    add_entry(app, datetime(2026, 7, 2, 14, 0), "coord@example.org", "export_xlsx", campaign_id=1, lang="fr")
    add_entry(app, datetime(2026, 7, 2, 15, 0), "funder@example.org", "funder_export", year=2026, region=None,
              lang="fr", partnerships="all")

    def shown(query):
        response = admin.get("/admin/audit?" + query)
        assert response.status_code == 200, query
        return [" ".join(row.split()[4:6]) for row in rows(text(response))]

    assert len(shown("")) == 3
    assert shown("actor=COORD@example.org") == ["coord@example.org classeur", "coord@example.org portrait"]
    assert shown("action=funder_export") == ["funder@example.org classeur"]
    assert shown("since=2026-07-01&until=2026-07-01") == ["coord@example.org portrait"]
    assert shown("since=2026-07-02") == ["funder@example.org classeur", "coord@example.org classeur"]
    assert shown("actor=coord@example.org&since=2026-07-02&action=export_xlsx") == ["coord@example.org classeur"]
    assert "—" in text(admin.get("/admin/audit?actor=nobody@example.org"))


@pytest.mark.parametrize("query, message", [
    ("since=2026-13-45", "La date de début '2026-13-45' n'est pas une date"),
    ("until=hier", "La date de fin 'hier' n'est pas une date"),
    ("since=2026-07-02&until=2026-07-01", "La date de fin précède la date de début"),
    ("action=drop_table", "L'action 'drop_table' n'est pas une action que le journal connaît"),
    ("page=abc", "La page doit être un nombre entier"),
    ("page=0", "La page doit être un nombre entier"),
    ("actor=" + "x" * 300, "La personne dépasse 254 caractères"),
])
def test_bad_filters_get_a_message(app, admin, accounts, query, message):
    add_entry(app, datetime(2026, 7, 2, 15, 0), "funder@example.org", "funder_export", year=2026)
    response = admin.get("/admin/audit?" + query)
    html = text(response)
    assert response.status_code == 400 and message in html
    assert "funder@example.org</td>" not in html  # no unfiltered list passed off as the answer


def test_log_pages_newest_first(app, admin, accounts):
    for minute in range(55):
        add_entry(app, datetime(2026, 3, 2, 15, minute), "admin@example.org", "export_json", campaign_id=minute)
    first = text(admin.get("/admin/audit?action=export_json"))
    assert "55 entrées" in first and "page 1 sur 2" in first and len(rows(first)) == 50
    assert rows(first)[0].startswith("2 mars 2026, 10:54:00") and rows(first)[-1].startswith("2 mars 2026, 10:05:00")
    assert "page=2" in first and "action=export_json" in first.split('rel="next"')[0].rsplit("href=", 1)[1]
    second = text(admin.get("/admin/audit?action=export_json&page=2"))
    assert [row[:21] for row in rows(second)] == [f"2 mars 2026, 10:0{m}:00" for m in range(4, -1, -1)]
    # Past the last page: the last page.
    assert rows(text(admin.get("/admin/audit?action=export_json&page=99"))) == rows(second)


def test_account_changes_read_in_the_log(app, admin, accounts):
    admin.post("/admin/accounts", data={"csrf_token": token_of(admin), "email": "n@example.org", "role": "coordinator",
                                        "partnerships": [str(accounts["Table A"])]})
    admin.post(f"/admin/accounts/{accounts['coord@example.org']}/disable", data={"csrf_token": token_of(admin)})
    texts = [" ".join(row.split()[4:]) for row in rows(text(admin.get("/admin/audit")))]
    assert texts == [
        "admin@example.org compte désactivé Compte : coord@example.org",
        "admin@example.org compte créé Compte : n@example.org Rôle : coordination Partenariats : Table A "
        "Tous les partenariats : non",
    ]
