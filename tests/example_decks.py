"""Build every example spec with a cold indicator cache into one folder.

`make test-arrow` runs this in the environment without pyarrow and in the one
with it, then compares the two folders byte for byte: the decks must not depend
on how pandas stores text. Usage: python tests/example_decks.py OUT_DIR
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "config").glob("*.yaml") if p.name != "theme.yaml")


def main(out: str) -> int:
    with tempfile.TemporaryDirectory() as cache:
        os.environ["DECKGEN_CACHE_DIR"] = cache  # cold: the responses are really read
        import deckgen

        Path(out).mkdir(parents=True, exist_ok=True)
        for spec in EXAMPLES:
            deckgen.load(spec).build(Path(out) / f"{spec.stem}.pptx")
            print(f"built {spec.stem}.pptx")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
