from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import delete, select

from partenariat import access
from partenariat.database import db
from partenariat.models import Partnership, PartnershipAccess, User
from partenariat.roles import Permission, Role
from partenariat.services import audit

bp = Blueprint("admin", __name__, url_prefix="/admin")
access.guard(bp, Permission.ADMINISTER)


@bp.route("/funders", methods=["GET", "POST"])
def funders():
    session = db()
    form = FlaskForm()
    partnerships = session.scalars(select(Partnership).order_by(Partnership.name)).all()
    if request.method == "POST":
        funder = session.get(User, request.form.get("user_id", type=int) or 0)
        if funder is None or funder.role != Role.FUNDER or not form.validate_on_submit():
            flash(_("Nothing was changed: check the form."), "error")
            return redirect(url_for(".funders"))
        chosen = {p.id for p in partnerships if request.form.get(f"p{p.id}") == "1"}
        funder.funds_all = request.form.get("all") == "1"
        session.execute(delete(PartnershipAccess).where(PartnershipAccess.user_id == funder.id))
        for partnership_id in sorted(chosen):
            session.add(PartnershipAccess(user_id=funder.id, partnership_id=partnership_id))
        audit.record(session, "funder_access", funder=funder.email, all=funder.funds_all,
                     partnerships=sorted(chosen))
        flash(_("Access of %(email)s is saved.", email=funder.email), "success")
        return redirect(url_for(".funders"))
    people = session.scalars(select(User).where(User.role == Role.FUNDER).order_by(User.email)).all()
    access = {(a.user_id, a.partnership_id) for a in session.scalars(select(PartnershipAccess))}
    return render_template("admin/funders.html", funders=people, partnerships=partnerships, access=access, form=form)


@bp.route("/audit")
def audit_log():
    return render_template("admin/audit.html", entries=audit.latest(db()))
