#!/usr/bin/env python3
"""Joins the code blocks of one language in a README into one program, so the README's
examples are type-checked and run against a live Callplane by the test suite. The
placeholder address `http://pbx.example:8080` becomes the `CALLPLANE_URL` environment
variable and the Python placeholder token `eyJ...` becomes `CALLPLANE_TOKEN`.

    readme_snippets.py README.md python|ts OUT
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PLACEHOLDERS = {
    "python": [
        ('"http://pbx.example:8080"', 'os.environ["CALLPLANE_URL"]'),
        ('"eyJ..."', 'os.environ["CALLPLANE_TOKEN"]'),
    ],
    "ts": [("'http://pbx.example:8080'", "process.env.CALLPLANE_URL")],
}
PROLOGUE = {"python": "import os\n", "ts": ""}


def main() -> int:
    if len(sys.argv) != 4 or sys.argv[2] not in PLACEHOLDERS:
        print(__doc__, file=sys.stderr)
        return 2
    readme, language, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    blocks = re.findall(rf"^```{language}\n(.*?)^```", readme.read_text(), re.MULTILINE | re.DOTALL)
    if not blocks:
        print(f"{readme}: no {language} code blocks", file=sys.stderr)
        return 1
    program = PROLOGUE[language] + "\n".join(blocks)
    for placeholder, replacement in PLACEHOLDERS[language]:
        if placeholder not in program:
            print(f"{readme}: placeholder {placeholder} not found", file=sys.stderr)
            return 1
        program = program.replace(placeholder, replacement)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(program)
    return 0


if __name__ == "__main__":
    sys.exit(main())
