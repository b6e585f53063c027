"""French: the seed deck's language. Typography: narrow no-break space before
`%` and before the colon of a label ("Base :"), guillemets, " ; " between items."""

TEXTS = {
    # typography
    "quotes": ("« ", " »"),
    "and": "et",
    "or": "ou",
    "colon": " : ",
    "sep": " ; ",
    # bases and footnotes
    "base": "Base\u202f: {n} {unit}",
    "base_range": "Base\u202f: {low} à {high} {unit} selon l'item",
    "effective_base": "(base effective {n})",
    "effective_range": "(base effective {low} à {high})",
    "forced_100": "arrondis ajustés pour que chaque total fasse {hundred}",
    "footnote_chart": "{title} : ",
    # an untitled chart among several, named by its place (reading order beyond two)
    "chart_number": "Graphique {n}",
    "several": "plusieurs réponses possibles",
    "small_base": "base faible, à interpréter avec prudence",
    "small_base_effective": "base effective faible, à interpréter avec prudence",
    "item_base": "{item} : base {n}",
    "item_base_label": "{item} : {label}",
    "respondents": "répondants",
    "respondent": "répondant",
    "respondents_title": "Répondants",
    # breakdowns: a series per segment of another question
    "total": "Ensemble",
    "segment": "{label} (n = {n})",
    "by": "selon {question}",
    "small_segments": "bases faibles\u202f: {names}, à interpréter avec prudence",
    "small_segments_effective": (
        "bases effectives faibles\u202f: {names}, à interpréter avec prudence"
    ),
    # the change report of `deckgen update`
    "changes_sheet": "Changements",
    "change_slide": "diapositive",
    "change_element": "élément",
    "change_old": "avant",
    "change_new": "après",
    "change_status": "statut",
    "status_updated": "mis à jour",
    "status_conflict": "conflit",
    "status_deleted": "supprimé du deck",
    "status_missing": "absent du deck",
    "status_added": "ajouté",
    "status_restored": "rétabli",
    "status_alt": "texte alternatif mis à jour",
    "status_orphan": "retiré de la spec",
    "status_copy": "mis à jour aussi sur une copie",
    "status_format": "mise en forme retirée",
    "status_flag": "à vérifier",
    "change_key": "clé",
    "upd_updating": "mise à jour…",
    "upd_building": "calcul des nouveaux chiffres",
    "upd_writing": "écriture de {path}",
    "upd_slide": "diapositive {n} {title}",
    "upd_slide_moved": "{slide} (diapositive {place} du deck)",
    "upd_slide_gone": "diapositive {title}",
    "upd_copy_on": "{slide}, sa copie en diapositive {place}",
    "upd_chart": "graphique {n}",
    "upd_callout": "chiffre clé {n}",
    "upd_callout_text": "phrase du chiffre clé {n}",
    "upd_footnote": "note de bas de page",
    "upd_notes": "notes",
    "upd_alt": "{what}, texte alternatif",
    "upd_axis": "{what}, axe des valeurs",
    "upd_cell": "ligne {row} colonne {column}",
    "upd_figures_one": "{n} chiffre mis à jour",
    "upd_figures_many": "{n} chiffres mis à jour",
    "upd_and_alt": "{body} ; texte alternatif mis à jour",
    "upd_regions": "régions changées : {regions}",
    "upd_legend": "légende",
    "upd_conflict": (
        "conflit, laissé tel que l'équipe l'a écrit ({old}) ; les données donnent {new} "
        "(--force {force} écrit {writes})"
    ),
    "upd_conflict_notes": (
        "conflit, modifiées dans leur partie générée : laissées telles que l'équipe les a"
        " écrites ; les données changent {old} → {new} (--force {force} remplace toutes les"
        " notes par les notes générées, mots de l'équipe compris)"
    ),
    "upd_flag": (
        "dit encore {old}, à côté du chiffre de l'équipe : à vérifier (--force {force} "
        "écrit {writes})"
    ),
    "upd_flag_notes": (
        "donnent le chiffre des données, {new}, là où la diapositive montre celui de "
        "l'équipe, {old} : à vérifier"
    ),
    "upd_flag_text": (
        "donne le chiffre des données, {new}, là où la diapositive montre celui de "
        "l'équipe, {old} : à vérifier"
    ),
    "upd_deleted": "n'est plus dans le deck (supprimé ou renommé) : pas recréé",
    "upd_missing_slide": (
        "nouveau dans la spec, absent du deck (--add-missing ajoute sa diapositive)"
    ),
    "upd_missing_here": "nouveau dans la spec, sur une diapositive du deck : à ajouter à la main",
    "upd_not_appended": (
        "nouveau dans la spec, absent du deck ; pas ajouté : le deck n'a plus sa mise en page"
    ),
    "upd_added": "nouveau dans la spec, ajouté à la fin du deck",
    "upd_orphan": "retiré de la spec : laissé tel quel, ses chiffres ne sont plus mis à jour",
    "upd_copy": "aussi sur la diapositive {place}, une copie",
    "upd_format_gone": "la catégorie {name} n'y est plus : sa mise en forme est partie avec elle",
    "upd_expect": (
        "les données donnent {value} mais `expect: {expect}` (le chiffre publié) : les "
        "données ou la spec sont à revoir"
    ),
    "upd_restored": "rétablis, un outil les avait retirés : {what}",
    "upd_restored_workbook_one": "{n} classeur de données intégré",
    "upd_restored_workbook_many": "{n} classeurs de données intégrés",
    "upd_restored_alt_one": "{n} texte alternatif",
    "upd_restored_alt_many": "{n} textes alternatifs",
    "upd_changes_one": "{n} changement",
    "upd_changes_many": "{n} changements",
    "upd_conflicts_one": "{n} conflit",
    "upd_conflicts_many": "{n} conflits",
    "upd_standing_one": "{n} conflit ou avertissement déjà signalé reste tel quel",
    "upd_standing_many": "{n} conflits et avertissements déjà signalés restent tels quels",
    "upd_backup": "copie de sauvegarde du deck de l'équipe : {path}",
    "upd_up_to_date": "{path} : déjà à jour ; rien n'est écrit",
    "upd_dry_run": "essai à blanc : {changes}, {conflicts} ; rien n'est écrit",
    "upd_done": "{path} mis à jour : {changes}, {conflicts}",
    "upd_wrote_one": "{path} écrit ({n} ligne)",
    "upd_wrote_many": "{path} écrit ({n} lignes)",
    "status_expect": "chiffre publié contredit",
    "not_available": "n.d.",  # non disponible: an empty base
    "empty_segment": "Aucune réponse de ce segment à cette question (base vide)",
    "table_base": "Base",
    # personal decks
    "own_answer": "votre réponse",
    "own_level": "votre réponse\u202f: {level}",
    "own_rank": "votre {rank} choix",
    "own_answer_label": "Votre réponse",
    "own_answers_label": "Vos réponses",
    "own_more_one": "+{n}\u00a0autre",
    "own_more": "+{n}\u00a0autres",
    "own_match": "votre réponse compte dans ce chiffre",
    "own_none": "pas de réponse",
    "own_not_asked": "non concerné",
    "personal_cover": "Les réponses de {name}\u202f: encadrées dans chaque graphique, à côté de "
    "celles de l'ensemble des répondants",
    "personal_cover_peers": " et, quand ils sont assez nombreux, de votre groupe ({group})",
    "own_note": "encadré\u202f: votre réponse",
    # what the disclosure rule left out (docs/privacy.md): never with a group's size
    "privacy_group": "pas de chiffres pour {group}\u202f: moins de {n} répondants",
    "privacy_group_others": "pas de comparaison avec {group}\u202f: moins de {n} répondants",
    "privacy_rest": (
        "pas de chiffres pour {group}\u202f: par différence, ils feraient connaître ceux de "
        "moins de {n} autres répondants"
    ),
    "privacy_cells": (
        "certains chiffres de {group} masqués\u202f: ils feraient connaître des réponses "
        "individuelles"
    ),
    "privacy_pinned": (
        "pas de chiffres pour {group}\u202f: avec les autres chiffres du graphique, ils "
        "feraient connaître des réponses individuelles"
    ),
    "privacy_all": (
        "chiffres non montrés pour {group}\u202f: seuls ou par différence, ils feraient "
        "connaître des réponses individuelles"
    ),
    "privacy_withheld": "Non montré, pour préserver l'anonymat des répondants",
    "yes": "oui",
    "no": "non",
    "weighted": "données pondérées",
    # significance tests of a breakdown
    "test_z": "test z de comparaison de proportions",
    "test_t": "test t de Welch",
    "test_design": "test t sur les strates et grappes du plan de sondage",
    "test_fisher": "test exact de Fisher",
    "corr_holm": "correction de Holm pour {n}",
    "corr_bh": "correction de Benjamini-Hochberg pour {n}",
    "corr_none": "sans correction pour comparaisons multiples",
    "comparison": "comparaison",
    "comparisons": "comparaisons",
    "sig_rest": (
        "▲▼\u202f: écart significatif avec le reste de l'échantillon au seuil de {level} ({test}, "
        "{correction})"
    ),
    "sig_pairwise": (
        "A, B…\u202f: significativement plus élevé que le segment de cette lettre au seuil de "
        "{level} ({test}, deux à deux, {correction})"
    ),
    "sig_none": "aucun écart significatif au seuil de {level} ({test}, {correction})",
    "sig_none_tested": "aucun écart significatif au seuil de {level} parmi les chiffres testés "
    "({test}, {correction})",
    "sig_effective": "sur les bases effectives de la pondération",
    "sig_untested": "pas de test pour {names}\u202f: {reason}",
    "sig_untested_brief": "aucun test (les raisons sont dans les notes)",
    "why_small": "base inférieure à {n}",
    "why_small_effective": "base effective inférieure à {n}",
    "why_rest_small": "base de comparaison inférieure à {n} ({rest})",
    "why_rest_small_effective": "base effective de comparaison inférieure à {n} ({rest})",
    "why_extreme": "{zero} ou {hundred} sur une base inférieure à {n}",
    "why_extreme_effective": "{zero} ou {hundred} sur une base effective inférieure à {n}",
    "why_expected": "effectif attendu inférieur à {n}",
    "why_undefined": "test non calculable",
    "why_break": "définition différente en {edition}",
    "why_unpublished": "aucun chiffre publié en {edition}",
    "rest_of_sample": "reste de l'échantillon",
    # trends over editions
    "edition_base": "{label} (n\u202f=\u202f{n})",
    "edition_about": "{label} (n\u202f≈\u202f{n})",
    "change": "{n}\u202fpts",
    "editions_published": "éditions précédentes\u202f: chiffres publiés",
    "editions_about": "{label}\u202f: {about}, base approximative",
    "editions_break": "rupture de série en {edition}\u202f: {text}",
    "editions_missing": "{na}\u202f: aucun chiffre publié en {edition} pour {names}",
    "sig_previous": (
        "▲▼\u202f: évolution significative depuis {edition} au seuil de {level} ({test}, "
        "{correction})"
    ),
    "sig_previous_none": (
        "aucune évolution significative depuis {edition} au seuil de {level} ({test}, {correction})"
    ),
    "sig_previous_none_tested": (
        "aucune évolution significative depuis {edition} au seuil de {level} parmi les "
        "chiffres testés ({test}, {correction})"
    ),
    "sig_untested_edition": "pas de test avec {edition}\u202f: base approximative",
    "measure_mean": "Moyenne",
    "measure_median": "Médiane",
    "measure_quantile": "{p} centile",
    "table_more": "… et {n} lignes de plus (voir l'export des indicateurs)",
    # alternative texts
    "alt_base": "base {n} {unit}",
    "per_region": " (nombre de {unit} par région)",
    # speaker notes
    "note_chart": "Graphique",
    "note_footnote": "Note de bas de page",  # the whole footnote, where the slide shows it briefly
    "note_question": "Question",
    "note_base": "Base",
    "note_figures": "Chiffres",
    "note_key": "Chiffre clé",
    "note_published": "Données publiées.",
    "note_illustrative": (
        "Données illustratives (reconstruction) : ne pas les citer comme résultats publiés."
    ),
    "note_published_some": "Chiffres publiés\u202f: {names}.",
    "note_illustrative_rest": (
        "Les autres chiffres sont illustratifs (reconstruction) : ne pas les citer comme "
        "résultats publiés."
    ),
    "note_callout_base": "(base {n} {unit} ; {status})",
    "note_callout_base_survey": "(base {n} {unit})",
    "note_callout_published": "chiffre publié",
    "note_callout_moved": "différent du chiffre publié, {expect}",
    "note_callout_illustrative": "donnée illustrative (reconstruction)",
    # conditions, as footnotes describe a filter
    "cond_answered": "renseigné",
    "cond_not_answered": "non renseigné",
    "cond_in": "=",
    "cond_not_in": "≠",
    "cond_has": "inclut",
    "cond_has_all": "inclut tout",
    "cond_not": "non ({inner})",
    # whom a filter keeps, as a clause after a base ("Base : 22 collectivités ayant…")
    "filtered": "{base} {who}",
    "filtered_range": "{base}, parmi les {unit} {who}",
    "item_base_who": "base {{n}} {unit} {who}",
    "who_answered_with": "ayant répondu {options} à {question}",
    "who_not_answered_with": "n'ayant pas répondu {options} à {question}",
    "who_other": "ayant répondu à {question} autre chose que {options}",
    "who_ticked": "ayant coché {options} à {question}",
    "who_not_ticked": "n'ayant pas coché {options} à {question}",
    "who_not_ticked_all": "n'ayant pas coché à la fois {options} à {question}",
    "who_band": "dont la réponse à {question} est dans {options}",
    "who_not_band": "dont la réponse à {question} n'est pas dans {options}",
    "who_at_least": "dont la réponse à {question} est d'au moins {low}",
    "who_under": "dont la réponse à {question} est inférieure à {high}",
    "who_between": "dont la réponse à {question} est d'au moins {low} et inférieure à {high}",
    "who_answered": "ayant répondu à {question}",
    "who_not_answered": "n'ayant pas répondu à {question}",
    # charts and the regions map
    "value": "Valeur",
    "top": "Top {n}",
    "map_legend_title": "Nombre de répondants",
    "map_none": "Aucun {one}",
    "map_bin_range": "{low} à {high} {many}",
    "map_alt": "Carte des régions : ",
    "map_alt_titled": "Carte des régions, {title} : ",
    "map_alt_nothing": "aucune région",
    "map_alt_absent": ". Non représentées : ",
    "shape_map": "Carte des régions",
    "shape_region": "Région {code} {name}",
    "shape_region_label": "Étiquette {code}",
    "shape_legend_title": "Légende titre",
    "shape_legend": "Légende {text}",
    "shape_legend_text": "Légende texte {text}",
    # bands that `deckgen init` drafts for a numeric question
    "band_under": "moins de {x}",
    "band_over": "{x} et plus",
    "band_range": "{low} à {high}",
    # exports and images
    "status_published": "publié",
    "status_illustrative": "illustratif",
    "status_survey": "données d'enquête",
    "illustrative_stamp": "Données illustratives (reconstruction), pas des résultats publiés",
    "source": "Source",
    "sheet": "Indicateurs",
    "headers": {
        "slide": "Diapositive",
        "title": "Titre de la diapositive",
        "element": "Élément",
        "label": "Libellé",
        "series": "Série",
        "value": "Valeur affichée",
        "percent": "Pourcentage",
        "weighted_count": "Effectif pondéré",
        "count": "Effectif",
        "base": "Base",
        "effective_base": "Base effective",
        "filter": "Filtre",
        "question": "Question",
        "status": "Statut",
        "weighted": "Pondéré",
        "test": "Test",
        "p": "p (contre le reste)",
        "p_adjusted": "p corrigée (comparaisons multiples)",
        "significance": "Significativité",
    },
    "table": ("diapo", "élément", "libellé", "série", "valeur", "n", "base", "statut"),
}


#: how numbers and labels are written (deckgen.locales.numbers and Words read it)
RULES = {
    "decimal": ",",
    "group": "\u202f",  # narrow no-break space between thousands
    "percent": "\u202f%",  # after the number: a narrow no-break space, then %
    "label": "\u202f:",  # after a label's word: "Base :"
}


def plural_is_one(n: float) -> bool:
    """French takes the singular for 0 and 1 (CLDR: one = 0 and 1)."""
    return n in (0, 1)


def ordinal(n: int) -> str:
    """1er, 2e, 25e."""
    return "1er" if n == 1 else f"{n}e"
