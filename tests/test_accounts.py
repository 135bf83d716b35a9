"""Accounts: sign-in, limits, sessions, set-password links, and the create-user command."""

from __future__ import annotations

from tests.conftest import csrf_token, login


def test_sign_in_lands_on_the_dashboard_and_sign_out_needs_a_post(client, accounts):
    response = login(client, "coord@example.org")
    assert response.status_code == 302 and response.headers["Location"].endswith("/coordination/")
    assert "Table A" in client.get("/coordination/").get_data(as_text=True)
    assert client.get("/account/logout").status_code == 405
    html = client.get("/coordination/").get_data(as_text=True)
    client.post("/account/logout", data={"csrf_token": csrf_token(html)})
    assert client.get("/coordination/").status_code == 302


def test_wrong_password_then_lockout_even_with_the_right_one(client, accounts):
    for _ in range(5):
        response = login(client, "coord@example.org", "wrong password!")
        assert response.status_code == 401
        assert "Courriel ou mot de passe erroné" in response.get_data(as_text=True)
    response = login(client, "coord@example.org")  # same address, same computer
    assert response.status_code == 429 and "Réessayez dans 15 minutes" in response.get_data(as_text=True)


def test_next_parameter_cannot_redirect_elsewhere(client, accounts):
    response = login(client, "coord@example.org", next_url="//evil.example/x")
    assert response.headers["Location"].endswith("/coordination/")
    other = client.application.test_client()
    response = login(other, "coord@example.org", next_url="/coordination/partnerships/1/controversies")
    assert response.headers["Location"].endswith("/coordination/partnerships/1/controversies")


def test_password_change_signs_out_other_sessions(app, accounts):
    first, second = app.test_client(), app.test_client()
    login(first, "coord@example.org")
    login(second, "coord@example.org")
    html = first.get("/account/password").get_data(as_text=True)
    response = first.post("/account/password", data={"csrf_token": csrf_token(html), "current": "correct horse battery",
                                                      "password": "a new long passphrase", "confirmation": "a new long passphrase"})
    assert response.status_code == 302
    assert first.get("/coordination/").status_code == 200
    assert second.get("/coordination/").status_code == 302  # signed out
    assert login(app.test_client(), "coord@example.org", "a new long passphrase").status_code == 302


def test_password_rules(client, accounts):
    login(client, "coord@example.org")
    html = client.get("/account/password").get_data(as_text=True)
    response = client.post("/account/password", data={"csrf_token": csrf_token(html), "current": "correct horse battery",
                                                      "password": "short", "confirmation": "short"})
    assert response.status_code == 400 and "au moins 10 caractères" in response.get_data(as_text=True)


def test_create_user_prints_a_one_time_link(app, runner, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_LANG", "en")
    result = runner.invoke(args=["create-user", "new@example.org", "--role", "coordinator", "--partnership", "Table Z"])
    assert result.exit_code == 0
    link = result.output.strip()
    assert "/account/set-password/" in link
    client = app.test_client()
    path = link.split("127.0.0.1:5000", 1)[1]
    html = client.get(path).get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf_token(html), "password": "my own passphrase",
                                       "confirmation": "my own passphrase"})
    assert response.status_code == 302
    assert "Table Z" in client.get("/coordination/").get_data(as_text=True)
    # Used once: the link no longer works.
    assert app.test_client().get(path).status_code == 404
    bad = runner.invoke(args=["create-user", "not-an-email", "--role", "coordinator"])
    assert bad.exit_code == 1 and "not an e-mail address" in bad.output
