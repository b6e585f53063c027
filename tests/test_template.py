"""The branded template: five named layouts, 16:9, clean package, deterministic build."""

from __future__ import annotations

import json
import posixpath
import subprocess
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches

from deckgen.errors import TemplateError
from deckgen.inputs.theme import Theme, load_theme
from deckgen.packaged import default_template
from deckgen.render.geometry import Rect
from deckgen.render.template import (
    LAYOUT_NAMES,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    content_area,
    find_layout,
    layout_names,
    open_template,
)
from deckgen.render.template_writer import build_template

from .conftest import openxml_audit_or_skip

ROOT = Path(__file__).resolve().parents[1]
BRAND_THEME = ROOT / "config" / "theme.yaml"
BRAND_TEMPLATE = ROOT / "layouts" / "deckgen-template.pptx"
ORGANISATION = "Observatoire des civic tech et de la démocratie numérique"


@pytest.fixture(scope="module")
def theme() -> Theme:
    return load_theme(BRAND_THEME)


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> Path:
    return build_template(
        theme, tmp_path_factory.mktemp("tpl") / "deckgen-template.pptx", organisation=ORGANISATION
    )


def audit_errors(path: Path) -> list[dict]:
    """Run openxml-audit (installed next to this Python) and return its errors.

    With `-o json` the exit status is 0 even when there are errors, so read the report.
    """
    exe = openxml_audit_or_skip()
    proc = subprocess.run(
        [str(exe), "-o", "json", "-m", "0", str(path)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    (report,) = json.loads(proc.stdout)
    return report["errors"] if report["error_count"] or not report["valid"] else []


def test_exactly_the_five_layouts(template_path: Path) -> None:
    prs = Presentation(str(template_path))
    assert len(prs.slide_masters) == 1
    assert layout_names(prs) == list(LAYOUT_NAMES)
    assert len(prs.slides) == 0


def test_slide_size_is_16_9(template_path: Path) -> None:
    prs = Presentation(str(template_path))
    assert (prs.slide_width, prs.slide_height) == (SLIDE_WIDTH, SLIDE_HEIGHT)
    assert (prs.slide_width, prs.slide_height) == (12_192_000, 6_858_000)
    assert prs.part._element.find(qn("p:sldSz")).get("type") is None  # not "screen4x3"


def test_package_has_no_leftovers_and_no_orphans(template_path: Path) -> None:
    with zipfile.ZipFile(template_path) as z:
        names = set(z.namelist())
        assert "docProps/thumbnail.jpeg" not in names
        assert not any("printerSettings" in n for n in names)
        assert not any(n.startswith("ppt/slides/") for n in names)
        layouts = sorted(n for n in names if n.startswith("ppt/slideLayouts/slideLayout"))
        assert layouts == [f"ppt/slideLayouts/slideLayout{i}.xml" for i in range(1, 6)]
        # every part is the target of some relationship
        targets = set()
        for rels_name in (n for n in names if n.endswith(".rels")):
            base = posixpath.dirname(posixpath.dirname(rels_name))
            for rel in z.read(rels_name).decode().split("<Relationship ")[1:]:
                target = rel.split('Target="')[1].split('"')[0]
                targets.add(posixpath.normpath(posixpath.join(base, target)).lstrip("/"))
        parts = {n for n in names if not n.endswith(".rels") and n != "[Content_Types].xml"}
        assert parts - targets == set()
        assert "thumbnail" not in z.read("_rels/.rels").decode()
        app = z.read("docProps/app.xml").decode()
        assert "Macintosh" not in app and "4:3" not in app


def test_core_properties_are_fixed(template_path: Path) -> None:
    props = Presentation(str(template_path)).core_properties
    assert props.author == "deckgen"
    assert props.last_modified_by == "deckgen"
    assert props.revision == 1
    assert props.created.isoformat().startswith("2021-07-01T00:00:00")
    assert props.modified.isoformat().startswith("2021-07-01T00:00:00")
    assert props.comments == ""


def test_title_is_a_parameter(tmp_path: Path, theme: Theme) -> None:
    path = build_template(theme, tmp_path / "t.pptx", title="Baromètre 2021")
    assert Presentation(str(path)).core_properties.title == "Baromètre 2021"


def test_every_placeholder_has_explicit_position_inside_the_slide(template_path: Path) -> None:
    prs = Presentation(str(template_path))
    for layout in prs.slide_layouts:
        assert len(layout.placeholders) >= 2, layout.name
        for ph in layout.placeholders:
            xfrm = ph._element.spPr.find(qn("a:xfrm"))
            assert xfrm is not None, (layout.name, ph.name)
            off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
            assert off is not None and ext is not None, (layout.name, ph.name)
            assert int(ext.get("cx")) > 0 and int(ext.get("cy")) > 0
            box = Rect(int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))
            assert Rect(0, 0, SLIDE_WIDTH, SLIDE_HEIGHT).contains(box), (layout.name, ph.name)


def test_layout_placeholders_and_colours(template_path: Path, theme: Theme) -> None:
    prs = Presentation(str(template_path))

    def types(name: str) -> dict[int, str]:
        layout = find_layout(prs, name)
        return {
            ph.placeholder_format.idx: ph.placeholder_format.type.name for ph in layout.placeholders
        }

    assert types("title") == {0: "CENTER_TITLE", 1: "SUBTITLE", 10: "BODY"}
    assert types("section") == {0: "TITLE", 1: "BODY"}
    assert types("chart") == {0: "TITLE", 1: "BODY"}
    assert types("callouts") == {0: "TITLE", 1: "BODY"}
    assert types("closing") == {0: "TITLE", 1: "BODY"}

    def background(name: str) -> str:
        layout = find_layout(prs, name)
        return layout._element.find(qn("p:cSld")).find(qn("p:bg")).xpath(".//a:srgbClr/@val")[0]

    for name in ("title", "section", "closing"):
        assert background(name) == theme.colors.primary
    for name in ("chart", "callouts"):
        assert background(name) == theme.colors.background

    chart_title = find_layout(prs, "chart").placeholders.get(idx=0)._element
    rpr = chart_title.find(".//" + qn("a:lvl1pPr")).find(qn("a:defRPr"))
    assert rpr.get("sz") == str(round(theme.sizes.title * 100)) and rpr.get("b") == "1"
    assert rpr.xpath("./a:solidFill/a:srgbClr/@val") == [theme.colors.primary]
    assert rpr.xpath("./a:latin/@typeface") == [theme.fonts.heading]
    number = find_layout(prs, "section").placeholders.get(idx=1)._element
    rpr = number.find(".//" + qn("a:lvl1pPr")).find(qn("a:defRPr"))
    assert rpr.get("sz") == str(round(theme.sizes.section_number * 100))
    assert rpr.xpath("./a:solidFill/a:srgbClr/@val") == [theme.colors.accent]


def test_master_text_styles_use_theme_fonts_and_text_colour(
    template_path: Path, theme: Theme
) -> None:
    master = Presentation(str(template_path)).slide_masters[0]._element
    assert set(master.xpath("./p:txStyles/p:bodyStyle//a:latin/@typeface")) == {theme.fonts.body}
    colours = master.xpath("./p:txStyles/p:bodyStyle//a:solidFill/a:srgbClr/@val")
    assert set(colours) == {theme.colors.text}
    title_fonts = master.xpath("./p:txStyles/p:titleStyle//a:latin/@typeface")
    assert title_fonts == [theme.fonts.heading]


def test_content_area_is_the_body_placeholder(template_path: Path) -> None:
    prs = Presentation(str(template_path))
    for name in ("chart", "callouts"):
        layout = find_layout(prs, name)
        body = layout.placeholders.get(idx=1)
        area = content_area(layout)
        assert area == Rect(body.left, body.top, body.width, body.height)
        title = layout.placeholders.get(idx=0)
        assert area.top >= title.top + title.height
        assert area.width > Inches(12) and area.height > Inches(5)


def test_content_area_falls_back_below_the_title(template_path: Path) -> None:
    prs = Presentation(str(template_path))
    layout = find_layout(prs, "chart")
    body = layout.placeholders.get(idx=1)._element
    body.getparent().remove(body)  # in memory only
    title = layout.placeholders.get(idx=0)
    area = content_area(layout)
    assert area.left == Inches(0.5)
    assert area.right == SLIDE_WIDTH - Inches(0.5)
    assert area.bottom == SLIDE_HEIGHT - Inches(0.5)
    assert area.top > title.top + title.height


def test_find_layout_is_case_insensitive(template_path: Path) -> None:
    prs = open_template(template_path)
    assert find_layout(prs, "CHART").name == "chart"
    assert find_layout(prs, " Closing ").name == "closing"


def test_find_layout_missing_name_lists_names_and_suggests(template_path: Path) -> None:
    prs = open_template(template_path)
    with pytest.raises(TemplateError) as info:
        find_layout(prs, "chrat")
    message = str(info.value)
    assert "chrat" in message
    assert "did you mean `chart`?" in message
    for name in LAYOUT_NAMES:
        assert f"`{name}`" in message
    assert str(template_path) in message  # open_template remembered the file


def test_find_layout_names_an_explicit_source() -> None:
    prs = Presentation()
    with pytest.raises(TemplateError, match="corporate.pptx") as info:
        find_layout(prs, "chart", source="corporate.pptx")
    assert "`Title Slide`" in str(info.value)


def test_open_template_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pptx"
    with pytest.raises(TemplateError) as info:
        open_template(missing)
    assert str(missing) in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "content",
    [b"this is not a zip file\n", b"PK\x03\x04 truncated", "zip-without-pptx"],
    ids=["text", "truncated-zip", "zip-not-pptx"],
)
def test_open_template_invalid_file(tmp_path: Path, content: bytes | str) -> None:
    path = tmp_path / "broken.pptx"
    if content == "zip-without-pptx":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "bonjour")
    else:
        path.write_bytes(content)
    with pytest.raises(TemplateError) as info:
        open_template(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_open_template_bad_xml(tmp_path: Path, template_path: Path) -> None:
    path = tmp_path / "badxml.pptx"
    with zipfile.ZipFile(template_path) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "ppt/presentation.xml":
                data = data[: len(data) // 2]
            dst.writestr(info, data)
    with pytest.raises(TemplateError, match="badxml.pptx"):
        open_template(path)


def test_open_template_accepts_potx(tmp_path: Path, template_path: Path) -> None:
    pptx_main = b"presentationml.presentation.main+xml"
    potx_main = b"presentationml.template.main+xml"
    path = tmp_path / "corporate.potx"
    with zipfile.ZipFile(template_path) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                assert pptx_main in data
                data = data.replace(pptx_main, potx_main)
            dst.writestr(info, data)
    assert layout_names(open_template(path)) == list(LAYOUT_NAMES)


def test_build_is_byte_deterministic(tmp_path: Path, theme: Theme) -> None:
    first = build_template(theme, tmp_path / "a.pptx").read_bytes()
    second = build_template(theme, tmp_path / "b.pptx").read_bytes()
    assert first == second


def test_committed_templates_are_up_to_date(tmp_path: Path, theme: Theme) -> None:
    brand = build_template(theme, tmp_path / "brand.pptx", title="Modèle deckgen")
    assert BRAND_TEMPLATE.read_bytes() == brand.read_bytes(), (
        "layouts/deckgen-template.pptx is stale: run `make template`"
    )
    neutral = build_template(Theme(), tmp_path / "neutral.pptx")
    assert default_template().read_bytes() == neutral.read_bytes(), (
        "deckgen/resources/template.pptx is stale: run `make template`"
    )


def test_templates_carry_no_organisation() -> None:
    # an organisation's name comes from the spec at build time, not from a template
    for path in (default_template(), BRAND_TEMPLATE):
        prs = open_template(path)
        assert layout_names(prs) == list(LAYOUT_NAMES)
        texts = [
            s.text_frame.text for lay in prs.slide_layouts for s in lay.shapes if s.has_text_frame
        ]
        assert not [t for t in texts if "Observatoire" in t], path


# the words of the five layouts and the master, as PowerPoint's selection pane and
# master view show them: neutral English, for a deck in any language
ENGLISH_NAMES = {
    "Title", "Subtitle", "Date and organisation", "Accent bar", "Section number",
    "Section title", "Content area", "Footer", "Next event", "Text",
}  # fmt: skip
ENGLISH_PROMPTS = {
    "Presentation title", "Subtitle", "Date · organisation", "01", "Section title",
    "Slide title", "Chart area", "Key figures area", "Closing title", "Next event",
    "Master title", "Master text",
}  # fmt: skip


def test_the_templates_speak_no_language_of_their_own(gss_deck) -> None:
    """No French left in an English deck: the names and prompts of the master and
    layouts are neutral English, and no part sets a proofing language."""
    for path in (default_template(), BRAND_TEMPLATE, gss_deck.path):
        prs = Presentation(str(path))
        master = prs.slide_masters[0]
        shapes = [s for lay in prs.slide_layouts for s in lay.shapes] + list(master.shapes)
        names = {s.name for s in shapes}
        prompts = {s.text_frame.text for s in shapes if s.has_text_frame} - {""}
        assert names <= ENGLISH_NAMES, (path, names - ENGLISH_NAMES)
        assert prompts <= ENGLISH_PROMPTS, (path, prompts - ENGLISH_PROMPTS)
        with zipfile.ZipFile(path) as z:
            parts = [n for n in z.namelist() if n.startswith(("ppt/slideLayouts/", "ppt/slideM"))]
            assert not [n for n in parts if b'lang="fr' in z.read(n)], path


def test_template_passes_openxml_audit(template_path: Path) -> None:
    assert audit_errors(template_path) == []


def test_deck_with_every_layout_and_a_map_passes_openxml_audit(
    template_path: Path, theme: Theme, tmp_path: Path
) -> None:
    from deckgen.render.regionmap import add_region_map

    prs = open_template(template_path)
    for name in LAYOUT_NAMES:
        slide = prs.slides.add_slide(find_layout(prs, name))
        for ph in slide.placeholders:
            ph.text_frame.text = f"Texte d'exemple ({name}, {ph.placeholder_format.idx})"
    layout = find_layout(prs, "chart")
    slide = prs.slides.add_slide(layout)
    slide.shapes.title.text = "Régions représentées"
    body = slide.placeholders[1]._element
    body.getparent().remove(body)
    add_region_map(
        slide.shapes,
        content_area(layout),
        {"84": 5, "11": 6, "53": 3},
        theme,
        legend_title="Collectivités",
    )
    path = tmp_path / "deck.pptx"
    prs.save(str(path))
    assert audit_errors(path) == []
