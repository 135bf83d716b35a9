from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from partenariat import access
from partenariat.blueprints.controversies import forms
from partenariat.database import db
from partenariat.i18n import current_lang
from partenariat.models import Campaign, Controversy
from partenariat.roles import Permission
from partenariat.services import register as registry
from partenariat.services import timeline
from questionnaires import load_instrument

bp = Blueprint("controversies", __name__, url_prefix="/coordination")
access.guard(bp, Permission.COORDINATE)


def _campaigns(partnership_id: int) -> list[Campaign]:
    return list(db().scalars(select(Campaign).where(Campaign.partnership_id == partnership_id)
                             .order_by(Campaign.year, Campaign.id)))


def _fields(form) -> registry.Fields:
    return registry.Fields(form.title.data, form.description.data or "", form.nature.data or None,
                           list(form.means.data or []), form.effect.data or None)


@bp.route("/partnerships/<int:partnership_id>/controversies", methods=["GET", "POST"])
def register():
    partnership = g.partnership
    instrument, lang = load_instrument(), current_lang()
    form = forms.controversy_form(instrument, lang)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            registry.add(db(), partnership.id, _fields(form))
            flash(_("The controversy is added to the register."), "success")
            return redirect(url_for(".register", partnership_id=partnership.id))
        status = 400
    return render_template("controversies/register.html", partnership=partnership, form=form, instrument=instrument,
                           lang=lang, entries=registry.entries(db(), partnership.id), campaigns=_campaigns(partnership.id),
                           reports=registry.pending_reports(db(), partnership.id), review_form=forms.ReviewForm()), status


@bp.route("/partnerships/<int:partnership_id>/controversies/<int:controversy_id>", methods=["GET", "POST"])
def edit():
    partnership, controversy = g.partnership, g.controversy
    instrument, lang, campaigns = load_instrument(), current_lang(), _campaigns(partnership.id)
    statuses = {s.campaign_id: s.status for s in controversy.history}
    form = forms.controversy_form(instrument, lang, campaigns, obj=controversy,
                                  data={f"status_{c}": s for c, s in statuses.items()})
    if form.validate_on_submit():
        registry.update(db(), controversy, _fields(form),
                        {c.id: form[f"status_{c.id}"].data or None for c in campaigns})
        flash(_("The register entry is saved."), "success")
        return redirect(url_for(".register", partnership_id=partnership.id))
    return render_template("controversies/edit.html", partnership=partnership, controversy=controversy, form=form,
                           campaigns=campaigns, linked_events=timeline.events_of_controversy(db(), controversy.id)), \
        400 if form.errors else 200


@bp.route("/partnerships/<int:partnership_id>/reports/<report_id>", methods=["POST"])
def review():
    partnership, report = g.partnership, g.report
    form = forms.ReviewForm()
    form.target.choices = [SelectChoice("", "—")] + [SelectChoice(str(e.id), e.title) for e in registry.entries(db(), partnership.id)]
    if form.validate_on_submit():
        target = db().get(Controversy, int(form.target.data)) if (form.target.data or "").isdigit() else None
        try:
            registry.review(db(), report, form.action.data, target)
            flash({"accept": _("The report is now a register entry."), "merge": _("The report is merged."),
                   "dismiss": _("The report is set aside.")}[form.action.data], "success")
        except registry.RegisterError as error:
            flash(str(error), "error")
    else:
        flash(_("Nothing was changed: check the form."), "error")
    return redirect(url_for(".register", partnership_id=partnership.id))
