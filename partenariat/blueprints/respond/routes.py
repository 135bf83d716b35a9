"""Partner pages: welcome, the three sections, review, submit, received.

Every view resolves the token first; a wrong, closed or expired link ends in a bilingual
page (``LinkProblem``), never in a stack trace.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from partenariat.blueprints.main.errors import bilingual_page, bilingual_text
from partenariat.blueprints.respond import forms
from partenariat.database import db
from partenariat.i18n import asked_language, current_lang
from partenariat.services import draft as drafts
from partenariat.services import portrait as portraits
from partenariat.services.draft import ReportInput
from partenariat.services.invitation import TooManyGuesses, find_by_token_for
from partenariat.services.submission import AlreadySubmitted, SectorMissing, submit
from questionnaires import LANGUAGES, load_instrument

bp = Blueprint("respond", __name__, url_prefix="/r")


class LinkProblem(Exception):
    def __init__(self, kind: str):
        self.kind = kind


LINK_PROBLEMS = {
    # kind: (HTTP status, title, explanation) — rendered in both languages.
    "unknown": (404, _l("This link is not valid"), _l("Check that you copied the whole link from your invitation. If it still does not work, ask the coordinator of your partnership for a new link.")),
    "not_open": (403, _l("This questionnaire is not open yet"), _l("The coordinator has not opened the questionnaire yet. Your link will work as soon as it opens.")),
    "closed": (410, _l("This questionnaire is closed"), _l("The coordinator has closed the questionnaire, so answers can no longer be sent. Contact them if you think this is a mistake.")),
    "too_many": (429, _l("Too many wrong links"), _l("This computer has tried many links that do not exist. Wait 15 minutes, then open your link again exactly as you received it.")),
    "expired": (410, _l("The deadline has passed"), _l("The answering period for this questionnaire is over. Contact the coordinator if you still want to take part.")),
}


@bp.errorhandler(LinkProblem)
def _link_problem(problem: LinkProblem):
    status, title, body = LINK_PROBLEMS[problem.kind]
    return bilingual_page(title, body, status)


def _resolve(token: str, invitation=None):
    """The invitation, campaign and instrument of a link that may still answer.

    A link that has submitted stays valid after the campaign closes: it shows the receipt
    (and later the published portrait).
    """
    invitation = invitation or _lookup(token)
    if invitation is None:
        raise LinkProblem("unknown")
    _link_language(invitation)
    campaign = invitation.campaign
    if not invitation.has_submitted:
        availability = campaign.availability(date.today())
        if availability != "open":
            raise LinkProblem(availability)
    return invitation, campaign, load_instrument(campaign.instrument_version)


def _link_language(invitation) -> None:
    """The page speaks the link's language, among those the campaign offers; a partner who
    switches language changes it for the link (on any device), not for this browser only."""
    asked = _language_change(invitation)
    if asked:
        invitation.language = asked
    g.preferred_lang = invitation.language


def _language_change(link) -> str | None:
    """The language a request asks for when it changes the link's, else None; the campaign's
    languages are those the page may speak (``g.link_languages``)."""
    offered = tuple(link.campaign.language_list) or LANGUAGES
    g.link_languages = offered
    asked = asked_language()
    return asked if asked in offered and asked != link.language and not link.has_submitted else None


def _saved_quickly(token: str, code: str, value: str):
    """The quick way for a click: one statement saves the answer of a started link whose
    campaign is open and asks that question, and reads back its campaign and draft. When it
    writes nothing, or the click asks for another language, None sends the click through
    ``_resolve``, which deals with every other case (wrong links counted, closed campaigns,
    the first click marking the link started, a language change, the refusal's message)."""
    if asked_language():
        return None
    link = drafts.save_started(token, code, value, date.today())
    if link is None:
        return None
    g.link_languages = tuple(link.campaign.language_list) or LANGUAGES
    g.preferred_lang = link.language
    return link, load_instrument(link.campaign.instrument_version)


def _lookup(token: str):
    try:
        return find_by_token_for(db(), token, request.remote_addr or "?")
    except TooManyGuesses:
        raise LinkProblem("too_many") from None


def _section_codes(instrument) -> list[str]:
    return [section.code for section in instrument.sections]


def _common(invitation, campaign, instrument, data):
    answered, total = drafts.progress(data, instrument)
    return {
        "token": request.view_args["token"],
        "invitation": invitation,
        "campaign": campaign,
        "instrument": instrument,
        "lang": current_lang(),
        "answered": answered,
        "total": total,
        "sections": instrument.sections,
    }


def _shows_portrait(invitation, campaign) -> bool:
    return campaign.published and (invitation.has_submitted or campaign.status == "closed")


@bp.route("/<token>", methods=["GET", "POST"])
def welcome(token: str):
    invitation = _lookup(token)
    if invitation is None:
        raise LinkProblem("unknown")
    if request.method == "GET" and _shows_portrait(invitation, invitation.campaign):
        _link_language(invitation)
        result = portraits.build(db(), invitation.campaign)
        return render_template("respond/portrait.html", result=result, campaign=result.campaign, p=result.portrait,
                               instrument=result.instrument, lang=current_lang(), token=token,
                               submitted=invitation.has_submitted)
    invitation, campaign, instrument = _resolve(token, invitation)
    if invitation.has_submitted:
        return render_template("respond/received.html", campaign=campaign, lang=current_lang(), token=token)
    data = drafts.read(db(), invitation)
    form = forms.start_form(instrument, current_lang(), data.get("sector") or invitation.sector)
    if form.validate_on_submit():
        data = drafts.update(db(), invitation, sector=form.sector.data)
        if request.form.get("switch_lang"):
            return redirect(url_for(".welcome", token=token))
        return redirect(_resume_url(token, instrument, data))
    status = 400 if form.errors else 200
    # A link already under way opens with a way straight back to its first unanswered
    # question at the top (the page is long on a phone), once a sector is known (chosen at the
    # start, or else the roster's, which a submission takes in the same way).
    resume = _resume_url(token, instrument, data) if data.get("sector") or invitation.sector else None
    return render_template("respond/welcome.html", form=form, draft=data, resume=resume,
                           **_common(invitation, campaign, instrument, data)), status


def _resume_url(token: str, instrument, data) -> str:
    """Where a partner picks up: the first unanswered question, or the review when none is
    left. The first question of a part opens at the top of the part, with its introduction."""
    first = drafts.first_unanswered(data, instrument)
    if first is None:
        return url_for(".review", token=token)
    section_code, item_code = first
    at_start = instrument.section(section_code).items[0] == item_code
    return url_for(".section", token=token, section=section_code, _anchor=None if at_start else f"item-{item_code}")


def _render_section(invitation, campaign, instrument, section_code, form, data, status=200):
    codes = _section_codes(instrument)
    index = codes.index(section_code)
    return render_template(
        "respond/section.html",
        form=form,
        section=instrument.section(section_code),
        position=index + 1,
        previous=codes[index - 1] if index > 0 else None,
        next_section=codes[index + 1] if index + 1 < len(codes) else None,
        reports=data.get("reports", []),
        **_common(invitation, campaign, instrument, data),
    ), status


def _report_from(form) -> ReportInput:
    return ReportInput(
        title=form.report_title.data.strip(),
        description=(form.report_description.data or "").strip(),
        nature=form.report_nature.data or None,
        status=form.report_status.data or None,
        means=tuple(form.report_means.data or ()),
        effect=form.report_effect.data or None,
    )


@bp.route("/<token>/<section>", methods=["GET", "POST"])
def section(token: str, section: str):
    invitation, campaign, instrument = _resolve(token)
    if invitation.has_submitted:
        return redirect(url_for(".welcome", token=token))
    codes = _section_codes(instrument)
    if section not in codes:
        raise LinkProblem("unknown")
    data = drafts.read(db(), invitation)
    form = forms.section_form(instrument, section, current_lang(), data["answers"])
    if request.method == "GET":
        return _render_section(invitation, campaign, instrument, section, form, data)
    if not form.validate():
        flash(_("Some answers could not be saved; see the messages below. Nothing on this page was saved."), "error")
        return _render_section(invitation, campaign, instrument, section, form, data, 400)

    items = instrument.section(section).items
    changes = {
        "answers": {code: form[code].data for code in items if form[code].data},
        "remove_report": request.form.get("remove_report"),
    }
    if isinstance(form, forms.ControversySectionForm) and form.has_report():
        changes["add_report"] = _report_from(form)
    drafts.update(db(), invitation, **changes)

    action = request.form.get("action", "save")
    index = codes.index(section)
    if request.form.get("switch_lang"):
        # Back to the question the partner was reading (sent by respond.js), not the top.
        at = request.form.get("at")
        anchor = f"item-{at}" if at in items else None
        return redirect(url_for(".section", token=token, section=section, _anchor=anchor))
    if changes["remove_report"]:
        return redirect(url_for(".section", token=token, section=section))
    if action == "save":
        flash(_("Your answers are saved. You can close this page and come back later with the same link."), "success")
        return redirect(url_for(".section", token=token, section=section))
    if action == "previous" and index > 0:
        return redirect(url_for(".section", token=token, section=codes[index - 1]))
    if action == "next" and index + 1 < len(codes):
        return redirect(url_for(".section", token=token, section=codes[index + 1]))
    return redirect(url_for(".review", token=token))


def _answer_refused(message, status: int):
    """A click that was not saved: a JSON error in the partner's language, which respond.js
    shows. A refusal is final (trying again cannot help); what may pass later (the
    database-down page, a network failure) comes without this JSON and is retried."""
    return jsonify(saved=False, error=str(message), retry=False), status


@bp.route("/<token>/answer", methods=["POST"])
def answer(token: str):
    """One click, saved at once by respond.js (JSON ``{"item", "value"}`` or the same as a
    form), CSRF token in the X-CSRFToken header. One draft update, no page rendered: the
    reply is small JSON so that 50 partners clicking together stay fast."""
    sent = request.get_json(silent=True) if request.is_json else request.form
    readable = isinstance(sent, dict) and isinstance(sent.get("item"), str) and isinstance(sent.get("value"), str)
    quick = _saved_quickly(token, sent["item"], sent["value"]) if readable else None
    if quick is not None:
        link, instrument = quick
        code, value, data = sent["item"], sent["value"], link.draft
    else:
        try:
            invitation, _campaign, instrument = _resolve(token)
        except LinkProblem as problem:
            status, title, _body = LINK_PROBLEMS[problem.kind]
            # A link that matches nothing has no language of its own: both, as on the pages.
            return _answer_refused(title if "preferred_lang" in g else bilingual_text(title), status)
        if invitation.has_submitted:
            return _answer_refused(_("This link has already sent its answers; they can no longer be changed."), 409)
        if not readable:
            return _answer_refused(_("The answer could not be read. Nothing was saved."), 400)
        code, value = sent["item"], sent["value"]
        problem = drafts.answer_problem(instrument, code, value)
        if problem:
            return _answer_refused(problem, 400)
        data = drafts.update(db(), invitation, answers={code: value})
    answered, total = drafts.progress(data, instrument)
    return jsonify(saved=True, item=code, value=value, answered=answered, total=total)


@bp.route("/<token>/review", methods=["GET", "POST"])
def review(token: str):
    invitation, campaign, instrument = _resolve(token)
    if invitation.has_submitted:
        return redirect(url_for(".welcome", token=token))
    form = forms.SubmitForm()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                submit(db(), invitation, instrument, current_lang())
            except SectorMissing:
                db().rollback()  # submit took the draft first: it stays
                flash(_("Tell us which sector you represent before sending your answers."), "error")
                return redirect(url_for(".welcome", token=token))
            except AlreadySubmitted:
                db().rollback()
                return _already_submitted(campaign, token)
            return redirect(url_for(".welcome", token=token))
        status = 400
    data = drafts.read(db(), invitation)  # read only to show the page: submit reads its own
    missing = {s.code: drafts.unanswered(data, instrument, s.code) for s in instrument.sections}
    return render_template(
        "respond/review.html",
        form=form,
        missing=missing,
        n_missing=sum(len(codes) for codes in missing.values()),
        n_dont_know=sum(1 for v in data["answers"].values() if v == "NSP"),
        reports=data.get("reports", []),
        sector=data.get("sector") or invitation.sector,
        **_common(invitation, campaign, instrument, data),
    ), status


def _already_submitted(campaign, token):
    return render_template(
        "respond/received.html", campaign=campaign, lang=current_lang(), token=token, already=True
    ), 409


@bp.route("/<token>/charts/<dimension>.svg")
def chart(token: str, dimension: str):
    """The published portrait's radars, for partners."""
    from partenariat.services.charts import DIMENSIONS, chart_bytes

    invitation = _lookup(token)
    if invitation is None or dimension not in DIMENSIONS or not _shows_portrait(invitation, invitation.campaign):
        raise LinkProblem("unknown")
    _link_language(invitation)

    result = portraits.build(db(), invitation.campaign, portrait_only=True)
    if result.portrait.suppressed:
        raise LinkProblem("unknown")
    data = chart_bytes(result.instrument, [(result.campaign.title, result.portrait)], dimension, current_lang(), "svg",
                       result.campaign.partnership.name)
    return Response(data, mimetype="image/svg+xml")


@bp.errorhandler(CSRFError)
def _expired_form(_error):
    """A POST without a valid CSRF token: keep what the partner typed on the page."""
    token = (request.view_args or {}).get("token", "")
    try:  # wrong links count against the guessing limit here too
        invitation = _lookup(token)
    except LinkProblem as problem:
        if request.endpoint == "respond.answer":
            return _answer_refused(LINK_PROBLEMS[problem.kind][1], LINK_PROBLEMS[problem.kind][0])
        return _link_problem(problem)
    if request.endpoint == "respond.answer":
        if invitation is not None:
            _link_language(invitation)
        return _answer_refused(_("This page had expired, so this answer is not saved yet. It is kept in this tab: "
                                 "press “Save” to keep it."), 400)
    if invitation is None or request.endpoint != "respond.section" or invitation.has_submitted:
        return bilingual_page(
            _l("This page had expired"),
            _l("For your security, forms expire. Nothing you had saved before was lost: go back to your link and try again."),
            400,
        )
    # Raising from an error handler would end in a 500: answer link problems directly.
    try:
        _invitation, campaign, instrument = _resolve(token, invitation)
    except LinkProblem as problem:
        return _link_problem(problem)
    section_code = request.view_args["section"]
    if section_code not in _section_codes(instrument):
        return _link_problem(LinkProblem("unknown"))
    data = drafts.read(db(), invitation)
    form = forms.section_form(instrument, section_code, current_lang(), data["answers"])
    flash(_("This page had expired, so the answers below are not saved yet. Check them and press “Save” again."), "error")
    return _render_section(invitation, campaign, instrument, section_code, form, data, 400)
