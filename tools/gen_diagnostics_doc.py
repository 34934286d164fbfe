"""Print the code list of docs/diagnostics.md from kruise_render/codes.py (the one table).

Usage: python tools/gen_diagnostics_doc.py, and paste its output between the page's
`<!-- codes:begin -->` and `<!-- codes:end -->` lines; tests/codes_test.py fails while the two differ.
"""
from __future__ import annotations

from kruise_render.codes import CODES

SECTIONS = {
    "KR0": "Reading the input",
    "KR1": "Kruise objects as written",
    "KR2": "Rendering",
    "KR3": "Output validation (--validate-output)",
    "KR4": "Integrations (KRM function, Argo CD, check)",
}


def codes_markdown() -> str:
    """Each code as an anchored heading (`#kr001`, the SARIF rules' helpUri) with meaning and fix."""
    lines: list[str] = []
    section = ""
    for code in sorted(CODES.values(), key=lambda c: c.id):
        if code.id[:3] != section:
            section = code.id[:3]
            lines += [f"## {SECTIONS[section]}", ""]
        lines += [f'<a id="{code.id.lower()}"></a>', f"### {code.id}: {code.title}", "",
                  f"**Meaning.** {code.meaning}", "", f"**Fix.** {code.fix}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(codes_markdown(), end="")
