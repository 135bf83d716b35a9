"""Coordinator pages for campaigns. Thin: parse, call a service, render."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from partenariat.auth import campaign_or_404, partnership_or_404, roles_required
from partenariat.blueprints.campaigns import forms
from partenariat.blueprints.downloads import attachment
from partenariat.database import db
from partenariat.i18n import current_lang
from partenariat.models import Invitation, Partnership
from partenariat.models import Response as SubmittedResponse
from partenariat.services import accounts, funding, mail, tracking
from partenariat.services.campaign import CampaignError, create_campaign, set_published, set_status
from partenariat.services.importing import import_responses
from partenariat.services.invitation import Invitee, invite, parse_roster, personal_link, renew_link
from partenariat.services.problems import FileRejected
from questionnaires import load_instrument

bp = Blueprint("campaigns", __name__, url_prefix="/coordination")
COORDINATION = ("admin", "coordinator")


@bp.route("/")
@roles_required(*COORDINATION)
def dashboard():
    allowed = accounts.partnership_ids(db(), current_user)
    query = select(Partnership).order_by(Partnership.name)
    if allowed is not None:
        query = query.where(Partnership.id.in_(allowed))
    partnerships = db().scalars(query).all()
    counts = dict(db().execute(
        select(SubmittedResponse.campaign_id, func.count()).group_by(SubmittedResponse.campaign_id)).all())
    return render_template("campaigns/dashboard.html", partnerships=partnerships, counts=counts)


@bp.route("/partnerships/<int:partnership_id>/campaigns/new", methods=["GET", "POST"])
@roles_required(*COORDINATION)
def new_campaign(partnership_id: int):
    partnership = partnership_or_404(partnership_id)
    form = forms.CampaignForm(k=current_app.config["DEFAULT_K"])
    if form.validate_on_submit():
        try:
            campaign = create_campaign(
                db(), partnership_name=partnership.name, year=form.year.data, title=form.title.data, k=form.k.data,
                status="draft", languages=",".join(form.languages.data), opens_on=form.opens_on.data,
                closes_on=form.closes_on.data,
            )
        except CampaignError as error:
            flash(str(error), "error")
        else:
            flash(_("The campaign is created as a draft. Invite partners, then open it."), "success")
            return redirect(url_for(".campaign", campaign_id=campaign.id))
    return render_template("campaigns/new.html", form=form, partnership=partnership), 400 if form.errors else 200


def _invite_forms(instrument, lang):
    one = forms.InviteOneForm(prefix="one")
    one.sector.choices = [SelectChoice("", "—")] + [SelectChoice(c, label.get(lang)) for c, label in instrument.sectors.items()]
    return one, forms.AnonymousLinksForm(prefix="anon"), forms.UploadForm(prefix="roster")


def _render_campaign(campaign, new_links=None, status=200, **form_overrides):
    instrument = load_instrument(campaign.instrument_version)
    lang = current_lang()
    one, anon, roster = _invite_forms(instrument, lang)
    invitations = db().scalars(
        select(Invitation).where(Invitation.campaign_id == campaign.id).order_by(Invitation.id)).all()
    return render_template(
        "campaigns/campaign.html",
        campaign=campaign,
        instrument=instrument,
        lang=lang,
        progress=tracking.progress(db(), campaign, instrument.sectors),
        invitations=invitations,
        new_links=new_links or [],
        one_form=form_overrides.get("one", one),
        anon_form=form_overrides.get("anon", anon),
        roster_form=form_overrides.get("roster", roster),
        upload_form=form_overrides.get("upload", forms.UploadForm(prefix="responses")),
        action_form=forms.ActionForm(),
        mail_configured=bool(current_app.config.get("MAIL_SERVER")),
    ), status


@bp.route("/campaigns/<int:campaign_id>")
@roles_required(*COORDINATION)
def campaign(campaign_id: int):
    return _render_campaign(campaign_or_404(campaign_id))


@bp.route("/campaigns/<int:campaign_id>/status/<status>", methods=["POST"])
@roles_required(*COORDINATION)
def change_status(campaign_id: int, status: str):
    campaign = campaign_or_404(campaign_id)
    if forms.ActionForm().validate_on_submit():
        try:
            set_status(db(), campaign, status)
            flash({"open": _("The campaign is open: personal links now work."),
                   "closed": _("The campaign is closed: links no longer accept answers.")}[status], "success")
        except CampaignError as error:
            flash(str(error), "error")
    return redirect(url_for(".campaign", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/sharing", methods=["GET", "POST"])
@roles_required(*COORDINATION)
def sharing(campaign_id: int):
    """Show exactly what funders would receive, then share or withdraw."""
    campaign = campaign_or_404(campaign_id)
    form = forms.ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        share_it = request.form.get("shared") == "1"
        funding.set_shared(db(), campaign, share_it)
        flash(_("The campaign is shared with funders.") if share_it else _("The campaign is no longer shared with funders."),
              "success")
        return redirect(url_for(".sharing", campaign_id=campaign.id))
    k_funder = current_app.config["K_FUNDER"]
    [row] = funding.rows_for(db(), campaign, k_funder)
    instrument = load_instrument(campaign.instrument_version)
    return render_template("campaigns/sharing.html", campaign=campaign, row=row, form=form, k_funder=k_funder,
                           instrument=instrument, codes=funding.codes(instrument), lang=current_lang())


@bp.route("/campaigns/<int:campaign_id>/publish", methods=["POST"])
@roles_required(*COORDINATION)
def publish(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    if forms.ActionForm().validate_on_submit():
        publish_it = request.form.get("published") == "1"
        set_published(db(), campaign, publish_it)
        flash(_("Partners can now see the group portrait through their link.") if publish_it
              else _("The portrait is private again."), "success")
    return redirect(url_for(".campaign", campaign_id=campaign.id))


def _links_response(campaign, created, as_csv: bool):
    if request.form.get("send") == "1" and mail.configured():
        try:
            sent = mail.send_links(campaign, created)
            flash(_("%(n)s invitations sent by e-mail.", n=sent), "success")
        except OSError:
            flash(_("The e-mail server could not be reached; nothing was sent. The links below still work."), "error")
    links = [(inv.label or "", inv.email or "", personal_link(token)) for inv, token in created]
    if not as_csv:
        flash(_("%(n)s personal links created. Copy or download them now: for privacy they are stored "
                "only in a form that cannot be shown again.", n=len(links)), "success")
        return _render_campaign(campaign, new_links=links)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("label"), _("e-mail"), _("personal link")])
    writer.writerows(links)
    return attachment("\ufeff" + buffer.getvalue(), f"links-campaign-{campaign.id}.csv", "text/csv")


@bp.route("/campaigns/<int:campaign_id>/invitations", methods=["POST"])
@roles_required(*COORDINATION)
def add_invitations(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    instrument = load_instrument(campaign.instrument_version)
    one, anon, roster = _invite_forms(instrument, current_lang())
    as_csv = request.form.get("download") == "csv"
    kind = request.form.get("kind")
    if kind == "one" and one.validate_on_submit():
        invitee = Invitee(one.label.data or None, one.email.data or None, one.sector.data or None, one.language.data or None)
        return _links_response(campaign, invite(db(), campaign, [invitee]), as_csv)
    if kind == "anonymous" and anon.validate_on_submit():
        return _links_response(campaign, invite(db(), campaign, [Invitee()] * anon.count.data), as_csv)
    if kind == "roster" and roster.validate_on_submit():
        upload = roster.file.data
        try:
            invitees = parse_roster(upload.read(), upload.filename or "roster.csv")
        except FileRejected as error:
            for problem in error.problems:
                flash(str(problem), "error")
            flash(_("The roster was not imported; nobody was invited."), "error")
            return _render_campaign(campaign, status=400, roster=roster)
        return _links_response(campaign, invite(db(), campaign, invitees), as_csv)
    flash(_("Nothing was created: check the form."), "error")
    return _render_campaign(campaign, status=400, one=one, anon=anon, roster=roster)


@bp.route("/campaigns/<int:campaign_id>/invitations/<int:invitation_id>/new-link", methods=["POST"])
@roles_required(*COORDINATION)
def new_link(campaign_id: int, invitation_id: int):
    campaign = campaign_or_404(campaign_id)
    invitation = db().get(Invitation, invitation_id)
    if invitation is None or invitation.campaign_id != campaign.id or not forms.ActionForm().validate_on_submit():
        flash(_("This link cannot be renewed."), "error")
        return redirect(url_for(".campaign", campaign_id=campaign.id))
    token = renew_link(db(), invitation)
    flash(_("A new link was made; the old one no longer works. Answers already saved are kept."), "success")
    return _links_response(campaign, [(invitation, token)], as_csv=False)


@bp.route("/campaigns/<int:campaign_id>/reminders", methods=["POST"])
@roles_required(*COORDINATION)
def reminders(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    if not mail.configured():
        flash(_("No e-mail server is configured, so Partenariat does not send e-mails: copy the links or download them as a CSV file and send them yourself."), "error")
    elif forms.ActionForm().validate_on_submit():
        try:
            sent = mail.send_reminders(db(), campaign)
            flash(_("%(n)s reminders sent, each with a new personal link.", n=sent), "success")
        except OSError:
            flash(_("The e-mail server could not be reached; nothing was sent."), "error")
    return redirect(url_for(".campaign", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/responses", methods=["POST"])
@roles_required(*COORDINATION)
def upload_responses(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    form = forms.UploadForm(prefix="responses")
    if not form.validate_on_submit():
        flash(_("Choose a CSV or XLSX file to import."), "error")
        return _render_campaign(campaign, status=400, upload=form)
    upload = form.file.data
    try:
        count = import_responses(db(), campaign, upload.read(), upload.filename or "responses.csv")
    except FileRejected as error:
        for problem in error.problems:
            flash(str(problem), "error")
        flash(_("Nothing was imported. Fix these problems and upload the file again."), "error")
        return _render_campaign(campaign, status=400, upload=form)
    flash(_("%(n)s responses imported.", n=count), "success")
    return redirect(url_for(".campaign", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/entry-template.xlsx")
@roles_required(*COORDINATION)
def entry_template(campaign_id: int):
    from exports.entry_template import build

    campaign = campaign_or_404(campaign_id)
    data = build(load_instrument(campaign.instrument_version), current_lang())
    return attachment(data, f"entry-template-{campaign.id}.xlsx")


@bp.route("/campaigns/<int:campaign_id>/paper")
@roles_required(*COORDINATION)
def paper(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    return render_template("campaigns/paper.html", campaign=campaign,
                           instrument=load_instrument(campaign.instrument_version), lang=current_lang())

