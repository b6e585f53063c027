"""English. Typography: no space before `%` or a colon, curly quotes, "; " between items."""

TEXTS = {
    # typography
    "quotes": ("“", "”"),
    "and": "and",
    "or": "or",
    "colon": ": ",
    "sep": "; ",
    # bases and footnotes
    "base": "Base: {n} {unit}",
    "base_range": "Base: {low} to {high} {unit} depending on the item",
    "effective_base": "(effective {n})",
    "effective_range": "(effective {low} to {high})",
    "forced_100": "rounding adjusted so that each whole adds up to {hundred}",
    "footnote_chart": "{title}: ",
    # an untitled chart among several, named by its place (reading order beyond two)
    "chart_number": "Chart {n}",
    "several": "several answers possible",
    "small_base": "small base, interpret with care",
    "small_base_effective": "small effective base, interpret with care",
    "item_base": "{item}: base {n}",
    "item_base_label": "{item}: {label}",
    "respondents": "respondents",
    "respondent": "respondent",
    "respondents_title": "Respondents",
    # breakdowns: a series per segment of another question
    "total": "Total",
    "segment": "{label} (n\u00a0=\u00a0{n})",
    "by": "by {question}",
    "small_segments": "small bases: {names}, interpret with caution",
    "small_segments_effective": "small effective bases: {names}, interpret with caution",
    # the change report of `deckgen update`
    "changes_sheet": "Changes",
    "change_slide": "slide",
    "change_element": "element",
    "change_old": "before",
    "change_new": "after",
    "change_status": "status",
    "status_updated": "updated",
    "status_conflict": "conflict",
    "status_deleted": "deleted from the deck",
    "status_missing": "not in the deck",
    "status_added": "added",
    "status_restored": "restored",
    "status_alt": "alternative text updated",
    "status_orphan": "no longer in the spec",
    "status_copy": "also updated on a copy",
    "status_format": "formatting removed",
    "status_flag": "to check",
    "change_key": "key",
    "upd_updating": "updating…",
    "upd_building": "building the new figures",
    "upd_writing": "writing {path}",
    "upd_slide": "slide {n} {title}",
    "upd_slide_moved": "{slide} (slide {place} of the deck)",
    "upd_slide_gone": "slide {title}",
    "upd_copy_on": "{slide}, its copy on slide {place}",
    "upd_chart": "chart {n}",
    "upd_callout": "callout {n}",
    "upd_callout_text": "callout {n} sentence",
    "upd_footnote": "footnote",
    "upd_notes": "notes",
    "upd_alt": "{what}, alternative text",
    "upd_axis": "{what}, value axis",
    "upd_cell": "row {row} column {column}",
    "upd_figures_one": "{n} figure updated",
    "upd_figures_many": "{n} figures updated",
    "upd_and_alt": "{body}; alternative text updated",
    "upd_regions": "regions changed: {regions}",
    "upd_legend": "legend",
    "upd_conflict": (
        "conflict, left as the team wrote it ({old}); the data give {new} (--force {force} "
        "writes {writes})"
    ),
    "upd_conflict_notes": (
        "conflict, edited inside the generated notes: left as the team wrote them; the "
        "data change {old} → {new} (--force {force} replaces the whole notes with the "
        "generated ones, the team's words in them too)"
    ),
    "upd_flag": (
        "still says {old}, beside the team's figure: check it (--force {force} writes {writes})"
    ),
    "upd_flag_notes": "give the data's {new} where the slide shows the team's {old}: check them",
    "upd_flag_text": ("gives the data's {new} where the slide shows the team's {old}: check it"),
    "upd_deleted": "no longer in the deck (deleted, or renamed): not recreated",
    "upd_missing_slide": "new in the spec, not in the deck (--add-missing appends its slide)",
    "upd_missing_here": "new in the spec, on a slide the deck has: add it by hand",
    "upd_not_appended": (
        "new in the spec, not in the deck; not appended: the deck no longer has its layout"
    ),
    "upd_added": "new in the spec, appended at the end of the deck",
    "upd_orphan": "no longer in the spec: left as it is, its figures not updated",
    "upd_copy": "also on slide {place}, a copy",
    "upd_format_gone": "the category {name} is gone: its formatting went with it",
    "upd_expect": (
        "the data give {value} but `expect: {expect}` (the published figure); the data or"
        " the spec is wrong"
    ),
    "upd_restored": "restored, a tool had dropped them: {what}",
    "upd_restored_workbook_one": "{n} embedded workbook",
    "upd_restored_workbook_many": "{n} embedded workbooks",
    "upd_restored_alt_one": "{n} alternative text",
    "upd_restored_alt_many": "{n} alternative texts",
    "upd_changes_one": "{n} change",
    "upd_changes_many": "{n} changes",
    "upd_conflicts_one": "{n} conflict",
    "upd_conflicts_many": "{n} conflicts",
    "upd_standing_one": "{n} conflict or warning reported before still stands, unchanged",
    "upd_standing_many": "{n} conflicts and warnings reported before still stand, unchanged",
    "upd_backup": "backup of the edited deck: {path}",
    "upd_up_to_date": "{path}: already up to date; nothing written",
    "upd_dry_run": "dry run: {changes}, {conflicts}; nothing written",
    "upd_done": "updated {path}: {changes}, {conflicts}",
    "upd_wrote_one": "wrote {path} ({n} row)",
    "upd_wrote_many": "wrote {path} ({n} rows)",
    "status_expect": "published figure contradicted",
    "not_available": "n/a",  # an empty base
    "empty_segment": "No answers from this segment to this question (empty base)",
    "table_base": "Base",
    # personal decks
    "own_answer": "your answer",
    "own_level": "your answer: {level}",
    "own_rank": "your {rank} choice",
    "own_answer_label": "Your answer",
    "own_answers_label": "Your answers",
    "own_more_one": "+{n}\u00a0more",
    "own_more": "+{n}\u00a0more",
    "own_match": "your answer counts in this figure",
    "own_none": "no answer",
    "own_not_asked": "not asked",
    "personal_cover": "The answers of {name}: outlined in every chart, beside those of all "
    "respondents",
    "personal_cover_peers": " and, where there are enough of them, of your group ({group})",
    "own_note": "outlined: your answer",
    # what the disclosure rule left out (docs/privacy.md): never with a group's size
    "privacy_group": "no figures for {group}: fewer than {n} respondents",
    "privacy_group_others": "no comparison with {group}: fewer than {n} respondents",
    "privacy_rest": (
        "no figures for {group}: by subtraction they would give away those of fewer than "
        "{n} other respondents"
    ),
    "privacy_cells": "some figures for {group} hidden: they would give away individual answers",
    "privacy_pinned": (
        "no figures for {group}: with the chart's other figures they would give away "
        "individual answers"
    ),
    "privacy_all": (
        "figures for {group} not shown: alone or by subtraction they would give away "
        "individual answers"
    ),
    "privacy_withheld": "Not shown, to protect respondents' anonymity",
    "yes": "yes",
    "no": "no",
    "weighted": "weighted figures",
    # significance tests of a breakdown
    "test_z": "two-proportion z-test",
    "test_t": "Welch's t-test",
    "test_design": "t-test on the sampling design's strata and clusters",
    "test_fisher": "Fisher's exact test",
    "corr_holm": "Holm correction for {n}",
    "corr_bh": "Benjamini-Hochberg correction for {n}",
    "corr_none": "no correction for multiple comparisons",
    "comparison": "comparison",
    "comparisons": "comparisons",
    "sig_rest": (
        "▲▼: significantly different from the rest of the sample at the {level} level ({test}, "
        "{correction})"
    ),
    "sig_pairwise": (
        "A, B…: significantly higher than the segment of that letter at the {level} level "
        "({test}, pairwise, {correction})"
    ),
    "sig_none": "no significant difference at the {level} level ({test}, {correction})",
    "sig_none_tested": "no significant difference at the {level} level among the figures "
    "tested ({test}, {correction})",
    "sig_effective": "on the effective bases of the weights",
    "sig_untested": "no test for {names}: {reason}",
    "sig_untested_brief": "no test (the reasons are in the notes)",
    "why_small": "base under {n}",
    "why_small_effective": "effective base under {n}",
    "why_rest_small": "comparison base under {n} ({rest})",
    "why_rest_small_effective": "effective comparison base under {n} ({rest})",
    "why_extreme": "{zero} or {hundred} on a base under {n}",
    "why_extreme_effective": "{zero} or {hundred} on an effective base under {n}",
    "why_expected": "an expected count under {n}",
    "why_undefined": "the test cannot be computed",
    "why_break": "defined differently in {edition}",
    "why_unpublished": "no figure published in {edition}",
    "rest_of_sample": "the rest of the sample",
    # trends over editions
    "edition_base": "{label} (n\u00a0=\u00a0{n})",
    "edition_about": "{label} (n\u00a0≈\u00a0{n})",
    "change": "{n} pts",
    "editions_published": "earlier editions: published figures",
    "editions_about": "{label}: {about}, approximate base",
    "editions_break": "break in the series in {edition}: {text}",
    "editions_missing": "{na}: no figure published in {edition} for {names}",
    "sig_previous": (
        "▲▼: significant change since {edition} at the {level} level ({test}, {correction})"
    ),
    "sig_previous_none": (
        "no significant change since {edition} at the {level} level ({test}, {correction})"
    ),
    "sig_previous_none_tested": (
        "no significant change since {edition} at the {level} level among the figures tested "
        "({test}, {correction})"
    ),
    "sig_untested_edition": "no test against {edition}: approximate base",
    "measure_mean": "Mean",
    "measure_median": "Median",
    "measure_quantile": "{p} percentile",
    "table_more": "… and {n} more rows (see the indicators export)",
    # alternative texts
    "alt_base": "base {n} {unit}",
    "per_region": " ({unit} per region)",
    # speaker notes
    "note_chart": "Chart",
    "note_footnote": "Footnote",  # the whole footnote, where the slide shows it briefly
    "note_question": "Question",
    "note_base": "Base",
    "note_figures": "Figures",
    "note_key": "Key figure",
    "note_published": "Published figures.",
    "note_illustrative": (
        "Illustrative data (reconstruction): do not quote them as published results."
    ),
    "note_published_some": "Published figures: {names}.",
    "note_illustrative_rest": (
        "The other figures are illustrative (reconstruction): do not quote them as "
        "published results."
    ),
    "note_callout_base": "(base {n} {unit}; {status})",
    "note_callout_base_survey": "(base {n} {unit})",
    "note_callout_published": "published figure",
    "note_callout_moved": "not the published figure, {expect}",
    "note_callout_illustrative": "illustrative data (reconstruction)",
    # conditions, as footnotes describe a filter
    "cond_answered": "answered",
    "cond_not_answered": "not answered",
    "cond_in": "=",
    "cond_not_in": "≠",
    "cond_has": "includes",
    "cond_has_all": "includes all of",
    "cond_not": "not ({inner})",
    # whom a filter keeps, as a clause after a base ("Base: 22 respondents who…")
    "filtered": "{base} {who}",
    "filtered_range": "{base}, among {unit} {who}",
    "item_base_who": "base {{n}} {unit} {who}",
    "who_answered_with": "who answered {options} to {question}",
    "who_not_answered_with": "who did not answer {options} to {question}",
    "who_other": "who answered {question} with something other than {options}",
    "who_ticked": "who selected {options} for {question}",
    "who_not_ticked": "who did not select {options} for {question}",
    "who_not_ticked_all": "who did not select all of {options} for {question}",
    "who_band": "whose answer to {question} is in {options}",
    "who_not_band": "whose answer to {question} is not in {options}",
    "who_at_least": "whose answer to {question} is at least {low}",
    "who_under": "whose answer to {question} is under {high}",
    "who_between": "whose answer to {question} is at least {low} and under {high}",
    "who_answered": "who answered {question}",
    "who_not_answered": "who did not answer {question}",
    # charts and the regions map
    "value": "Value",
    "top": "Top {n}",
    "map_legend_title": "Number of respondents",
    "map_none": "No {many}",
    "map_bin_range": "{low} to {high} {many}",
    "map_alt": "Map of the regions: ",
    "map_alt_titled": "Map of the regions, {title}: ",
    "map_alt_nothing": "no region",
    "map_alt_absent": ". Not represented: ",
    "shape_map": "Regions map",
    "shape_region": "Region {code} {name}",
    "shape_region_label": "Label {code}",
    "shape_legend_title": "Legend title",
    "shape_legend": "Legend {text}",
    "shape_legend_text": "Legend text {text}",
    # bands that `deckgen init` drafts for a numeric question
    "band_under": "under {x}",
    "band_over": "{x} and over",
    "band_range": "{low} to {high}",
    # exports and images
    "status_published": "published",
    "status_illustrative": "illustrative",
    "status_survey": "survey data",
    "illustrative_stamp": "Illustrative data (reconstruction), not published results",
    "source": "Source",
    "sheet": "Figures",
    "headers": {
        "slide": "Slide",
        "title": "Slide title",
        "element": "Element",
        "label": "Label",
        "series": "Series",
        "value": "Value shown",
        "percent": "Percent",
        "weighted_count": "Weighted count",
        "count": "Count",
        "base": "Base",
        "effective_base": "Effective base",
        "filter": "Filter",
        "question": "Question",
        "status": "Status",
        "weighted": "Weighted",
        "test": "Test",
        "p": "p (against the rest)",
        "p_adjusted": "p corrected (multiple comparisons)",
        "significance": "Significance",
    },
    "table": ("slide", "element", "label", "series", "value", "n", "base", "status"),
}


#: how numbers and labels are written (deckgen.locales.numbers and Words read it)
RULES = {"decimal": ".", "group": ",", "percent": "%", "label": ":"}


def plural_is_one(n: float) -> bool:
    """English takes the singular for 1 only."""
    return n == 1


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 11th, 25th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
