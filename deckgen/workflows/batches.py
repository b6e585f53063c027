"""What a batch of decks may say, decided once for the batch before any deck is built.

The segment decks of `build --each` and the public deck form one family under the
disclosure rule (docs/privacy.md): which segments are left out whole, and what each
built deck may show of every chart and callout. This sits above the plan of one
deck (`pipeline`), whose raw results it compares, and below the API, which runs the
batch.
"""

from __future__ import annotations

from typing import Any

from deckgen.analysis.disclosure import decide, hidden_groups, result_cells, wholes_of
from deckgen.workflows.pipeline import public_results, raw_results
from deckgen.workflows.segments import Segment, for_segment


def batch_decisions(
    loaded: Any, question_id: str, segments: list[Segment]
) -> tuple[dict[str, str], dict[tuple[int, str, int], Any]]:
    """The disclosure rule (deckgen.analysis.disclosure) on a batch of segment decks, which
    together with the public deck form one family: the segments left out whole
    (label -> why), then, for each chart and callout, what each built segment's
    deck may show of it. Computing every segment's figures here also fills the
    result cache the decks are then built from."""
    k = loaded.theme.privacy_threshold
    left_out = hidden_groups(len(loaded.survey.frame), {s.label: s.base for s in segments}, k)
    whole = public_results(loaded)
    per = {
        s.label: raw_results(for_segment(loaded, s, question_id, beside_total=False))
        for s in segments
        if s.label not in left_out
    }
    decisions = {
        element: decide(
            result_cells(total),
            {label: result_cells(results[element]) for label, results in per.items()},
            total.base,
            {label: results[element].base for label, results in per.items()},
            k,
            wholes=wholes_of(total),
        )
        for element, total in whole.items()
    }
    return left_out, decisions
