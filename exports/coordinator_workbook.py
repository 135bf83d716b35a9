"""The coordinator's Excel workbook of one campaign, built with openpyxl.

Every number comes from the same portrait as the JSON export; scores are rounded to one
decimal here and only here. Sheet names and headers follow the chosen language. Plain data
in (``partenariat.results``), bytes out: nothing here reads the database.
"""

from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import gettext as _

from exports import rules_text
from exports.numbers import one_decimal, share
from exports.plan_sheet import add_plan_sheet
from exports.spreadsheet import (
    LABEL_FONT,
    SCORE_FORMAT,
    SHARE_FORMAT,
    TITLE_FONT,
    fit_to_page_width,
    header,
    put,
    table_sheet,
    widths,
)
from partenariat.plan.model import PlanExport
from partenariat.results import CampaignPortrait, ControversyRow, IndividualAnswers
from partenariat.scoring.retreat import retreat_agenda

# Where the summary's three native radars go.
RADAR_ANCHORS = {"condition": "H3", "key": "H24", "domains": "H45"}


def _kind(kind: str) -> str:
    return {"condition": _("Condition"), "key": _("Key"), "climate": _("Climate")}[kind]


def _flags(instrument, flags, lang) -> str:
    return ", ".join(instrument.flags[f].get(lang) for f in flags)


def _band(instrument, code, lang) -> str | None:
    return next((b.name.get(lang) for b in instrument.bands if b.code == code), None)


def _hidden_note(result: CampaignPortrait) -> str:
    return _("Fewer than %(k)s responses were submitted: nothing is shown, to protect anonymity.", k=result.campaign.k)


def build(result: CampaignPortrait, answers: list[IndividualAnswers], controversies: list[ControversyRow], lang: str,
          plan: PlanExport | None = None) -> bytes:
    with force_locale(lang):
        return _build(result, answers, controversies, lang, plan)


def _build(result: CampaignPortrait, answers: list[IndividualAnswers], controversies: list[ControversyRow],
           lang: str, plan: PlanExport | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")
    fit_to_page_width(summary)
    _summary(summary, result, lang)
    hidden = result.portrait.suppressed
    items = _items_sheet(workbook, result, lang)
    _rt_sheet(workbook, result, lang)
    agenda = _agenda_sheet(workbook, result, lang)
    _groups_sheet(workbook, result, lang)
    individual = _answers_sheet(workbook, result, answers, lang)
    _controversies_sheet(workbook, result, [] if hidden else controversies, lang)
    _dictionary(workbook, result, lang)
    if plan is not None:
        add_plan_sheet(workbook, plan, lang)
    if hidden:
        for sheet in (items, agenda, individual):
            put(sheet, 2, 1, _hidden_note(result))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _items_sheet(workbook, result: CampaignPortrait, lang: str):
    portrait, instrument = result.portrait, result.instrument
    items = [] if portrait.suppressed else portrait.items.values()
    return table_sheet(
        workbook, _("Items"),
        [_("Item"), _("Dimension"), _("Statement"), _("Answers (A+B+C)"), "A", "B", "C", _("Don't know / blank"),
         _("% A"), _("% B"), _("% C"), _("Score"), _("Gap"), _("Flags")],
        ([i.code, i.dimension, instrument.items[i.code].statement.get(lang), i.counts.n_valid,
          i.counts.A, i.counts.B, i.counts.C, i.counts.NSP,
          share(i.counts.A, i.counts.n_valid), share(i.counts.B, i.counts.n_valid), share(i.counts.C, i.counts.n_valid),
          one_decimal(i.score), one_decimal(i.gap), _flags(instrument, i.flags, lang)] for i in items),
        formats={9: SHARE_FORMAT, 10: SHARE_FORMAT, 11: SHARE_FORMAT, 12: SCORE_FORMAT, 13: SCORE_FORMAT},
        column_widths=[8, 10, 60, 10, 6, 6, 6, 10, 8, 8, 8, 8, 8, 20], wrap={3},
    )


def _rt_sheet(workbook, result: CampaignPortrait, lang: str):
    instrument = result.instrument
    return table_sheet(
        workbook, _("RT"),
        [_("RT"), _("Domain"), _("Transitional result"), _("Definition"), _("Score"), _("Gap")],
        ([r.code, r.domain, instrument.rts[r.code].name.get(lang), instrument.rts[r.code].definition.get(lang),
          one_decimal(r.score), one_decimal(r.gap)] for r in result.portrait.rts.values()),
        formats={5: SCORE_FORMAT, 6: SCORE_FORMAT}, column_widths=[7, 8, 40, 60, 8, 8], wrap={3, 4},
    )


def agenda_parts(result: CampaignPortrait) -> list[tuple[str, str, str | None]]:
    """(item, part, key) in the retreat's reading order: the focused discussion points (their
    items grouped), then the annex, then the strengths — the split of the retreat pack."""
    split = retreat_agenda(result.instrument, result.portrait, result.campaign.focus)
    rows = [(code, _("Discussion point %(n)s", n=number), point.key)
            for number, point in enumerate(split.focus, start=1) for code in point.items]
    rows += [(code, _("Also worth a look"), None) for code in split.also]
    rows += [(code, _("Strength to build on"), None) for code in split.strengths]
    return rows


def _agenda_sheet(workbook, result: CampaignPortrait, lang: str):
    portrait, instrument = result.portrait, result.instrument
    rank = {code: index for index, code in enumerate(portrait.agenda, start=1)}

    def key_name(key):
        return f"{key} · {instrument.dimensions[key].name.get(lang)}" if key else None

    return table_sheet(
        workbook, _("Retreat agenda"),
        [_("Order"), _("Item"), _("Statement"), _("Score"), _("Flags"), "A", "B", "C", _("Part"),
         _("Key to discuss")],
        ([rank[code], code, instrument.items[code].statement.get(lang), one_decimal(portrait.items[code].score),
          _flags(instrument, portrait.items[code].flags, lang), portrait.items[code].counts.A,
          portrait.items[code].counts.B, portrait.items[code].counts.C, part, key_name(key)]
         for code, part, key in agenda_parts(result)),
        formats={4: SCORE_FORMAT}, column_widths=[7, 8, 70, 8, 20, 6, 6, 6, 22, 40], wrap={3, 10},
    )


def _group_shown(group) -> str:
    if group.portrait:
        return _("yes")
    if group.suppressed == "below_k":
        return _("no: fewer than k responses")
    return _("no: hidden so that a small group cannot be deduced")


def _groups_sheet(workbook, result: CampaignPortrait, lang: str):
    instrument = result.instrument
    dims, domains = list(instrument.dimensions), list(instrument.domains)

    def scores(group) -> list:
        if not group.portrait:
            return [None] * (len(dims) + len(domains))
        return [*(one_decimal(group.portrait.dimensions[d].score) for d in dims),
                *(one_decimal(group.portrait.domains[d].score) for d in domains)]

    return table_sheet(
        workbook, _("Groups"),
        [_("Sector"), _("Responses"), _("Shown"), *dims, *domains],
        ([instrument.sectors[g.code].get(lang), None if g.suppressed else g.n, _group_shown(g), *scores(g)]
         for g in result.groups),
        formats={c: SCORE_FORMAT for c in range(4, 4 + len(dims) + len(domains))},
        column_widths=[34, 10, 30, *([8] * (len(dims) + len(domains)))], wrap={3},
    )


def _answers_sheet(workbook, result: CampaignPortrait, answers: list[IndividualAnswers], lang: str):
    instrument = result.instrument
    codes = list(instrument.items)
    return table_sheet(
        workbook, _("Individual answers"),
        [_("Pseudonym"), *codes],
        ([a.pseudonym, *(a.answers.get(code, "") for code in codes)] for a in answers),
        column_widths=[11, *([6] * len(codes))],
    )


def _controversies_sheet(workbook, result: CampaignPortrait, controversies: list[ControversyRow], lang: str):
    register = result.instrument.register

    def term(vocabulary: str, code: str | None) -> str | None:
        return register[vocabulary][code].get(lang) if code else None

    return table_sheet(
        workbook, _("Controversies"),
        [_("Ref."), _("Title"), _("Description"), _("Nature"), _("Status at this campaign"), _("Means used"),
         _("Effect on cooperation"), _("Source")],
        ([r.ref, r.title, r.description, term("nature", r.nature), term("status", r.status),
          ", ".join(register["means"][m].get(lang) for m in r.means), term("effect", r.effect),
          _("register") if r.source == "register" else _("partner report, not reviewed yet")]
         for r in controversies),
        column_widths=[6, 36, 50, 14, 26, 40, 24, 12], wrap={2, 3, 6},
    )


def _summary(sheet, result: CampaignPortrait, lang: str) -> None:
    """Facts about the campaign, the dimension and domain tables, and their native radars."""
    put(sheet, 1, 1, _("Partnership self-assessment — portrait")).font = TITLE_FONT
    row = _facts(sheet, result)
    if result.portrait.suppressed:
        put(sheet, row, 1, _hidden_note(result))
        row += 2
    dimension_rows = _dimension_table(sheet, row, result, lang)
    domain_rows = _domain_table(sheet, dimension_rows["end"] + 1, result, lang)
    widths(sheet, [28, 52, 12, 9, 9, 16])
    sheet.freeze_panes = "A3"
    if not result.portrait.suppressed:
        for kind, title in (("condition", _("The six conditions")), ("key", _("The five keys"))):
            if dimension_rows.get(kind):
                _radar(sheet, title, dimension_rows[kind][0], dimension_rows[kind][-1], RADAR_ANCHORS[kind])
        _radar(sheet, _("The three RT domains"), domain_rows[0], domain_rows[-1], RADAR_ANCHORS["domains"])


def _facts(sheet, result: CampaignPortrait) -> int:
    """The campaign's facts from row 3; returns the first row after them and a blank one."""
    campaign, portrait, release = result.campaign, result.portrait, result.release
    facts = [
        (_("Partnership"), campaign.partnership.name, None),
        (_("Region"), campaign.partnership.region or "", None),
        (_("Campaign"), campaign.title, None),
        (_("Year"), campaign.year, None),
        (_("Instrument version"), result.instrument.version, None),
        (_("Anonymity threshold (k)"), campaign.k, None),
        (_("Partners invited"), result.n_invited, None),
        (_("Release"), _("no release yet") if release is None else
         _("no. %(number)s of %(date)s", number=release.number, date=release.made_at.date().isoformat()), None),
        (_("Responses in this release"), portrait.n_submitted, None),
        (_("of which sent through a personal link"), release.n_link if release else 0, None),
        (_("of which entered from paper or a file"), release.n_entered if release else 0, None),
        # Entered rows have no link: the rate is that of the links.
        (_("Response rate (links)"), share(release.n_link if release else 0, result.n_invited), SHARE_FORMAT),
    ]
    for row, (label, value, number_format) in enumerate(facts, start=3):
        put(sheet, row, 1, label).font = LABEL_FONT
        put(sheet, row, 2, value, number_format)
    return len(facts) + 4


def _score_row(sheet, row: int, code: str, name: str, kind: str, result_row, instrument, lang: str) -> None:
    put(sheet, row, 1, code)
    put(sheet, row, 2, name)
    put(sheet, row, 3, kind)
    put(sheet, row, 4, one_decimal(result_row.score), SCORE_FORMAT)
    put(sheet, row, 5, one_decimal(result_row.gap), SCORE_FORMAT)
    put(sheet, row, 6, _band(instrument, result_row.band, lang))


def _dimension_table(sheet, row: int, result: CampaignPortrait, lang: str) -> dict:
    """The dimension table under a header at ``row``; returns the rows of each kind and the
    last row ("end")."""
    instrument = result.instrument
    header(sheet, row, [_("Code"), _("Dimension"), _("Kind"), _("Score"), _("Gap"), _("Band")])
    rows: dict = {}
    for r, d in enumerate(result.portrait.dimensions.values(), start=row + 1):
        rows.setdefault(d.kind, []).append(r)
        _score_row(sheet, r, d.code, instrument.dimensions[d.code].name.get(lang), _kind(d.kind), d, instrument, lang)
    rows["end"] = row + len(result.portrait.dimensions)
    return rows


def _domain_table(sheet, row: int, result: CampaignPortrait, lang: str) -> list[int]:
    """The domain table after a blank line under ``row``; returns the rows of the domains."""
    instrument = result.instrument
    row += 1
    header(sheet, row, [_("Code"), _("Domain"), "", _("Score"), _("Gap"), _("Band")])
    rows = []
    for r, d in enumerate(result.portrait.domains.values(), start=row + 1):
        rows.append(r)
        _score_row(sheet, r, d.code, instrument.domains[d.code].name.get(lang), None, d, instrument, lang)
    return rows


def _radar(sheet, title: str, first_row: int, last_row: int, anchor: str) -> None:
    """A native Excel radar of the scores (column D) named in column B of those rows."""
    from openpyxl.chart import RadarChart, Reference

    chart = RadarChart()
    chart.type = "marker"
    chart.title = title
    chart.style = 26
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 25
    chart.y_axis.delete = False
    chart.add_data(Reference(sheet, min_col=4, min_row=first_row, max_row=last_row))
    chart.set_categories(Reference(sheet, min_col=2, min_row=first_row, max_row=last_row))
    chart.legend = None
    chart.height, chart.width = 10, 17
    sheet.add_chart(chart, anchor)


def _dictionary(workbook, result: CampaignPortrait, lang: str) -> None:
    instrument = result.instrument
    rows = [
        (_("Instrument version"), instrument.version),
        (_("Answer values"), _("%(values)s; “I don't know” and blank are missing and count in no score.",
                               values=rules_text.answer_values(instrument))),
        (_("Item score"), _("%(factor)s × the mean value of the A, B and C answers (0 to 100); empty when nobody answered A, B or C.",
                            factor=rules_text.item_factor(instrument))),
        (_("Dimension score"), _("Mean of the scores of the dimension's items that have a score.")),
        (_("RT score"), _("Weighted mean of the scores of the items mapped to the RT, with the weights of the mapping.")),
        (_("Domain score"), _("Mean of the domain's RT scores.")),
        (_("Gap"), _("100 − score: the distance left to the top of the scale.")),
        (_("Bands"), rules_text.bands(instrument, lang)),
        (_("Flags"), _("Weak: at least a third answered C, or C is the most frequent answer. Divergent: at least a quarter answered A and at least a quarter C (both ends of the scale). Strong: at least two thirds answered A and nobody C.")),
        (_("Retreat agenda"), _("Weak items from the lowest score up, then divergent items from the widest spread down, then strong items.")),
        (_("Discussion points"), _("The retreat focuses on at most %(n)s discussion points, taken in agenda order from the weak and divergent items; the items of one dimension form one point, with the key that acts most on their RT by the weights of the mapping. The other weak or divergent items are “also worth a look”; strong items are “strengths to build on”.", n=result.campaign.focus)),
        (_("Suppression"), _("No result is shown for fewer than k submitted responses (the campaign or any group). When exactly one group is below k, the next-smallest group is hidden too, so that it cannot be deduced from the total.")),
        (_("Individual answers"), _("The answers alone, under pseudonyms (R001…) drawn afresh for each download, in a random order: no sector, no language, nothing that says who answered or when.")),
        (_("Release"), _("Every number comes from a release: a frozen set of responses. A new release needs at least k more responses than the last one, so two workbooks never differ by a single partner.")),
        (_("Item → RT mapping"), _("The mapping of items to transitional results is Partenariat's proposal: no published mapping exists.")),
        (_("Rounding"), _("Scores are computed exactly and rounded to one decimal in this workbook.")),
        (_("Self-evaluation"), _("These results describe how partners see their partnership. They support discussion; they are not a performance measure.")),
    ]
    sheet = table_sheet(workbook, _("Data dictionary"), [_("Topic"), _("Meaning")], rows, column_widths=[28, 110], wrap={2})
    row = len(rows) + 3
    header(sheet, row, [_("Item"), _("RT (weight)")])
    for offset, (code, item) in enumerate(instrument.items.items(), start=1):
        put(sheet, row + offset, 1, code)
        put(sheet, row + offset, 2, ", ".join(f"{rt} ({weight:g})" for rt, weight in item.rt.items()))
