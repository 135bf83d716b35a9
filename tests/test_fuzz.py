"""Hypothesis against the importer and the form POSTs: a clear refusal, never a 500, nothing
written on failure."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from partenariat.database import db
from partenariat.models import Draft, Response
from partenariat.services.importing import parse, template_header
from partenariat.services.problems import FileRejected
from questionnaires import load_instrument
from tests.conftest import csrf_token
from tests.factories import xlsx_bytes as xlsx

INSTRUMENT = load_instrument()
HEADER = template_header(INSTRUMENT)
# Control characters cannot live in a worksheet at all, so the generator leaves them out.
cell = st.one_of(st.sampled_from(["A", "B", "C", "NSP", "", "a", " b ", "D", "=1+1", "é", "1", "0.5"]),
                 st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=8))


@st.composite
def csv_files(draw):
    columns = draw(st.one_of(st.just(HEADER), st.lists(st.sampled_from([*HEADER, "x", "extra"]), max_size=40)))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(columns) + 2), max_size=6))
    separator = draw(st.sampled_from([",", ";", "\t"]))
    text = "\n".join(separator.join(r) for r in [columns, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")




@st.composite
def xlsx_files(draw):
    import datetime

    values = st.one_of(cell, st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False, width=32),
                       st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 1, 1)), st.none())
    rows = draw(st.lists(st.lists(values, max_size=len(HEADER) + 2), max_size=4))
    return xlsx([HEADER, *rows])


def outcome(data: bytes, name: str) -> str:
    try:
        parsed = parse(data, name, INSTRUMENT)
    except FileRejected as error:
        assert error.problems and all(str(p) for p in error.problems)
        return "refused"
    assert all(set(r.answers.values()) <= {"A", "B", "C", "NSP"} for r in parsed)
    return "accepted"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["f.csv", "f.xlsx", "f.txt", "f"]))
def test_random_bytes_are_refused_clearly(data, name):
    outcome(data, name)


@settings(max_examples=150, deadline=None)
@given(csv_files())
def test_csv_like_files_parse_or_are_refused(data):
    outcome(data, "responses.csv")


@settings(max_examples=60, deadline=None)
@given(xlsx_files())
def test_spreadsheets_with_numbers_dates_and_junk(data):
    outcome(data, "responses.xlsx")


def test_a_huge_file_is_refused_by_size_before_it_is_read(app, client, accounts):
    from tests.conftest import login
    from tests.factories import campaign_with_responses

    campaign_id = campaign_with_responses(app, "Table A")
    login(client, "coord@example.org")
    page = client.get(f"/coordination/campaigns/{campaign_id}").get_data(as_text=True)
    huge = io.BytesIO(b"respondent,sector\n" + b"x,y\n" * 2_000_000)
    response = client.post(f"/coordination/campaigns/{campaign_id}/responses", content_type="multipart/form-data",
                           data={"csrf_token": csrf_token(page), "responses-file": (huge, "big.csv")})
    assert response.status_code == 413
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(Response)) == 0


form_value = st.one_of(st.text(max_size=30), st.sampled_from(["A", "B", "C", "NSP", "Z", "", "next", "save", "y"]))
form_fields = st.dictionaries(
    st.one_of(st.sampled_from([*INSTRUMENT.item_codes, "C99", "sector", "action", "switch_lang", "remove_report",
                               "report_title", "report_nature", "report_means", "confirm", "csrf_token"]),
              st.text(max_size=12)),
    form_value, max_size=12)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=form_fields, keep_csrf=st.booleans(), path=st.sampled_from(["", "/conditions", "/keys", "/controversies",
                                                                          "/review", "/nope"]))
def test_form_posts_never_fail_with_a_500(app, client, make_campaign, fields, keep_csrf, path):
    _cid, [token] = make_campaign(year=2026)
    html = client.get(f"/r/{token}/conditions").get_data(as_text=True)
    data = dict(fields)
    if keep_csrf:
        data["csrf_token"] = csrf_token(html)
    response = client.post(f"/r/{token}{path}", data=data)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    with app.app_context():
        draft = db().scalars(select(Draft)).first()
        if draft is not None:
            assert set(draft.data["answers"]) <= set(INSTRUMENT.items)
            assert set(draft.data["answers"].values()) <= {"A", "B", "C", "NSP"}
        if response.status_code >= 400:
            assert db().scalar(select(func.count()).select_from(Response)) == 0
