"""The administrator creates a coordinator's account in the app, in Chromium: the account is
linked to a partnership, its set-password link is shown once and works on another device,
and the coordinator then signs in and finds that partnership (and only it)."""

from __future__ import annotations

from tests.browser.conftest import screenshot
from tests.factories import campaign_with_responses


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/account/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form.narrow button[type=submit]")
    page.wait_for_load_state()


def test_admin_creates_a_coordinator_who_then_signs_in(app, accounts, live_server, browser):
    campaign_with_responses(app, "Table A", 2025, n=3, status="closed", value="B")
    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-CA")
    admin.set_default_timeout(15_000)
    page = admin.new_page()
    sign_in(page, live_server, "admin@example.org", "correct horse battery")
    page.click("nav.account >> text=Administration")
    assert page.locator("h1").inner_text() == "Comptes"

    page.fill("#email", "  Nouvelle.Coord@Example.org ")
    page.select_option("#role", "coordinator")
    page.check("label:has-text('Table A')")
    page.click("text=Créer le compte")
    assert "Le compte nouvelle.coord@example.org est créé" in page.locator(".flash-success").inner_text()
    assert page.locator("h1").inner_text() == "nouvelle.coord@example.org"
    link = page.input_value(".links textarea").strip()
    assert link.startswith(f"{live_server}/account/set-password/"), link
    # The account's page says it is linked to Table A alone, waiting for its password.
    assert page.is_checked("label:has-text('Table A') >> xpath=preceding-sibling::input")
    assert not page.is_checked("label:has-text('Table B') >> xpath=preceding-sibling::input")
    assert "mot de passe pas encore choisi" in page.locator("main").inner_text()
    # Shown once: the account's page, opened again, no longer has the link.
    page.reload()
    assert page.locator(".links textarea").count() == 0
    admin.close()

    # The coordinator opens the link on their own phone, with no session.
    coordinator = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                      locale="fr-CA")
    coordinator.set_default_timeout(15_000)
    page = coordinator.new_page()
    page.goto(link)
    assert "nouvelle.coord@example.org" in page.locator("main").inner_text()
    page.fill("input[name=password]", "une phrase de passe assez longue")
    page.fill("input[name=confirmation]", "une phrase de passe assez longue")
    page.click("text=Enregistrer mon mot de passe")
    assert "Votre mot de passe est enregistré" in page.locator(".flash-success").inner_text()
    assert page.locator("h1").inner_text() == "Mes partenariats"
    screenshot(page, "admin-created-coordinator")
    assert page.locator("main h2").all_inner_texts() == ["Table A"]
    # Table A's campaign is there, with its three responses.
    (row,) = page.locator("main table.data tbody tr").all()
    assert row.locator("td").first.inner_text().endswith("2025") and row.locator("td").last.inner_text().endswith("3")

    # The link works once.
    page.goto(link)
    assert page.locator("input[name=password]").count() == 0
    assert "n'est pas valide" in page.locator("main").inner_text()

    # Signed out, the coordinator signs in again with the new password.
    page.click("text=Se déconnecter")
    sign_in(page, live_server, "nouvelle.coord@example.org", "une phrase de passe assez longue")
    assert page.locator("h1").inner_text() == "Mes partenariats"
    assert page.locator("main h2").all_inner_texts() == ["Table A"]
    coordinator.close()


def test_on_a_fresh_install_the_admin_names_the_partnership(app, live_server, browser):
    """No partnership exists yet: the administrator names one while creating the account, and
    its coordinator can start a campaign for it."""
    from partenariat.database import db
    from partenariat.services.accounts import create_user

    with app.app_context():
        user, _token = create_user(db(), "admin@example.org", "admin")
        user.set_password("correct horse battery")
        db().commit()
    admin = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    admin.set_default_timeout(15_000)
    page = admin.new_page()
    sign_in(page, live_server, "admin@example.org", "correct horse battery")
    page.goto(f"{live_server}/admin/accounts?lang=en")
    assert "There is no partnership yet: name one when you create an account." in page.locator("main").inner_text()
    page.fill("#email", "nord@example.org")
    page.fill("#new_partnership", "Table de quartier Nord")
    page.click("text=Create the account")
    assert "The account nord@example.org is created" in page.locator(".flash-success").inner_text()
    link = page.input_value(".links textarea").strip()
    admin.close()

    coordinator = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    coordinator.set_default_timeout(15_000)
    page = coordinator.new_page()
    page.goto(f"{link}?lang=en")
    page.fill("input[name=password]", "a long enough passphrase")
    page.fill("input[name=confirmation]", "a long enough passphrase")
    page.click("text=Save my password")
    assert page.locator("main h2").all_inner_texts() == ["Table de quartier Nord"]
    page.click("text=New campaign")
    assert "Table de quartier Nord" in page.locator("main").inner_text()
    assert page.locator("input[name=year]").count() == 1
    coordinator.close()
