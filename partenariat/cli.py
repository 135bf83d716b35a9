"""The command line (README.md, "Command line"): ``flask --app app <command>``.

Messages follow the shell's language (LANG starting with "fr" gives French, anything else
English); PARTENARIAT_LANG overrides it.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError, ProgrammingError

from partenariat.database import commit, db
from partenariat.models import Campaign
from partenariat.roles import Role
from partenariat.services import demo, exports, funding, releases, timeline
from partenariat.services.campaign import CampaignError, create_campaign
from partenariat.services.importing import import_responses
from partenariat.services.invitation import Invitee, base_url, invite, parse_roster, personal_link
from partenariat.services.problems import FileRejected
from partenariat.statuses import CampaignStatus

ROOT = Path(__file__).resolve().parent.parent


def cli_lang() -> str:
    chosen = os.environ.get("PARTENARIAT_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG", "")
    return "fr" if chosen.lower().startswith("fr") else "en"


def localized(func):
    """Messages in the shell's language; one commit when the command succeeds (services only
    flush); a database that cannot be used is a message too."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with force_locale(cli_lang()):
            try:
                result = func(*args, **kwargs)
                commit()
                return result
            except (OperationalError, ProgrammingError) as error:
                fail(_("The database cannot be used (%(reason)s). Check DATABASE_URL, then run: flask --app app init-db",
                       reason=str(error.orig).splitlines()[0]))

    return wrapper


def fail(message: str, code: int = 1) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def alembic_config():
    # Alembic is imported here, not at start-up: only init-db and the tests need it.
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = current_app.config["DATABASE_URL"]
    return config


def _campaign(campaign_id: int) -> Campaign:
    campaign = db().get(Campaign, campaign_id)
    if campaign is None:
        fail(_("No campaign has the id %(id)s.", id=campaign_id))
    return campaign


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        fail(_("Cannot read %(path)s: %(reason)s", path=path, reason=exc.strerror or exc))


@click.command("init-db")
@with_appcontext
@localized
def init_db() -> None:
    """Create or upgrade the database schema (Alembic)."""
    from alembic import command as alembic_command

    alembic_command.upgrade(alembic_config(), "head")
    click.echo(_("The database is up to date."))


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Load the demo even into a database that holds other partnerships.")
@with_appcontext
@localized
def seed_demo(force) -> None:
    """Load (or reload) the demo partnership with three yearly campaigns."""
    if demo.holds_other_data(db()) and not force:
        fail(_("This database holds partnerships other than the demo's: the demo was not loaded. "
               "Use a new database, or add --force to load it beside them."))
    links = demo.seed(db())
    click.echo(_("Demo partnership loaded: %(name)s (current campaign id %(id)s).", name=demo.DEMO_PARTNERSHIP, id=links.campaign_id))
    click.echo(_("Personal links of partners who have not started:"))
    for label, token in links.fresh:
        click.echo(f"  {label}: {personal_link(token)}")
    click.echo(_("Personal links of partners who are half-way through:"))
    for label, token in links.half_done:
        click.echo(f"  {label}: {personal_link(token)}")
    click.echo(_("Demo accounts (sign in at %(url)s):", url=f"{base_url()}/account/login"))
    for email, password, role in links.accounts:
        click.echo(f"  {role}: {email} / {password}")


@click.command("create-campaign")
@click.option("--partnership", "partnership_name", required=True, help="Partnership name (created if new).")
@click.option("--year", type=int, required=True)
@click.option("--title", default=None)
@click.option("--k", type=int, default=None, help="Anonymity threshold (default 3).")
@click.option("--region", default=None)
@click.option("--languages", default="fr,en", show_default=True)
@click.option("--draft", is_flag=True, help="Create it closed to answers (status draft) instead of open.")
@with_appcontext
@localized
def create_campaign_command(partnership_name, year, title, k, region, languages, draft) -> None:
    """Create a campaign and print its id."""
    try:
        campaign = create_campaign(
            db(),
            partnership_name=partnership_name,
            year=year,
            title=title,
            k=k if k is not None else current_app.config["DEFAULT_K"],
            status=CampaignStatus.DRAFT if draft else CampaignStatus.OPEN,
            languages=languages,
            region=region,
        )
    except CampaignError as error:
        fail(str(error))
    click.echo(campaign.id)


@click.command("invite")
@click.argument("campaign_id", type=int)
@click.option("--count", type=click.IntRange(1, 5000), default=None, help="Number of anonymous links.")
@click.option("--roster", type=click.Path(dir_okay=False), default=None, help="CSV or XLSX: label, email, sector, language.")
@with_appcontext
@localized
def invite_command(campaign_id, count, roster) -> None:
    """Print one personal link per partner (in roster order)."""
    if (count is None) == (roster is None):
        fail(_("Give either --count N or --roster FILE."))
    campaign = _campaign(campaign_id)
    if roster:
        try:
            invitees = parse_roster(_read(roster), roster)
        except FileRejected as error:
            fail(_("The roster was not imported:") + "\n" + "\n".join(str(p) for p in error.problems))
    else:
        invitees = [Invitee() for _n in range(count)]
    for _invitation, token in invite(db(), campaign, invitees):
        click.echo(personal_link(token))


@click.command("import-responses")
@click.argument("campaign_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
@localized
def import_responses_command(campaign_id, file) -> None:
    """Import responses from CSV or XLSX; all or nothing."""
    campaign = _campaign(campaign_id)
    try:
        count = import_responses(db(), campaign, _read(file), file)
    except FileRejected as error:
        fail(_("Nothing was imported. Fix these problems and try again:") + "\n" + "\n".join(str(p) for p in error.problems))
    click.echo(_("%(n)s responses imported into campaign %(id)s.", n=count, id=campaign.id))


def _write(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        fail(_("Cannot write %(path)s: %(reason)s", path=path, reason=exc.strerror or exc))


@click.command("release")
@click.argument("campaign_id", type=int)
@with_appcontext
@localized
def release_command(campaign_id) -> None:
    """Make a release: freeze the responses that wait, so that results include them."""
    campaign = _campaign(campaign_id)
    try:
        made = releases.make_release(db(), campaign)
    except releases.ReleaseRefused as refused:
        fail(_("No release: %(reason)s", reason=refused.message))
    click.echo(_("Release %(number)s of campaign %(id)s counts %(n)s responses (%(link)s through links, %(entered)s entered).",
                 number=made.number, id=campaign.id, n=made.n, link=made.n_link, entered=made.n_entered))


@click.command("close")
@click.argument("campaign_id", type=int)
@with_appcontext
@localized
def close_command(campaign_id) -> None:
    """Close a campaign to answers, with a final release when the anonymity rules allow it."""
    campaign = _campaign(campaign_id)
    try:
        closing = releases.close(db(), campaign)
    except CampaignError as error:
        fail(str(error))
    click.echo(_("Campaign %(id)s is closed.", id=campaign.id))
    if closing.release is not None:
        click.echo(_("Final release %(number)s counts %(n)s responses.", number=closing.release.number,
                     n=closing.release.n))
    elif closing.refusal_message:
        click.echo(_("No final release: %(reason)s", reason=closing.refusal_message))


@click.command("export-json")
@click.argument("campaign_id", type=int)
@click.argument("out", type=click.Path(dir_okay=False))
@with_appcontext
@localized
def export_json_command(campaign_id, out) -> None:
    """Write the scored portrait as JSON (schema: docs/portrait-json.md)."""
    import json

    data = _export(exports.portrait_json, db(), campaign_id)
    _write(out, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
    click.echo(_("Portrait of campaign %(id)s written to %(path)s.", id=campaign_id, path=out))


def _export(function, *args, **kwargs):
    """Run an export of services.exports; its refusal is the command's message."""
    try:
        return function(*args, **kwargs)
    except exports.ExportError as error:
        fail(str(error))


@click.command("radar")
@click.argument("campaign_id", type=int)
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--compare", "others", type=int, multiple=True, help="Other campaigns of the same partnership to overlay.")
@click.option("--dimension", type=click.Choice(["conditions", "keys", "domains", "rt"]), default="conditions", show_default=True)
@click.option("--by-sector", is_flag=True, help="One polygon per sector group that reaches k (instead of per campaign).")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Labels' language (default: the shell's).")
@with_appcontext
@localized
def radar_command(campaign_id, out, others, dimension, by_sector, lang) -> None:
    """Draw a radar chart (PNG or SVG, from OUT's extension)."""
    fmt = Path(out).suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        fail(_("The output file must end in .png or .svg."))
    data = _export(exports.radar, db(), [campaign_id, *others], dimension, lang or cli_lang(), fmt, by_sector=by_sector)
    _write(out, data)
    click.echo(_("Chart written to %(path)s.", path=out))


@click.command("export-xlsx")
@click.argument("campaign_id", type=int)
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@with_appcontext
@localized
def export_xlsx_command(campaign_id, out, lang) -> None:
    """Write the coordinator workbook of a campaign."""
    _write(out, _export(exports.coordinator_workbook, db(), campaign_id, lang))
    click.echo(_("Workbook written to %(path)s.", path=out))


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--partnership", "partnerships", multiple=True, help="A partnership the account works with (repeatable).")
@with_appcontext
@localized
def create_user_command(email, role, partnerships) -> None:
    """Create an account and print its one-time set-password link (valid 7 days); for an
    existing account, print a new link instead (the old one stops working). Logged."""
    from partenariat.services.accounts import AccountError, create_or_reinvite, set_password_link

    try:
        _user, token, _created = create_or_reinvite(db(), email, role, list(partnerships))
    except (AccountError, CampaignError) as error:
        fail(str(error))
    click.echo(set_password_link(token))


@click.command("share")
@click.argument("campaign_id", type=int)
@click.option("--off", is_flag=True, help="Withdraw the campaign from funders.")
@with_appcontext
@localized
def share_command(campaign_id, off) -> None:
    """Share a campaign with funders (or withdraw it with --off); logged."""
    campaign = _campaign(campaign_id)
    funding.set_shared(db(), campaign, not off)
    click.echo(_("Campaign %(id)s is no longer shared with funders.", id=campaign.id) if off
               else _("Campaign %(id)s is shared with funders.", id=campaign.id))


@click.command("export-funder")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--year", type=int, default=None)
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@with_appcontext
@localized
def export_funder_command(out, year, lang) -> None:
    """Write the funder workbook of every shared campaign; logged."""
    _write(out, _export(exports.funder_workbook, db(), None, current_app.config["K_FUNDER"], lang, year))
    click.echo(_("Workbook written to %(path)s.", path=out))


@click.command("dump")
@click.argument("out", type=click.Path(dir_okay=False))
@with_appcontext
@localized
def dump_command(out) -> None:
    """Write the whole database to a JSON file (a backup)."""
    import json

    from partenariat.services.backup import dump

    _write(out, json.dumps(dump(db()), ensure_ascii=False).encode("utf-8"))
    click.echo(_("Backup written to %(path)s.", path=out))


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False))
@with_appcontext
@localized
def restore_command(source) -> None:
    """Load a backup into an empty database (run init-db first)."""
    import json

    from partenariat.services.backup import BackupError, restore

    try:
        data = json.loads(_read(source).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        fail(_("This file is not a Partenariat backup."))
    try:
        counts = restore(db(), data)
    except BackupError as error:
        fail(str(error))
    click.echo(_("Backup restored: %(n)s rows.", n=sum(counts.values())))


@click.command("import-events")
@click.argument("partnership_name")
@click.argument("project_title")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
@localized
def import_events_command(partnership_name, project_title, file) -> None:
    """Import a project's timeline from CSV or XLSX (SPEC §8), replacing the project's
    events, effects and links; all or nothing. The project is created if new."""
    try:
        counts = timeline.import_events(db(), partnership_name, project_title, _read(file), file)
    except FileRejected as error:
        fail(_("Nothing was imported. Fix these problems and try again:") + "\n" + "\n".join(str(p) for p in error.problems))
    except timeline.TimelineRefused as error:
        fail(str(error))
    click.echo(_("Timeline of %(project)s imported: %(events)s events, %(effects)s effects, %(links)s links.",
                 project=project_title, events=counts.events, effects=counts.effects, links=counts.links))


@click.command("export-timeline")
@click.argument("partnership_name")
@click.argument("project_title")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Labels' language (default: the shell's).")
@with_appcontext
@localized
def export_timeline_command(partnership_name, project_title, out, lang) -> None:
    """Write a project's timeline as JSON, SVG, PNG, PDF or XLSX (from OUT's extension)."""
    fmt = Path(out).suffix.lower().lstrip(".")
    try:
        data = timeline.export_timeline(db(), partnership_name, project_title, fmt, lang or cli_lang())
    except timeline.TimelineRefused as error:
        fail(str(error))
    _write(out, data)
    click.echo(_("Timeline written to %(path)s.", path=out))


@click.command("export-plan")
@click.argument("campaign_id", type=int)
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Labels' language (default: the shell's).")
@with_appcontext
@localized
def export_plan_command(campaign_id, out, lang) -> None:
    """Write a campaign's retreat and action plan as JSON or XLSX (from OUT's extension;
    docs/plan.md). A bad extension or an unknown campaign exits with 2 and writes nothing."""
    fmt = Path(out).suffix.lower().lstrip(".")
    if fmt not in exports.PLAN_FORMATS:
        fail(_("The output file must end in %(formats)s.", formats=", ".join(f".{f}" for f in exports.PLAN_FORMATS)),
             code=2)
    try:
        data = exports.plan_file(db(), campaign_id, fmt, lang or cli_lang())
    except exports.ExportError as error:
        fail(str(error), code=2)
    _write(out, data)
    click.echo(_("Action plan of campaign %(id)s written to %(path)s.", id=campaign_id, path=out))


def init_app(app: Flask) -> None:
    for cmd in (init_db, seed_demo, create_campaign_command, invite_command, import_responses_command, release_command, close_command,
                export_json_command, radar_command, export_xlsx_command, create_user_command,
                share_command, export_funder_command, dump_command, restore_command, import_events_command,
                export_timeline_command, export_plan_command):
        app.cli.add_command(cmd)
