"""German. Typography: a no-break space before `%` (DIN 5008), none before a colon,
„low-high“ quotes, "; " between items, a point between thousands and a decimal comma."""

TEXTS = {
    # typography
    "quotes": ("„", "“"),
    "and": "und",
    "or": "oder",
    "colon": ": ",
    "sep": "; ",
    # bases and footnotes
    "base": "Basis: {n} {unit}",
    "base_range": "Basis: {low} bis {high} {unit} je nach Item",
    "effective_base": "(effektive Basis {n})",
    "effective_range": "(effektive Basis {low} bis {high})",
    "forced_100": "Rundung so angepasst, dass jedes Ganze {hundred} ergibt",
    "footnote_chart": "{title}: ",
    # an untitled chart among several, named by its place (reading order beyond two)
    "chart_number": "Diagramm {n}",
    "several": "Mehrfachnennungen möglich",
    "small_base": "kleine Basis, mit Vorsicht zu interpretieren",
    "small_base_effective": "kleine effektive Basis, mit Vorsicht zu interpretieren",
    "item_base": "{item}: Basis {n}",
    "item_base_label": "{item}: {label}",
    "respondents": "Befragte",
    "respondent": "befragte Person",
    "respondents_title": "Befragte",
    # breakdowns: a series per segment of another question
    "total": "Gesamt",
    "segment": "{label} (n\u00a0=\u00a0{n})",
    "by": "nach {question}",
    "small_segments": "kleine Basen: {names}, mit Vorsicht zu interpretieren",
    "small_segments_effective": "kleine effektive Basen: {names}, mit Vorsicht zu interpretieren",
    # the change report of `deckgen update`
    "changes_sheet": "Änderungen",
    "change_slide": "Folie",
    "change_element": "Element",
    "change_old": "vorher",
    "change_new": "nachher",
    "change_status": "Status",
    "status_updated": "aktualisiert",
    "status_conflict": "Konflikt",
    "status_deleted": "aus der Präsentation gelöscht",
    "status_missing": "nicht in der Präsentation",
    "status_added": "hinzugefügt",
    "status_restored": "wiederhergestellt",
    "status_alt": "Alternativtext aktualisiert",
    "status_orphan": "nicht mehr in der Spezifikation",
    "status_copy": "auch auf einer Kopie aktualisiert",
    "status_format": "Formatierung entfernt",
    "status_flag": "zu prüfen",
    "change_key": "Schlüssel",
    "upd_updating": "Aktualisierung…",
    "upd_building": "die neuen Zahlen werden berechnet",
    "upd_writing": "{path} wird geschrieben",
    "upd_slide": "Folie {n} {title}",
    "upd_slide_moved": "{slide} (Folie {place} der Präsentation)",
    "upd_slide_gone": "Folie {title}",
    "upd_copy_on": "{slide}, ihre Kopie auf Folie {place}",
    "upd_chart": "Diagramm {n}",
    "upd_callout": "Kennzahl {n}",
    "upd_callout_text": "Satz der Kennzahl {n}",
    "upd_footnote": "Fußnote",
    "upd_notes": "Notizen",
    "upd_alt": "{what}, Alternativtext",
    "upd_axis": "{what}, Werteachse",
    "upd_cell": "Zeile {row} Spalte {column}",
    "upd_figures_one": "{n} Zahl aktualisiert",
    "upd_figures_many": "{n} Zahlen aktualisiert",
    "upd_and_alt": "{body}; Alternativtext aktualisiert",
    "upd_regions": "geänderte Regionen: {regions}",
    "upd_legend": "Legende",
    "upd_conflict": (
        "Konflikt, so belassen, wie das Team es geschrieben hat ({old}); die Daten "
        "ergeben {new} (--force {force} schreibt {writes})"
    ),
    "upd_conflict_notes": (
        "Konflikt, im erzeugten Teil bearbeitet: so belassen, wie das Team sie "
        "geschrieben hat; die Daten ändern {old} → {new} (--force {force} ersetzt die "
        "ganzen Notizen durch die erzeugten, samt den Worten des Teams darin)"
    ),
    "upd_flag": (
        "sagt noch {old}, neben der Zahl des Teams: bitte prüfen (--force {force} schreibt "
        "{writes})"
    ),
    "upd_flag_notes": (
        "nennen die Zahl der Daten, {new}, wo die Folie die des Teams zeigt, {old}: bitte prüfen"
    ),
    "upd_flag_text": (
        "nennt die Zahl der Daten, {new}, wo die Folie die des Teams zeigt, {old}: bitte prüfen"
    ),
    "upd_deleted": "nicht mehr in der Präsentation (gelöscht oder umbenannt): nicht neu erstellt",
    "upd_missing_slide": (
        "neu in der Spezifikation, nicht in der Präsentation (--add-missing hängt ihre Folie an)"
    ),
    "upd_missing_here": (
        "neu in der Spezifikation, auf einer Folie der Präsentation: von Hand einfügen"
    ),
    "upd_not_appended": (
        "neu in der Spezifikation, nicht in der Präsentation; nicht angehängt: der "
        "Präsentation fehlt ihr Layout"
    ),
    "upd_added": "neu in der Spezifikation, am Ende der Präsentation angehängt",
    "upd_orphan": (
        "nicht mehr in der Spezifikation: so belassen, seine Zahlen werden nicht mehr aktualisiert"
    ),
    "upd_copy": "auch auf Folie {place}, eine Kopie",
    "upd_format_gone": "die Kategorie {name} gibt es nicht mehr: ihre Formatierung ging mit ihr",
    "upd_expect": (
        "die Daten ergeben {value}, aber `expect: {expect}` (die veröffentlichte Zahl): "
        "Daten oder Spezifikation prüfen"
    ),
    "upd_restored": "wiederhergestellt, ein Programm hatte sie entfernt: {what}",
    "upd_restored_workbook_one": "{n} eingebettete Arbeitsmappe",
    "upd_restored_workbook_many": "{n} eingebettete Arbeitsmappen",
    "upd_restored_alt_one": "{n} Alternativtext",
    "upd_restored_alt_many": "{n} Alternativtexte",
    "upd_changes_one": "{n} Änderung",
    "upd_changes_many": "{n} Änderungen",
    "upd_conflicts_one": "{n} Konflikt",
    "upd_conflicts_many": "{n} Konflikte",
    "upd_standing_one": "{n} bereits gemeldeter Konflikt oder Hinweis besteht unverändert",
    "upd_standing_many": "{n} bereits gemeldete Konflikte und Hinweise bestehen unverändert",
    "upd_backup": "Sicherungskopie der bearbeiteten Präsentation: {path}",
    "upd_up_to_date": "{path}: bereits aktuell; nichts geschrieben",
    "upd_dry_run": "Probelauf: {changes}, {conflicts}; nichts geschrieben",
    "upd_done": "{path} aktualisiert: {changes}, {conflicts}",
    "upd_wrote_one": "{path} geschrieben ({n} Zeile)",
    "upd_wrote_many": "{path} geschrieben ({n} Zeilen)",
    "status_expect": "veröffentlichte Zahl widerlegt",
    "not_available": "k. A.",  # keine Angabe: an empty base
    "empty_segment": "Keine Antworten dieses Segments auf diese Frage (leere Basis)",
    "table_base": "Basis",
    # personal decks
    "own_answer": "Ihre Antwort",
    "own_level": "Ihre Antwort: {level}",
    "own_rank": "Ihre {rank} Wahl",
    "own_answer_label": "Ihre Antwort",
    "own_answers_label": "Ihre Antworten",
    "own_more_one": "+{n}\u00a0weitere",
    "own_more": "+{n}\u00a0weitere",
    "own_match": "Ihre Antwort zählt in dieser Zahl",
    "own_none": "keine Antwort",
    "own_not_asked": "nicht gefragt",
    "personal_cover": "Die Antworten von {name}: in jedem Diagramm umrandet, neben denen "
    "aller Befragten",
    "personal_cover_peers": " und, wo es genug sind, denen Ihrer Gruppe ({group})",
    "own_note": "umrandet: Ihre Antwort",
    # what the disclosure rule left out (docs/privacy.md): never with a group's size
    "privacy_group": "keine Zahlen für {group}: weniger als {n} Befragte",
    "privacy_group_others": "kein Vergleich mit {group}: weniger als {n} Befragte",
    "privacy_rest": (
        "keine Zahlen für {group}: durch Differenzbildung würden sie die Zahlen von weniger "
        "als {n} anderen Befragten preisgeben"
    ),
    "privacy_cells": (
        "einige Zahlen für {group} ausgeblendet: sie würden einzelne Antworten preisgeben"
    ),
    "privacy_pinned": (
        "keine Zahlen für {group}: zusammen mit den übrigen Zahlen des Diagramms würden sie "
        "einzelne Antworten preisgeben"
    ),
    "privacy_all": (
        "Zahlen für {group} nicht gezeigt: allein oder durch Differenzbildung würden sie "
        "einzelne Antworten preisgeben"
    ),
    "privacy_withheld": "Nicht gezeigt, zum Schutz der Anonymität der Befragten",
    "yes": "ja",
    "no": "nein",
    "weighted": "gewichtete Daten",
    # significance tests of a breakdown
    "test_z": "z-Test für zwei Anteile",
    "test_t": "Welch-t-Test",
    "test_design": "t-Test auf Schichten und Klumpen des Stichprobendesigns",
    "test_fisher": "exakter Test nach Fisher",
    "corr_holm": "Holm-Korrektur für {n}",
    "corr_bh": "Benjamini-Hochberg-Korrektur für {n}",
    "corr_none": "ohne Korrektur für multiples Testen",
    "comparison": "Vergleich",
    "comparisons": "Vergleiche",
    "sig_rest": (
        "▲▼: signifikanter Unterschied zum Rest der Stichprobe auf dem {level}-Niveau "
        "({test}, {correction})"
    ),
    "sig_pairwise": (
        "A, B…: signifikant höher als das Segment mit diesem Buchstaben auf dem "
        "{level}-Niveau ({test}, paarweise, {correction})"
    ),
    "sig_none": "kein signifikanter Unterschied auf dem {level}-Niveau ({test}, {correction})",
    "sig_none_tested": "kein signifikanter Unterschied auf dem {level}-Niveau unter den "
    "getesteten Zahlen ({test}, {correction})",
    "sig_effective": "auf den effektiven Basen der Gewichtung",
    "sig_untested": "kein Test für {names}: {reason}",
    "sig_untested_brief": "kein Test (die Gründe stehen in den Notizen)",
    "why_small": "Basis unter {n}",
    "why_small_effective": "effektive Basis unter {n}",
    "why_rest_small": "Vergleichsbasis unter {n} ({rest})",
    "why_rest_small_effective": "effektive Vergleichsbasis unter {n} ({rest})",
    "why_extreme": "{zero} oder {hundred} auf einer Basis unter {n}",
    "why_extreme_effective": "{zero} oder {hundred} auf einer effektiven Basis unter {n}",
    "why_expected": "erwartete Häufigkeit unter {n}",
    "why_undefined": "Test nicht berechenbar",
    "why_break": "andere Definition in {edition}",
    "why_unpublished": "keine Zahl veröffentlicht in {edition}",
    "rest_of_sample": "Rest der Stichprobe",
    # trends over editions
    "edition_base": "{label} (n\u00a0=\u00a0{n})",
    "edition_about": "{label} (n\u00a0≈\u00a0{n})",
    "change": "{n} Pkt.",
    "editions_published": "frühere Ausgaben: veröffentlichte Zahlen",
    "editions_about": "{label}: {about}, ungefähre Basis",
    "editions_break": "Bruch in der Zeitreihe in {edition}: {text}",
    "editions_missing": "{na}: keine Zahl veröffentlicht in {edition} für {names}",
    "sig_previous": (
        "▲▼: signifikante Veränderung seit {edition} auf dem {level}-Niveau ({test}, {correction})"
    ),
    "sig_previous_none": (
        "keine signifikante Veränderung seit {edition} auf dem {level}-Niveau ({test}, "
        "{correction})"
    ),
    "sig_previous_none_tested": (
        "keine signifikante Veränderung seit {edition} auf dem {level}-Niveau unter den "
        "getesteten Zahlen ({test}, {correction})"
    ),
    "sig_untested_edition": "kein Test mit {edition}: ungefähre Basis",
    "measure_mean": "Mittelwert",
    "measure_median": "Median",
    "measure_quantile": "{p} Perzentil",
    "table_more": "… und {n} weitere Zeilen (siehe Export der Kennzahlen)",
    # alternative texts
    "alt_base": "Basis {n} {unit}",
    "per_region": " (Anzahl {unit} je Region)",
    # speaker notes
    "note_chart": "Diagramm",
    "note_footnote": "Fußnote",  # the whole footnote, where the slide shows it briefly
    "note_question": "Frage",
    "note_base": "Basis",
    "note_figures": "Zahlen",
    "note_key": "Kennzahl",
    "note_published": "Veröffentlichte Daten.",
    "note_illustrative": (
        "Illustrative Daten (Rekonstruktion): nicht als veröffentlichte Ergebnisse zitieren."
    ),
    "note_published_some": "Veröffentlichte Zahlen: {names}.",
    "note_illustrative_rest": (
        "Die übrigen Zahlen sind illustrativ (Rekonstruktion): nicht als veröffentlichte "
        "Ergebnisse zitieren."
    ),
    "note_callout_base": "(Basis {n} {unit}; {status})",
    "note_callout_base_survey": "(Basis {n} {unit})",
    "note_callout_published": "veröffentlichte Zahl",
    "note_callout_moved": "nicht die veröffentlichte Zahl, {expect}",
    "note_callout_illustrative": "illustrative Daten (Rekonstruktion)",
    # conditions, as footnotes describe a filter
    "cond_answered": "beantwortet",
    "cond_not_answered": "nicht beantwortet",
    "cond_in": "=",
    "cond_not_in": "≠",
    "cond_has": "enthält",
    "cond_has_all": "enthält alle von",
    "cond_not": "nicht ({inner})",
    # whom a filter keeps, as a clause after a base ("Basis: 22 Befragte, die …")
    "filtered": "{base}, {who}",
    "filtered_range": "{base}; nur {unit}, {who}",
    "item_base_who": "Basis {{n}} {unit}, {who}",
    "who_answered_with": "die auf {question} mit {options} geantwortet haben",
    "who_not_answered_with": "die auf {question} nicht mit {options} geantwortet haben",
    "who_other": "die auf {question} mit etwas anderem als {options} geantwortet haben",
    "who_ticked": "die bei {question} {options} angekreuzt haben",
    "who_not_ticked": "die bei {question} {options} nicht angekreuzt haben",
    "who_not_ticked_all": "die bei {question} nicht alle von {options} angekreuzt haben",
    "who_band": "deren Antwort auf {question} in {options} liegt",
    "who_not_band": "deren Antwort auf {question} nicht in {options} liegt",
    "who_at_least": "deren Antwort auf {question} mindestens {low} beträgt",
    "who_under": "deren Antwort auf {question} unter {high} liegt",
    "who_between": "deren Antwort auf {question} mindestens {low} und weniger als {high} beträgt",
    "who_answered": "die {question} beantwortet haben",
    "who_not_answered": "die {question} nicht beantwortet haben",
    # charts and the regions map
    "value": "Wert",
    "top": "Top {n}",
    "map_legend_title": "Anzahl der Befragten",
    "map_none": "0 {many}",
    "map_bin_range": "{low} bis {high} {many}",
    "map_alt": "Karte der Regionen: ",
    "map_alt_titled": "Karte der Regionen, {title}: ",
    "map_alt_nothing": "keine Region",
    "map_alt_absent": ". Nicht vertreten: ",
    "shape_map": "Regionenkarte",
    "shape_region": "Region {code} {name}",
    "shape_region_label": "Beschriftung {code}",
    "shape_legend_title": "Legendentitel",
    "shape_legend": "Legende {text}",
    "shape_legend_text": "Legendentext {text}",
    # bands that `deckgen init` drafts for a numeric question
    "band_under": "unter {x}",
    "band_over": "{x} und mehr",
    "band_range": "{low} bis {high}",
    # exports and images
    "status_published": "veröffentlicht",
    "status_illustrative": "illustrativ",
    "status_survey": "Umfragedaten",
    "illustrative_stamp": "Illustrative Daten (Rekonstruktion), keine veröffentlichten Ergebnisse",
    "source": "Quelle",
    "sheet": "Kennzahlen",
    "headers": {
        "slide": "Folie",
        "title": "Folientitel",
        "element": "Element",
        "label": "Beschriftung",
        "series": "Reihe",
        "value": "Angezeigter Wert",
        "percent": "Prozent",
        "weighted_count": "Gewichtete Anzahl",
        "count": "Anzahl",
        "base": "Basis",
        "effective_base": "Effektive Basis",
        "filter": "Filter",
        "question": "Frage",
        "status": "Status",
        "weighted": "Gewichtet",
        "test": "Test",
        "p": "p (gegen den Rest)",
        "p_adjusted": "p korrigiert (multiples Testen)",
        "significance": "Signifikanz",
    },
    "table": ("Folie", "Element", "Beschriftung", "Reihe", "Wert", "n", "Basis", "Status"),
}

#: how numbers and labels are written (deckgen.locales.numbers and Words read it)
RULES = {
    "decimal": ",",
    "group": ".",
    "percent": "\u00a0%",  # after the number: a no-break space, then %
    "label": ":",
}


def plural_is_one(n: float) -> bool:
    """German takes the singular for 1 only."""
    return n == 1


def ordinal(n: int) -> str:
    """1., 2., 25. (the point is the ordinal)."""
    return f"{n}."
