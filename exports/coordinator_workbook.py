"""The coordinator's Excel workbook of one campaign (issue 3), built with openpyxl.

Every number comes from the same portrait as the JSON export; scores are rounded to one
decimal here and only here. Sheet names and headers follow the chosen language.
"""

from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import gettext as _

from exports.numbers import one_decimal, share
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
from partenariat.services.portrait import CampaignPortrait, ControversyRow, IndividualAnswers


def _kind(kind: str) -> str:
    return {"condition": _("Condition"), "key": _("Key"), "climate": _("Climate")}[kind]


def _flags(instrument, flags, lang) -> str:
    return ", ".join(instrument.flags[f].get(lang) for f in flags)


def _band(instrument, code, lang) -> str | None:
    return next((b.name.get(lang) for b in instrument.bands if b.code == code), None)


def build(result: CampaignPortrait, answers: list[IndividualAnswers], controversies: list[ControversyRow], lang: str) -> bytes:
    with force_locale(lang):
        return _build(result, answers, controversies, lang)


def _build(result: CampaignPortrait, answers, controversies, lang: str) -> bytes:
    from openpyxl import Workbook

    campaign, portrait, instrument = result.campaign, result.portrait, result.instrument
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")
    fit_to_page_width(summary)
    _summary(summary, result, lang)

    hidden_note = _("Fewer than %(k)s responses were submitted: nothing is shown, to protect anonymity.", k=campaign.k)
    items = [] if portrait.suppressed else portrait.items.values()
    table_sheet(
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
    table_sheet(
        workbook, _("RT"),
        [_("RT"), _("Domain"), _("Transitional result"), _("Definition"), _("Score"), _("Gap")],
        ([r.code, r.domain, instrument.rts[r.code].name.get(lang), instrument.rts[r.code].definition.get(lang),
          one_decimal(r.score), one_decimal(r.gap)] for r in portrait.rts.values()),
        formats={5: SCORE_FORMAT, 6: SCORE_FORMAT}, column_widths=[7, 8, 40, 60, 8, 8], wrap={3, 4},
    )
    agenda = table_sheet(
        workbook, _("Retreat agenda"),
        [_("Order"), _("Item"), _("Statement"), _("Score"), _("Flags"), "A", "B", "C"],
        ([rank, code, instrument.items[code].statement.get(lang), one_decimal(portrait.items[code].score),
          _flags(instrument, portrait.items[code].flags, lang), portrait.items[code].counts.A,
          portrait.items[code].counts.B, portrait.items[code].counts.C]
         for rank, code in enumerate(portrait.agenda, start=1)),
        formats={4: SCORE_FORMAT}, column_widths=[7, 8, 70, 8, 20, 6, 6, 6], wrap={3},
    )
    dims = list(instrument.dimensions)
    table_sheet(
        workbook, _("Groups"),
        [_("Sector"), _("Responses"), _("Shown"), *dims, *instrument.domains],
        ([instrument.sectors[g.code].get(lang), None if g.suppressed else g.n,
          _("yes") if g.portrait else (_("no: fewer than k responses") if g.suppressed == "below_k"
                                       else _("no: hidden so that a small group cannot be deduced")),
          *((one_decimal(g.portrait.dimensions[d].score) for d in dims) if g.portrait else [None] * len(dims)),
          *((one_decimal(g.portrait.domains[d].score) for d in instrument.domains) if g.portrait
            else [None] * len(instrument.domains))]
         for g in result.groups),
        formats={c: SCORE_FORMAT for c in range(4, 4 + len(dims) + len(instrument.domains))},
        column_widths=[34, 10, 30, *([8] * (len(dims) + len(instrument.domains)))], wrap={3},
    )
    codes = list(instrument.items)
    table_sheet(
        workbook, _("Individual answers"),
        [_("Pseudonym"), _("Sector"), _("Language"), *codes],
        ([a.pseudonym, instrument.sectors[a.sector].get(lang) if a.sector else _("(hidden: fewer than k)"), a.lang,
          *(a.answers.get(code, "") for code in codes)] for a in answers),
        column_widths=[11, 30, 9, *([6] * len(codes))],
    )
    register = instrument.register
    table_sheet(
        workbook, _("Controversies"),
        [_("Ref."), _("Title"), _("Description"), _("Nature"), _("Status at this campaign"), _("Means used"),
         _("Effect on cooperation"), _("Source")],
        ([r.ref, r.title, r.description, register["nature"][r.nature].get(lang) if r.nature else None,
          register["status"][r.status].get(lang) if r.status else None,
          ", ".join(register["means"][m].get(lang) for m in r.means),
          register["effect"][r.effect].get(lang) if r.effect else None,
          _("register") if r.source == "register" else _("partner report, not reviewed yet")]
         for r in ([] if portrait.suppressed else controversies)),
        column_widths=[6, 36, 50, 14, 26, 40, 24, 12], wrap={2, 3, 6},
    )
    _dictionary(workbook, result, lang)

    if portrait.suppressed:
        for sheet in (workbook[_("Items")], agenda, workbook[_("Individual answers")]):
            put(sheet, 2, 1, hidden_note)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _summary(sheet, result: CampaignPortrait, lang: str) -> None:
    from openpyxl.chart import RadarChart, Reference

    campaign, portrait, instrument = result.campaign, result.portrait, result.instrument
    put(sheet, 1, 1, _("Partnership self-assessment — portrait")).font = TITLE_FONT
    facts = [
        (_("Partnership"), campaign.partnership.name),
        (_("Region"), campaign.partnership.region or ""),
        (_("Campaign"), campaign.title),
        (_("Year"), campaign.year),
        (_("Instrument version"), instrument.version),
        (_("Anonymity threshold (k)"), campaign.k),
        (_("Partners invited"), result.n_invited),
        (_("Responses submitted"), portrait.n_submitted),
        (_("Response rate"), share(portrait.n_submitted, result.n_invited)),
    ]
    for row, (label, value) in enumerate(facts, start=3):
        put(sheet, row, 1, label).font = LABEL_FONT
        put(sheet, row, 2, value, SHARE_FORMAT if label == _("Response rate") else None)
    row = len(facts) + 4
    if portrait.suppressed:
        put(sheet, row, 1, _("Fewer than %(k)s responses were submitted: nothing is shown, to protect anonymity.", k=campaign.k))
        row += 2
    header(sheet, row, [_("Code"), _("Dimension"), _("Kind"), _("Score"), _("Gap"), _("Band")])
    first = row + 1
    kinds_rows: dict[str, list[int]] = {}
    for index, d in enumerate(portrait.dimensions.values()):
        r = first + index
        kinds_rows.setdefault(d.kind, []).append(r)
        put(sheet, r, 1, d.code)
        put(sheet, r, 2, instrument.dimensions[d.code].name.get(lang))
        put(sheet, r, 3, _kind(d.kind))
        put(sheet, r, 4, one_decimal(d.score), SCORE_FORMAT)
        put(sheet, r, 5, one_decimal(d.gap), SCORE_FORMAT)
        put(sheet, r, 6, _band(instrument, d.band, lang))
    row = first + len(portrait.dimensions) + 1
    header(sheet, row, [_("Code"), _("Domain"), "", _("Score"), _("Gap"), _("Band")])
    domain_first = row + 1
    for index, d in enumerate(portrait.domains.values()):
        r = domain_first + index
        put(sheet, r, 1, d.code)
        put(sheet, r, 2, instrument.domains[d.code].name.get(lang))
        put(sheet, r, 4, one_decimal(d.score), SCORE_FORMAT)
        put(sheet, r, 5, one_decimal(d.gap), SCORE_FORMAT)
        put(sheet, r, 6, _band(instrument, d.band, lang))
    widths(sheet, [28, 52, 12, 9, 9, 16])
    sheet.freeze_panes = "A3"

    def radar(title: str, first_row: int, last_row: int, anchor: str) -> None:
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

    if not portrait.suppressed:
        conditions, keys = kinds_rows.get("condition", []), kinds_rows.get("key", [])
        if conditions:
            radar(_("The six conditions"), conditions[0], conditions[-1], "H3")
        if keys:
            radar(_("The five keys"), keys[0], keys[-1], "H24")
        radar(_("The three RT domains"), domain_first, domain_first + len(portrait.domains) - 1, "H45")


def _dictionary(workbook, result: CampaignPortrait, lang: str) -> None:
    instrument = result.instrument
    rows = [
        (_("Instrument version"), instrument.version),
        (_("Answer values"), _("A = 2, B = 1, C = 0; “I don't know” and blank are missing and count in no score.")),
        (_("Item score"), _("50 × the mean value of the A, B and C answers (0 to 100); empty when nobody answered A, B or C.")),
        (_("Dimension score"), _("Mean of the scores of the dimension's items that have a score.")),
        (_("RT score"), _("Weighted mean of the scores of the items mapped to the RT, with the weights of the mapping.")),
        (_("Domain score"), _("Mean of the domain's RT scores.")),
        (_("Gap"), _("100 − score: the distance left to the top of the scale.")),
        (_("Bands"), _("Strength: 75 or more; to consolidate: 50 to under 75; to work on: under 50.")),
        (_("Flags"), _("Weak: at least a third answered C, or C is the most frequent answer. Divergent: at least a quarter answered A and a quarter C, or no answer reaches half. Strong: at least two thirds answered A and nobody C.")),
        (_("Retreat agenda"), _("Weak items from the lowest score up, then divergent items from the widest spread down, then strong items.")),
        (_("Suppression"), _("No result is shown for fewer than k submitted responses (the campaign or any group). When exactly one group is below k, the next-smallest group is hidden too, so that it cannot be deduced from the total.")),
        (_("Individual answers"), _("Listed under pseudonyms (R001…), in an order that says nothing about who answered or when; the sector is hidden where fewer than k respondents share it.")),
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
