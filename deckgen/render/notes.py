"""A batch's notes slides written as bytes, paragraph by paragraph.

Every slide of a personal deck has speaker notes (the question, the base, each
figure, the recipient's answers), and python-pptx writes them into a new notes
slide: the notes master's placeholders cloned, then `notes_text_frame.text = text`,
one paragraph (`a:p`) per line, each line's paragraph a function of that line
alone (`TextFrame.text`: `text.split("\\n")`, `CT_TextParagraph.append_text`).

So a batch (deckgen.render.shared) keeps the form of a notes slide its template
gives (`form_of`): the bytes before the paragraphs and after them, read from the
first notes slide python-pptx made, before its text was written. A notes slide
is then those bytes around the paragraphs of its lines, each line's paragraph
written once by python-pptx into a copy of that blank notes slide and kept with
its text as python-pptx reads it back (`Form.written`). Decks are byte for byte
the decks whose notes python-pptx wrote (`tests/test_shared.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LINES = 20_000  # paragraphs kept per form; all let go when full

_MARK = "deckgen: the paragraphs"


@dataclass
class Form:
    """A notes slide's bytes but its paragraphs: `head`, then the paragraphs, `tail`."""

    blank: bytes  # python-pptx's new notes slide, no text written yet
    head: bytes
    tail: bytes
    lines: dict[str, tuple[bytes, str]] = field(default_factory=dict)

    def written(self, text: str) -> tuple[bytes, str] | None:
        """(The bytes of a notes slide holding `text`, its text as python-pptx reads
        it back); None where a line's paragraph is not python-pptx's form."""
        blobs: list[bytes] = []
        reads: list[str] = []
        for line in text.split("\n"):
            kept = self.lines.get(line)
            if kept is None:
                kept = self._paragraph(line)
                if kept is None:
                    return None
                if len(self.lines) >= LINES:
                    self.lines.clear()
                self.lines[line] = kept
            blobs.append(kept[0])
            reads.append(kept[1])
        return self.head + b"".join(blobs) + self.tail, "\n".join(reads)

    def _paragraph(self, line: str) -> tuple[bytes, str] | None:
        """`line`'s paragraph as python-pptx writes it into the blank notes slide,
        and its text read back."""
        written, read = _with_text(self.blank, line)
        if written is None or not written.startswith(self.head) or not written.endswith(self.tail):
            return None
        return written[len(self.head) : len(written) - len(self.tail)], read


def form_of(blank: bytes) -> Form | None:
    """The form of the notes slides written from `blank`: its bytes split where
    python-pptx puts the paragraphs (after clearing the blank's own); None where it
    has no notes placeholder, or the split is not where the paragraphs go."""
    from lxml import etree
    from pptx.opc.oxml import serialize_part_xml

    from deckgen.render.oxml import text_body

    element, frame = _parsed(blank)
    if frame is None:
        return None
    body = text_body(frame)
    body.clear_content()
    body.append(etree.Comment(_MARK))
    parts = serialize_part_xml(element).split(f"<!--{_MARK}-->".encode())
    if len(parts) != 2:
        return None
    form = Form(blank, parts[0], parts[1])
    return form if form._paragraph("") is not None else None


def _with_text(blank: bytes, text: str) -> tuple[bytes | None, str]:
    """`blank` with `text` written into its notes placeholder by python-pptx, and the
    text it reads back."""
    from pptx.opc.oxml import serialize_part_xml

    element, frame = _parsed(blank)
    if frame is None:
        return None, ""
    frame.text = text
    return serialize_part_xml(element), frame.text


def _parsed(blank: bytes) -> tuple[Any, Any]:
    """`blank` parsed as python-pptx parses a part, and its notes text frame (None:
    no notes placeholder). The notes slide object reads its own XML alone."""
    from pptx.oxml import parse_xml
    from pptx.slide import NotesSlide

    element = parse_xml(blank)
    part: Any = None  # not read by the placeholders
    return element, NotesSlide(element, part).notes_text_frame
