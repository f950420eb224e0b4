#!/usr/bin/env python3
"""Patches the Homebrew formula that dist generates so that it installs ghcr-doctor's man page and
shell completions where Homebrew looks for them.

dist's formula installs the binary and puts every other file of the archive in `pkgshare`
(`share/ghcr-doctor/`), where neither `man` nor the shells find them (cargo-dist issue #2429).
This inserts Homebrew's own install calls for them just before dist computes the leftovers, so
what they move is no longer left over. Run by .github/workflows/publish-homebrew.yml:

    python3 patch-formula.py Formula/ghcr-doctor.rb

It edits the file in place and refuses (exit 1, file untouched) a formula whose shape it does not
know or one it has already patched, so a change in dist's template fails the release loudly
instead of publishing a formula that silently lost the man page.
"""

import sys

# The paths are the archive's: dist copies each `include` entry of dist-workspace.toml to the
# archive's root under its own name (docs/man/ghcr-doctor.1 -> ghcr-doctor.1,
# docs/completions/ -> completions/).
INSTALLS = [
    "# ghcr-doctor: the man page and the completions, where man and the shells look for them",
    'man1.install "ghcr-doctor.1"',
    'bash_completion.install "completions/ghcr-doctor.bash" => "ghcr-doctor"',
    'zsh_completion.install "completions/ghcr-doctor.zsh" => "_ghcr-doctor"',
    'fish_completion.install "completions/ghcr-doctor.fish"',
]
# dist's template (templates/installer/homebrew.rb.j2): the doc files Homebrew installs itself,
# then everything else goes to pkgshare.
DOC_FILES = "doc_files = Dir["
PKGSHARE = "pkgshare.install(*leftover_contents) unless leftover_contents.empty?"


def patch(formula: str) -> str:
    """The patched formula, or ValueError saying why this formula cannot be patched."""
    if INSTALLS[1] in formula:
        raise ValueError("the formula is already patched (it installs the man page)")
    lines = formula.splitlines(keepends=True)
    doc = [i for i, line in enumerate(lines) if line.strip().startswith(DOC_FILES)]
    share = [i for i, line in enumerate(lines) if line.strip() == PKGSHARE]
    if len(doc) != 1 or len(share) != 1 or share[0] < doc[0]:
        raise ValueError(
            "unknown formula shape: expected one `doc_files = Dir[...]` line followed by one "
            f"`{PKGSHARE}` line (found {len(doc)} and {len(share)}); has dist's template changed?"
        )
    at = doc[0]
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    inserted = [f"{indent}{line}\n" for line in INSTALLS] + ["\n"]
    return "".join(lines[:at] + inserted + lines[at:])


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: patch-formula.py FORMULA.rb", file=sys.stderr)
        return 2
    path = argv[1]
    with open(path, encoding="utf-8") as f:
        formula = f.read()
    try:
        patched = patch(formula)
    except ValueError as e:
        print(f"patch-formula.py: {path}: {e}", file=sys.stderr)
        return 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(patched)
    print(f"patch-formula.py: {path}: installs the man page and the bash, zsh and fish completions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
