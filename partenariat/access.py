"""Access to the signed-in pages: one guard per blueprint, objects loaded once per request.

In the spirit of Indico's ``RHManageSurveyBase._process_args``: before any view of a guarded
blueprint runs, the guard checks that an account is signed in and holds the blueprint's
permission, then loads every object named in the URL (``partnership_id``, ``campaign_id``,
…), checks that it belongs to a partnership the account works with, and puts it on ``g``.
Views read ``g.campaign`` and friends and never look ids up themselves.

An object of another partnership answers 404, like one that does not exist, so that ids
reveal nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, g, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from partenariat.database import db
from partenariat.models import PartnershipAccess, User
from partenariat.roles import Permission
from partenariat.validation import record_id

# URL parameter → (name on g, loader). A loader receives the session and the id, may read
# objects already on g (loaders run in the order registered), and aborts with 404 when the
# object is missing or belongs elsewhere.
_LOADERS: dict[str, tuple[str, Callable[[Session, int], object]]] = {}


def loader(parameter: str, name: str):
    """Register how the URL parameter ``parameter`` becomes ``g.<name>``."""

    def register(function: Callable[[Session, int], object]):
        _LOADERS[parameter] = (name, function)
        return function

    return register


def partnership_ids(session: Session, user: User) -> set[int] | None:
    """Partnerships the account works with; None means every one."""
    if user.can(Permission.SEE_EVERY_PARTNERSHIP):
        return None
    return set(session.scalars(select(PartnershipAccess.partnership_id).where(PartnershipAccess.user_id == user.id)))


def may_see_partnership(partnership_id: int) -> bool:
    if "allowed_partnerships" not in g:
        g.allowed_partnerships = partnership_ids(db(), current_user)
    allowed = g.allowed_partnerships
    return allowed is None or partnership_id in allowed


def found(obj, partnership_id: int | None = None):
    """``obj`` if it exists and its partnership is one the account works with, else 404."""
    if obj is None or (partnership_id is not None and not may_see_partnership(partnership_id)):
        abort(404)
    return obj


def belongs(obj, attribute: str, parent: str):
    """``obj`` if it exists and its ``attribute`` is the id of the already loaded ``g.<parent>``;
    404 otherwise (for a loader of an object that lives inside a partnership or campaign)."""
    if obj is None or parent not in g or getattr(obj, attribute) != getattr(g, parent).id:
        abort(404)
    return obj


def load_url_objects() -> None:
    """Move every known id out of the view's arguments and onto ``g`` as a checked object."""
    args = request.view_args or {}
    for parameter, (name, function) in _LOADERS.items():
        if parameter in args:
            ident = args.pop(parameter)
            # An <int:…> id too large for the database names no row (SQLite would raise).
            if isinstance(ident, int) and record_id(ident) is None:
                abort(404)
            setattr(g, name, function(db(), ident))


def guard(blueprint: Blueprint, permission: Permission) -> None:
    """Every view of ``blueprint`` needs a signed-in, active account holding ``permission``."""
    from partenariat.auth import login_manager

    @blueprint.before_request
    def _check_access():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.can(permission):
            abort(403)
        load_url_objects()
        return None


def _register_core_loaders() -> None:
    from partenariat.models import Campaign, Controversy, ControversyReport, Invitation, Partnership

    @loader("partnership_id", "partnership")
    def _partnership(session, ident):
        partnership = session.get(Partnership, ident)
        return found(partnership, partnership.id if partnership else None)

    @loader("campaign_id", "campaign")
    def _campaign(session, ident):
        campaign = found(session.get(Campaign, ident))
        found(campaign, campaign.partnership_id)
        if "partnership" in g and g.partnership.id != campaign.partnership_id:
            abort(404)
        g.partnership = campaign.partnership
        return campaign

    @loader("invitation_id", "invitation")
    def _invitation(session, ident):
        return belongs(session.get(Invitation, ident), "campaign_id", "campaign")

    @loader("controversy_id", "controversy")
    def _controversy(session, ident):
        return belongs(session.get(Controversy, ident), "partnership_id", "partnership")

    @loader("report_id", "report")
    def _report(session, ident):
        report = session.get(ControversyReport, ident)
        campaign = session.get(Campaign, report.campaign_id) if report else None
        if campaign is None or "partnership" not in g or campaign.partnership_id != g.partnership.id:
            abort(404)
        return report


_register_core_loaders()


def _register_timeline_loaders() -> None:
    from partenariat.models import Effect, Event, EventLink, Partnership, Project

    @loader("project_id", "project")
    def _project(session, ident):
        project = found(session.get(Project, ident))
        found(project, project.partnership_id)
        if "partnership" in g and g.partnership.id != project.partnership_id:
            abort(404)
        g.partnership = session.get(Partnership, project.partnership_id)
        return project

    @loader("event_id", "event")
    def _event(session, ident):
        return belongs(session.get(Event, ident), "project_id", "project")

    @loader("effect_id", "effect")
    def _effect(session, ident):
        return belongs(session.get(Effect, ident), "project_id", "project")

    @loader("link_id", "link")
    def _link(session, ident):
        return belongs(session.get(EventLink, ident), "project_id", "project")


_register_timeline_loaders()


def _register_plan_loaders() -> None:
    from partenariat.models import Action

    @loader("action_id", "action")
    def _action(session, ident):
        """An action of the campaign's retreat (registered after ``campaign_id``, so
        ``g.campaign`` is loaded); an action of another campaign or partnership is 404."""
        return belongs(session.get(Action, ident), "campaign_id", "campaign")


_register_plan_loaders()
