"""Coordinator pages for campaigns. Thin: parse, call a service, render.

The blueprint's guard (``access.guard``) has checked the account and loaded ``g.partnership``,
``g.campaign`` and ``g.invitation`` from the URL before any view runs.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from partenariat import access
from partenariat.blueprints.campaigns import forms
from partenariat.blueprints.downloads import csv_attachment
from partenariat.database import db
from partenariat.i18n import current_lang
from partenariat.models import Invitation, Partnership
from partenariat.models import Response as SubmittedResponse
from partenariat.roles import Permission
from partenariat.services import funding, mail, releases, tracking
from partenariat.services.campaign import (
    CampaignError,
    create_campaign,
    delete_draft,
    same_year_campaigns,
    set_published,
    set_status,
)
from partenariat.services.importing import import_responses
from partenariat.services.invitation import (
    Invitee,
    LinkNotRenewable,
    copy_partners,
    invite,
    new_link_on_screen,
    new_links_for_everyone_pending,
    parse_roster,
    personal_link,
)
from partenariat.services.problems import FileRejected
from partenariat.statuses import CampaignStatus
from questionnaires import load_instrument

bp = Blueprint("campaigns", __name__, url_prefix="/coordination")
access.guard(bp, Permission.COORDINATE)


@bp.route("/")
def dashboard():
    allowed = access.partnership_ids(db(), current_user)
    query = select(Partnership).order_by(Partnership.name)
    if allowed is not None:
        query = query.where(Partnership.id.in_(allowed))
    partnerships = db().scalars(query).all()
    counts = dict(db().execute(
        select(SubmittedResponse.campaign_id, func.count()).group_by(SubmittedResponse.campaign_id)).all())
    return render_template("campaigns/dashboard.html", partnerships=partnerships, counts=counts)


@bp.route("/partnerships/<int:partnership_id>/campaigns/new", methods=["GET", "POST"])
def new_campaign():
    partnership = g.partnership
    form = forms.CampaignForm(k=current_app.config["DEFAULT_K"], year=date.today().year)
    earlier = sorted(partnership.campaigns, key=lambda c: (c.year, c.id), reverse=True)
    duplicates = []
    if form.validate_on_submit():
        duplicates = same_year_campaigns(db(), partnership.id, form.year.data)
        if duplicates and request.form.get("same_year_ok") != "1":
            return render_template("campaigns/new.html", form=form, partnership=partnership, earlier=earlier,
                                   duplicates=duplicates), 400
        try:
            campaign = create_campaign(
                db(), partnership_name=partnership.name, year=form.year.data, title=form.title.data, k=form.k.data,
                status=CampaignStatus.DRAFT, languages=",".join(form.languages.data), opens_on=form.opens_on.data,
                closes_on=form.closes_on.data, focus=form.focus.data,
            )
            source = next((c for c in earlier if str(c.id) == request.form.get("copy_from")), None)
            copied = copy_partners(db(), source, campaign) if source else 0
        except CampaignError as error:
            flash(str(error), "error")
        else:
            flash(_("The campaign is created as a draft. Invite partners, then open it."), "success")
            if copied:
                flash(ngettext("%(num)s partner of %(title)s is invited: send them their links from this page.",
                               "%(num)s partners of %(title)s are invited: send them their links from this page.",
                               copied, title=source.title), "success")
            return redirect(url_for(".campaign", campaign_id=campaign.id))
    return render_template("campaigns/new.html", form=form, partnership=partnership, earlier=earlier,
                           duplicates=duplicates), 400 if form.errors else 200


@bp.route("/campaigns/<int:campaign_id>/delete", methods=["POST"])
def delete():
    """A draft campaign without responses can be deleted (after a confirmation)."""
    campaign = g.campaign
    if not forms.ActionForm().validate_on_submit():
        return redirect(url_for(".campaign", campaign_id=campaign.id))
    if not _confirmed():
        return _confirm(_("Delete this draft campaign"),
                        [_("The campaign, its personal links and any saved drafts are deleted. This cannot be undone.")],
                        url_for(".delete", campaign_id=campaign.id), buttons=[(None, None, _("Delete the campaign"), "danger")])
    try:
        delete_draft(db(), campaign)
    except CampaignError as error:
        flash(str(error), "error")
        return redirect(url_for(".campaign", campaign_id=campaign.id))
    flash(_("The draft campaign is deleted."), "success")
    return redirect(url_for(".dashboard"))


def _invite_forms(instrument, lang):
    one = forms.InviteOneForm(prefix="one")
    one.sector.choices = [SelectChoice("", "—")] + [SelectChoice(c, label.get(lang)) for c, label in instrument.sectors.items()]
    return one, forms.AnonymousLinksForm(prefix="anon"), forms.UploadForm(prefix="roster")


def _render_campaign(new_links=None, status=200, anchor=None, paste_text=None, **form_overrides):
    """The campaign page. ``anchor``: the section whose form was used, where its messages show."""
    campaign = g.campaign
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
        progress=tracking.progress(db(), campaign),
        release_state=releases.state(db(), campaign),
        invitations=invitations,
        new_links=new_links or [],
        one_form=form_overrides.get("one", one),
        anon_form=form_overrides.get("anon", anon),
        roster_form=form_overrides.get("roster", roster),
        upload_form=form_overrides.get("upload", forms.UploadForm(prefix="responses")),
        action_form=forms.ActionForm(),
        mail_configured=mail.configured(),
        message_anchor=anchor,
        paste_text=paste_text,
    ), status


@bp.route("/campaigns/<int:campaign_id>")
def campaign():
    return _render_campaign()


STATUS_MESSAGES = {
    CampaignStatus.OPEN: _l("The campaign is open: personal links now work."),
    CampaignStatus.CLOSED: _l("The campaign is closed: links no longer accept answers."),
}


def _confirm(heading: str, consequences: list[str], action: str, warnings=(), buttons=None, hidden=None):
    """The confirmation page of an action: what will happen, then the same POST, confirmed."""
    return render_template("campaigns/confirm.html", campaign=g.campaign, heading=heading, consequences=consequences,
                           warnings=list(warnings), action=action, form=forms.ActionForm(), hidden=hidden or {},
                           buttons=buttons or [(None, None, heading, "primary")])


def _confirmed() -> bool:
    return request.form.get("confirmed") == "1"


def _closing_page():
    campaign = g.campaign
    state = releases.state(db(), campaign)
    started = tracking.progress(db(), campaign).started
    warnings = []
    if started:
        warnings.append(ngettext("%(num)s partner started but has not sent: their answers will not be counted.",
                                 "%(num)s partners started but have not sent: their answers will not be counted.", started))
    consequences = [_("Personal links will no longer accept answers (you can reopen the campaign later).")]
    if state.waiting.total and state.refusal is None:
        consequences.append(_("A final release will count the %(n)s responses that wait.", n=state.waiting.total))
    elif state.waiting.total:
        consequences.append(_("No final release can be made: %(reason)s", reason=releases.describe_refusal(state.refusal, campaign.k)))
    return _confirm(_("Close the campaign"), consequences, url_for(".change_status", campaign_id=campaign.id, status="closed"),
                    warnings)


@bp.route("/campaigns/<int:campaign_id>/status/<status>", methods=["POST"])
def change_status(status: str):
    campaign = g.campaign
    if status == CampaignStatus.CLOSED and not _confirmed() and forms.ActionForm().validate_on_submit():
        return _closing_page()
    if forms.ActionForm().validate_on_submit():
        try:
            if status == CampaignStatus.CLOSED:
                closing = releases.close(db(), campaign)
            else:
                set_status(db(), campaign, status)
        except CampaignError as error:
            flash(str(error), "error")
        else:
            flash(str(STATUS_MESSAGES[campaign.status]), "success")
            if status == CampaignStatus.CLOSED and closing.release is not None:
                flash(_("Final release %(number)s: the results now count %(n)s responses.",
                        number=closing.release.number, n=closing.release.n), "success")
            elif status == CampaignStatus.CLOSED and closing.refusal_message:
                flash(_("No final release: %(reason)s The results stay those of the last release.",
                        reason=closing.refusal_message), "error")
    return redirect(url_for(".campaign", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/release", methods=["POST"])
def release():
    """Freeze the responses that wait into a new release (the rules are in scoring.releases)."""
    campaign = g.campaign
    if forms.ActionForm().validate_on_submit():
        try:
            made = releases.make_release(db(), campaign)
        except releases.ReleaseRefused as refused:
            flash(_("No release: %(reason)s", reason=refused.message), "error")
        else:
            flash(_("Release %(number)s made: the results now count %(n)s responses.", number=made.number, n=made.n),
                  "success")
    return redirect(url_for(".campaign", campaign_id=campaign.id) + "#release")


@bp.route("/campaigns/<int:campaign_id>/sharing", methods=["GET", "POST"])
def sharing():
    """Show exactly what funders would receive, then share or withdraw."""
    campaign = g.campaign
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
    # The campaign's own k wins when it is stricter than the funders' threshold.
    return render_template("campaigns/sharing.html", campaign=campaign, row=row, form=form, k_funder=max(campaign.k, k_funder),
                           instrument=instrument, codes=funding.codes(instrument), lang=current_lang())


@bp.route("/campaigns/<int:campaign_id>/publish", methods=["POST"])
def publish():
    campaign = g.campaign
    if forms.ActionForm().validate_on_submit():
        publish_it = request.form.get("published") == "1"
        if publish_it and not _confirmed():
            latest = releases.latest(db(), campaign.id)
            consequences = [_("Partners who have sent their answers, and every partner once the campaign is closed, "
                              "will see the group portrait through their personal link."),
                            _("They see the results of the latest release: %(n)s responses.", n=latest.n) if latest
                            else _("There is no release yet: partners will see the portrait once there is one.")]
            return _confirm(_("Publish the portrait to partners"), consequences,
                            url_for(".publish", campaign_id=campaign.id), hidden={"published": "1"})
        set_published(db(), campaign, publish_it)
        flash(_("Partners can now see the group portrait through their link.") if publish_it
              else _("The portrait is private again."), "success")
    return redirect(url_for(".campaign", campaign_id=campaign.id))


def _links_response(created, as_csv: bool, paste_text: bool = False):
    campaign = g.campaign
    if request.form.get("send") == "1" and mail.configured():
        try:
            delivery = mail.send_links(campaign, created)
        except mail.MailServerUnreachable:
            flash(_("The e-mail server could not be reached; nothing was sent. The links below still work."), "error")
        else:
            flash(_("%(n)s invitations sent by e-mail.", n=delivery.sent), "success")
            if delivery.failed:
                flash(_("%(n)s invitations could not be sent; their links are below.", n=delivery.failed), "error")
    links = [(inv.label or "", inv.email or "", personal_link(token)) for inv, token in created]
    if not as_csv:
        flash(_("%(n)s personal links created. Copy or download them now: for privacy they are stored "
                "only in a form that cannot be shown again.", n=len(links)), "success")
        text = mail.invitation_text(campaign, _("[personal link]"), reminder=True) if paste_text else None
        return _render_campaign(new_links=links, paste_text=text, anchor="invite")
    return csv_attachment([_("label"), _("e-mail"), _("personal link")], links, f"links-campaign-{campaign.id}.csv")


@bp.route("/campaigns/<int:campaign_id>/links-for-everyone-pending", methods=["POST"])
def links_for_everyone_pending():
    """Without an e-mail server: a new link for every partner who has not sent, with a text to
    paste into one's own e-mails. Shown links start empty questionnaires: say so first."""
    campaign = g.campaign
    if not forms.ActionForm().validate_on_submit():
        return redirect(url_for(".campaign", campaign_id=campaign.id))
    if not _confirmed():
        started = tracking.progress(db(), campaign).started
        warnings = [ngettext("%(num)s partner has started: the answers they saved will be deleted, because a link shown "
                             "here never carries a draft. E-mailed links keep them (this needs an e-mail server).",
                             "%(num)s partners have started: the answers they saved will be deleted, because a link "
                             "shown here never carries a draft. E-mailed links keep them (this needs an e-mail server).",
                             started)] if started else []
        return _confirm(_("New links for everyone who has not sent"),
                        [_("Every partner who has not sent gets a new link; their old link stops working.")],
                        url_for(".links_for_everyone_pending", campaign_id=campaign.id), warnings,
                        buttons=[("show", "1", _("Make and show the links"), "primary"),
                                 ("download", "csv", _("Make and download (CSV)"), "secondary")])
    created = new_links_for_everyone_pending(db(), campaign)
    if request.form.get("download") == "csv":
        return _links_response(created, as_csv=True)
    return _links_response(created, as_csv=False, paste_text=True)


@bp.route("/campaigns/<int:campaign_id>/invitations", methods=["POST"])
def add_invitations():
    campaign = g.campaign
    if campaign.status == CampaignStatus.CLOSED:
        flash(_("This campaign is closed: reopen it before inviting more partners."), "error")
        return _render_campaign(status=400, anchor="invite")
    instrument = load_instrument(campaign.instrument_version)
    one, anon, roster = _invite_forms(instrument, current_lang())
    as_csv = request.form.get("download") == "csv"
    kind = request.form.get("kind")
    if kind == "one" and one.validate_on_submit():
        invitee = Invitee(one.label.data or None, one.email.data or None, one.sector.data or None, one.language.data or None)
        return _links_response(invite(db(), campaign, [invitee]), as_csv)
    if kind == "anonymous" and anon.validate_on_submit():
        return _links_response(invite(db(), campaign, [Invitee()] * anon.count.data), as_csv)
    if kind == "roster" and roster.validate_on_submit():
        upload = roster.file.data
        try:
            invitees = parse_roster(upload.read(), upload.filename or "roster.csv")
        except FileRejected as error:
            for problem in error.problems:
                flash(str(problem), "error")
            flash(_("The roster was not imported; nobody was invited."), "error")
            return _render_campaign(status=400, anchor="invite", roster=roster)
        return _links_response(invite(db(), campaign, invitees), as_csv)
    flash(_("Nothing was created: check the form."), "error")
    return _render_campaign(status=400, anchor="invite", one=one, anon=anon, roster=roster)


@bp.route("/campaigns/<int:campaign_id>/invitations/<int:invitation_id>/new-link", methods=["GET", "POST"])
def new_link():
    """GET explains what a new link does; POST makes it. A link shown on screen starts an
    empty questionnaire; only an e-mailed link (never displayed) keeps the partner's draft."""
    campaign, invitation = g.campaign, g.invitation
    form = forms.ActionForm()
    if invitation.has_submitted:
        flash(_("This partner has already sent their answers: their link cannot be renewed."), "error")
        return redirect(url_for(".campaign", campaign_id=campaign.id))
    can_email = bool(invitation.email) and mail.configured()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("campaigns/new_link.html", campaign=campaign, invitation=invitation, form=form,
                               can_email=can_email)
    if request.form.get("how") == "email" and can_email:
        try:
            mail.send_new_link(db(), campaign, invitation)
        except mail.MailServerUnreachable:
            flash(_("The e-mail server could not be reached; nothing was sent and the old link still works."), "error")
        else:
            flash(_("A new link was e-mailed to %(email)s; their saved answers are kept. The old link no longer works.",
                    email=invitation.email), "success")
        return redirect(url_for(".campaign", campaign_id=campaign.id))
    try:
        token = new_link_on_screen(db(), invitation)
    except LinkNotRenewable:
        flash(_("This partner has already sent their answers: their link cannot be renewed."), "error")
        return redirect(url_for(".campaign", campaign_id=campaign.id))
    flash(_("A new link was made. The old link no longer works and its saved answers were deleted."), "success")
    return _links_response([(invitation, token)], as_csv=False)


@bp.route("/campaigns/<int:campaign_id>/reminders", methods=["POST"])
def reminders():
    campaign = g.campaign
    if not mail.configured():
        flash(_("No e-mail server is configured, so Partenariat does not send e-mails: copy the links or download them as a CSV file and send them yourself."), "error")
    elif forms.ActionForm().validate_on_submit():
        try:
            delivery = mail.send_reminders(db(), campaign)
        except mail.MailServerUnreachable:
            flash(_("The e-mail server could not be reached; nothing was sent and every link still works."), "error")
        else:
            flash(_("%(n)s reminders sent, each with a new personal link.", n=delivery.sent), "success")
            if delivery.failed:
                flash(_("%(n)s reminders could not be sent; those partners keep their old link.", n=delivery.failed),
                      "error")
    return redirect(url_for(".campaign", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/responses", methods=["POST"])
def upload_responses():
    campaign = g.campaign
    form = forms.UploadForm(prefix="responses")
    if not form.validate_on_submit():
        flash(_("Choose a CSV or XLSX file to import."), "error")
        return _render_campaign(status=400, anchor="paper", upload=form)
    upload = form.file.data
    try:
        count = import_responses(db(), campaign, upload.read(), upload.filename or "responses.csv")
    except FileRejected as error:
        for problem in error.problems:
            flash(str(problem), "error")
        flash(_("Nothing was imported. Fix these problems and upload the file again."), "error")
        return _render_campaign(status=400, anchor="paper", upload=form)
    flash(ngettext("%(num)s response imported: it waits for the next release.",
                   "%(num)s responses imported: they wait for the next release.", count), "success")
    return redirect(url_for(".campaign", campaign_id=campaign.id) + "#paper")


@bp.route("/campaigns/<int:campaign_id>/entry-template.xlsx")
def entry_template():
    from exports.entry_template import build
    from partenariat.blueprints.downloads import attachment

    campaign = g.campaign
    data = build(load_instrument(campaign.instrument_version), current_lang())
    return attachment(data, f"entry-template-{campaign.id}.xlsx")


@bp.route("/campaigns/<int:campaign_id>/paper")
def paper():
    campaign = g.campaign
    return render_template("campaigns/paper.html", campaign=campaign,
                           instrument=load_instrument(campaign.instrument_version), lang=current_lang())
