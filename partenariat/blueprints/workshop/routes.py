"""The coordinator's timeline workshop (SPEC §8): for a project, or the whole partnership,
the RT profile with our proposed reading beside the perceived RT scores of the latest release;
the question grid; the printable workshop pack; snapshots and their comparison; partners'
event proposals."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from partenariat import access
from partenariat.database import db
from partenariat.i18n import current_lang
from partenariat.models import Project
from partenariat.roles import Permission
from partenariat.services import workshop
from partenariat.timeline.questions import load_questions
from questionnaires import load_instrument

bp = Blueprint("workshop", __name__, url_prefix="/coordination")
access.guard(bp, Permission.COORDINATE)


@access.loader("project_id", "project")
def _project(session, ident):
    return access.belongs(session.get(Project, ident), "partnership_id", "partnership")


def _page(template: str, status: int = 200, **context):
    return render_template(template, partnership=g.partnership, instrument=load_instrument(), grid=load_questions(),
                           lang=current_lang(), **context), status


@bp.route("/partnerships/<int:partnership_id>/workshop")
def index():
    return _page("workshop/index.html", projects=workshop.projects(db(), g.partnership.id))


@bp.route("/partnerships/<int:partnership_id>/workshop/profile")
def partnership_profile():
    return _page("workshop/profile.html", project=None, view=workshop.partnership_profile(db(), g.partnership.id))


@bp.route("/partnerships/<int:partnership_id>/projects/<int:project_id>/workshop/profile")
def project_profile():
    return _page("workshop/profile.html", project=g.project, view=workshop.project_profile(db(), g.project))
