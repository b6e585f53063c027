"""The plain python-pptx baseline: the same deck, written the way the docs show.

    python bench/baseline.py VALUES.json OUT.pptx

VALUES.json (written by bench/run.py from deckgen's own plan, so this script
computes no indicator) lists the slides: title, charts (type, categories,
series), callouts (value, sentence), footnote, remark and speaker notes. This
script builds them with nothing but documented python-pptx calls, as one would
by hand: `Presentation(template)`, `slides.add_slide(layout)`,
`shapes.add_chart(type, x, y, cx, cy, CategoryChartData)`, `add_textbox` for
callouts, footnotes and remarks, `notes_slide.notes_text_frame.text`, `save`.
Same slides, charts, callouts and notes as the deckgen build; no styling beyond
data labels and a legend, no layout engine, no normalisation of the file.

A `map` slide (deckgen draws it as freeform region shapes) is drawn here as a
native clustered bar chart of the same figures: python-pptx has no map, and a
chart keeps the count of charts the same.
"""

from __future__ import annotations

import json
import sys

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Inches, Pt

CHART_TYPES = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "ranking": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked100": XL_CHART_TYPE.BAR_STACKED_100,
    "pie": XL_CHART_TYPE.PIE,
    "doughnut": XL_CHART_TYPE.DOUGHNUT,
    "map": XL_CHART_TYPE.BAR_CLUSTERED,
}


def text_box(slide, left, top, width, height, text, size, bold=False):
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    p = tf.paragraphs[0]
    p.text = text
    p.font.size = Pt(size)
    p.font.bold = bold
    return box


def add_chart(slide, chart, left, top, width, height):
    data = CategoryChartData()
    data.categories = chart["categories"]
    for series in chart["series"]:
        data.add_series(series["name"], series["values"])
    kind = CHART_TYPES[chart["type"]]
    graphic_frame = slide.shapes.add_chart(kind, left, top, width, height, data)
    plot = graphic_frame.chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = "0%"
    plot.data_labels.number_format_is_linked = False
    legend = chart["type"] in ("pie", "doughnut", "stacked100")
    graphic_frame.chart.has_legend = legend
    if legend:
        graphic_frame.chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        graphic_frame.chart.legend.include_in_layout = False
    return graphic_frame


def build(values: dict, out: str) -> None:
    prs = Presentation(values.get("template"))
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    width, height = prs.slide_width, prs.slide_height
    margin = Inches(0.5)
    top = Inches(1.4)
    for s in values["slides"]:
        slide = prs.slides.add_slide(layouts.get(s["layout"], prs.slide_layouts[0]))
        if slide.shapes.title is not None:
            slide.shapes.title.text = s["title"]
        placeholders = [ph for ph in slide.placeholders if ph.placeholder_format.idx != 0]
        if s["layout"] in ("title", "section", "closing"):
            extra = [
                t for t in [s.get("subtitle") or s.get("number") or ""] + s.get("text", []) if t
            ]
            if placeholders and extra:
                placeholders[0].text = "\n".join(extra)
        else:
            for ph in placeholders:  # the content placeholder is replaced by our shapes
                ph._element.getparent().remove(ph._element)
            body_h = height - top - Inches(1.0)
            charts, callouts = s["charts"], s["callouts"]
            chart_w = (width - 2 * margin) * (2 / 3 if callouts else 1) if charts else 0
            if charts:
                each = int(chart_w / len(charts))
                for i, chart in enumerate(charts):
                    left = margin + i * each
                    if chart.get("title"):
                        text_box(slide, left, top, each, Inches(0.4), chart["title"], 12, bold=True)
                    add_chart(slide, chart, left, top + Inches(0.4), each, body_h - Inches(0.4))
            if callouts:
                left = margin + int(chart_w)
                cw = width - margin - left
                ch = int(body_h / len(callouts))
                for i, c in enumerate(callouts):
                    y = top + i * ch
                    text_box(slide, left, y, cw, int(ch * 0.45), c["value"], 40, bold=True)
                    text_box(slide, left, y + int(ch * 0.45), cw, int(ch * 0.55), c["text"], 14)
            if s.get("text") and not charts and not callouts:
                text_box(slide, margin, top, width - 2 * margin, body_h, "\n".join(s["text"]), 16)
            if s.get("remark"):
                text_box(
                    slide,
                    margin,
                    height - Inches(1.0),
                    width - 2 * margin,
                    Inches(0.5),
                    s["remark"],
                    14,
                )
            if s.get("footnote"):
                text_box(
                    slide,
                    margin,
                    height - Inches(0.5),
                    width - 2 * margin,
                    Inches(0.4),
                    s["footnote"],
                    10,
                )
        if s.get("notes"):
            slide.notes_slide.notes_text_frame.text = s["notes"]
    prs.save(out)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as fh:
        values = json.load(fh)
    build(values, args[1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
