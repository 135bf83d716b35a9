"""Rosters written in French: headers and values, and the problems they name."""

from __future__ import annotations

import html
import io

import pytest
from flask_babel import force_locale
from openpyxl import Workbook
from sqlalchemy import select

from partenariat.database import db
from partenariat.models import Invitation
from partenariat.services.invitation import Invitee, parse_roster
from partenariat.services.problems import FileRejected
from tests.conftest import csrf_token, login
from tests.factories import campaign_with_responses


def parsed(app, text: str, filename="liste.csv") -> list[Invitee]:
    with app.app_context(), force_locale("en"):
        return parse_roster(text.encode("utf-8"), filename)


def problems(app, text: str) -> list[str]:
    with app.app_context(), force_locale("en"), pytest.raises(FileRejected) as rejected:
        parse_roster(text.encode("utf-8"), "liste.csv")
    return [str(p) for p in rejected.value.problems]


def test_french_headers_and_values(app):
    roster = ("Libellé;Courriel;Secteur;Langue\n"
              "CDC;cdc@example.org;Communautaire;français\n"
              "CIUSSS;;Institutionnel;Anglais\n"
              "Épicerie;;PRIVÉ;francais\n"
              "Résidente;;Citoyen;English\n"
              "Ville;;Municipal;FR\n"
              "Fondation;;philanthropique;\n")
    assert parsed(app, roster) == [
        Invitee("CDC", "cdc@example.org", "communautaire", "fr"),
        Invitee("CIUSSS", None, "institutionnel", "en"),
        Invitee("Épicerie", None, "prive", "fr"),
        Invitee("Résidente", None, "citoyen", "en"),
        Invitee("Ville", None, "municipal", "fr"),
        Invitee("Fondation", None, "philanthropique", None),
    ]


def test_header_spellings_and_full_sector_names(app):
    # "nom" for the label, capitals and accents anywhere; the sector's full French or English name.
    roster = ("NOM,COURRIEL,SECTEUR,LANGUE\n"
              "A,,Citoyen ou citoyenne,French\n"
              "B,,\"Institutionnel (santé, éducation, emploi…)\",anglais\n"
              "C,,Private sector,\n")
    assert [(i.label, i.sector, i.language) for i in parsed(app, roster)] == [
        ("A", "citoyen", "fr"), ("B", "institutionnel", "en"), ("C", "prive", None)]
    english = "label,email,sector,language\nX,x@example.org,communautaire,en\n"
    assert parsed(app, english) == [Invitee("X", "x@example.org", "communautaire", "en")]


def test_problems_name_the_row_and_the_column_as_written(app):
    roster = "Libellé,Courriel,Secteur,Langue\nA,pas-un-courriel,Banque,allemand\nB,b@example.org,Privé,fr\n"
    assert problems(app, roster) == [
        "Row 2, column secteur: unknown sector 'Banque'; use one of institutionnel, communautaire, municipal, prive, "
        "citoyen, philanthropique, autre.",
        "Row 2, column langue: language must be fr or en.",
        "Row 2, column courriel: This is not an e-mail address.",
    ]


def test_an_address_at_a_reserved_name_is_refused_with_the_reason(app):
    roster = "label,email\nA,a@verify.test\nB,b@bureau.local\nC,c@example.org\n"
    assert problems(app, roster) == [
        "Row 2, column email: No e-mail can reach an address at verify.test: that name is reserved for tests and local networks.",
        "Row 3, column email: No e-mail can reach an address at bureau.local: that name is reserved for tests and local networks.",
    ]


def test_unknown_and_repeated_columns(app):
    assert problems(app, "nom,libellé,courriel\nA,B,\n") == [
        "Column libellé: this column says the same as the column nom."]
    assert problems(app, "nom,téléphone\nA,514\n") == [
        "Column téléphone: unknown column; expected label, email, sector, language."]


def test_a_french_workbook(app):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Secteur", "Langue"])
    sheet.append(["Table", "Communautaire", "Français"])
    data = io.BytesIO()
    workbook.save(data)
    with app.app_context():
        assert parse_roster(data.getvalue(), "liste.xlsx") == [Invitee("Table", None, "communautaire", "fr")]


def test_a_french_roster_through_the_coordinator_page(app, client, accounts):
    campaign_id = campaign_with_responses(app, "Table A", 2026)
    login(client, "coord@example.org")
    token = csrf_token(client.get(f"/coordination/campaigns/{campaign_id}").get_data(as_text=True))

    def upload(text):
        return client.post(f"/coordination/campaigns/{campaign_id}/invitations", content_type="multipart/form-data",
                           data={"csrf_token": token, "kind": "roster",
                                 "roster-file": (io.BytesIO(text.encode("utf-8")), "liste.csv")})

    refused = upload("libellé;secteur\nA;banque\n")
    assert refused.status_code == 400
    assert "Ligne 2, colonne secteur : secteur inconnu" in html.unescape(refused.get_data(as_text=True))
    shown = upload("libellé;courriel;secteur;langue\nÉcole;ecole@example.org;Institutionnel;anglais\n")
    assert shown.status_code == 200 and "École <ecole@example.org>: http" in html.unescape(shown.get_data(as_text=True))
    with app.app_context():
        (invitation,) = db().scalars(select(Invitation).where(Invitation.campaign_id == campaign_id))
        assert (invitation.label, invitation.email, invitation.sector, invitation.language) == (
            "École", "ecole@example.org", "institutionnel", "en")
