"""Every route of the application × every role: allowed or refused, never a 500.

Routes are read from the URL map, so a new route that nobody classified fails this test.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token, login
from tests.factories import campaign_with_responses, committed, timeline_project


def retreat_with_an_action(session, campaign_id: int) -> int:
    """The campaign's retreat, opened, with one action: the plan's routes act on real objects."""
    from partenariat.plan.model import ActionFields
    from partenariat.services import plan

    plan.open_retreat(session, campaign_id, None)
    return plan.add_action(session, campaign_id, ActionFields(title="Action"))


# blueprint → who may use it
ACCESS = {
    None: "public", "static": "public", "main": "public", "respond": "public", "account": "public",
    "campaigns": "coordination", "portrait": "coordination", "controversies": "coordination",
    "funder": "funding", "admin": "admin",
    "timeline": "coordination",
    "retreat": "coordination",
}
ACCESS.update({"workshop": "coordination", "propose": "public"})
ALLOWED = {
    "coordination": {"coordinator", "admin"},
    "funding": {"funder", "admin"},
    "admin": {"admin"},
}
ROLE_ACCOUNTS = {"coordinator": "coord@example.org", "funder": "funder@example.org", "admin": "admin@example.org"}


def concrete(rule: str, campaign_id: int, partnership_id: int, **ids: int) -> str:
    values = {"campaign_id": campaign_id, "partnership_id": partnership_id, "invitation_id": 1, "report_id": 1,
              "controversy_id": 1, "account_id": 1, "token": "not-a-token", "section": "conditions", "status": "closed",
              "dimension": "conditions", "fmt": "svg", "filename": "css/app.css",
              "action_id": 1, "reading_id": 1,
              "project_id": 1, "snapshot_id": 1, "proposal_id": "not-a-proposal"} | ids
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), rule)


def timeline_of_table_a(app, partnership_id: int) -> dict:
    """A project of Table A with an event, an effect and a link, so that the timeline routes
    reach their views (not a 404) for those allowed."""
    from partenariat.services import timeline
    from partenariat.timeline.model import PartialDate
    from tests.factories import committed

    def build(session):
        project = timeline.create_project(session, partnership_id, timeline.ProjectFields("Projet"))
        event = timeline.add_event(session, project, timeline.EventFields(PartialDate(2020), "Comité", "RT01"))
        effect = timeline.add_effect(session, project, timeline.EffectFields(PartialDate(2021), "Marché"))
        link = timeline.add_link(session, project, event, effect)
        return {"project_id": project.id, "event_id": event.id, "effect_id": effect.id, "link_id": link.id}

    return committed(app, build)


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "funder", "admin"])
def test_every_route_for_every_role(app, client, accounts, role):
    campaign_id = campaign_with_responses(app, "Table A", n=3)
    timeline_ids = timeline_of_table_a(app, accounts["Table A"])
    timeline_project(app, "Table A")  # project 1, so that its pages really render
    action_id = committed(app, lambda session: retreat_with_an_action(session, campaign_id))
    if role != "anonymous":
        login(client, ROLE_ACCOUNTS[role])
    token = csrf_token(client.get("/account/login").get_data(as_text=True)) if role == "anonymous" else \
        csrf_token(client.get("/account/password").get_data(as_text=True))
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0] if "." in rule.endpoint else None
        assert blueprint in ACCESS, f"unclassified route {rule.rule} ({rule.endpoint})"
        access = ACCESS[blueprint]
        url = concrete(rule.rule, campaign_id, accounts["Table A"], **timeline_ids, action_id=action_id)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.endpoint == "account.logout":
                continue  # would end the session under test
            response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
            status = response.status_code
            assert status < 500, (role, method, url, status)
            if access == "public":
                continue
            if role == "anonymous":
                assert status == 302 and "/account/login" in response.headers["Location"], (method, url, status)
            elif role not in ALLOWED[access]:
                assert status == 403, (role, method, url, status)
            else:
                assert status not in (401, 403), (role, method, url, status)
