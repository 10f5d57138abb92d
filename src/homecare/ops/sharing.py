"""Run folders safe to share (共有前チェック): no local paths, user names or tokens.

Executed notebooks carry tracebacks, papermill metadata and printed paths; manifests carry
input paths. :func:`sanitize_text` rewrites the project root to relative paths, the home
folder to ``~``, other users' home folders to ``~user`` and masks token-like strings;
:func:`scan_run` then checks every text file of a run folder and lists what is left, so the
runner can warn (and tests can fail) instead of trusting the replacement.
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass
from pathlib import Path

from homecare.core import paths

REDACTED = "<redacted>"
TEXT_SUFFIXES = {".ipynb", ".json", ".md", ".html", ".csv", ".txt", ".svg", ".yml", ".yaml"}

# Credentials as issued by common services, and "key = value" assignments of secrets.
TOKEN_PATTERNS = [
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"),  # GitHub tokens
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{30,}\b"),
    re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,}\b"),  # GitLab
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),  # AWS access key id
    re.compile(r"\bxox[abprs]-[A-Za-z0-9\-]{10,}\b"),  # Slack
    re.compile(r"\bsk-[A-Za-z0-9_\-]{20,}\b"),  # OpenAI-style secret keys
    re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"),  # Google API key
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._\-]{20,}"),
    re.compile(
        r"(?i)\b(?:api[_-]?key|access[_-]?token|auth[_-]?token|secret|password|passwd|token)"
        r"(?:\\?[\"'])?\s*[:=]\s*(?:\\?[\"'])?(?!<redacted>)[A-Za-z0-9_\-./+]{8,}"
    ),
]
_HOME_DIRS = re.compile(r"(?:/home|/Users)/([A-Za-z0-9._\-]+)|[A-Za-z]:\\\\?Users\\\\?([A-Za-z0-9._\-]+)")


def user_name() -> str:
    """The current user's login name ('' when it cannot be determined)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers): fall back to nothing
        return os.environ.get("USER", "")


def _local_strings() -> tuple[str, str]:
    root = str(paths.project_root())
    home = str(Path.home())
    return root, ("" if home in ("/", "") else home)


def sanitize_text(text: str) -> str:
    """``text`` with the project root made relative, home folders shortened and tokens masked."""
    root, home = _local_strings()
    text = text.replace(root + "/", "").replace(root, ".")
    if home:
        text = text.replace(home, "~")
    text = _HOME_DIRS.sub(lambda m: "~" + (m.group(1) or m.group(2)), text)
    for pattern in TOKEN_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def sanitize_file(path: Path) -> bool:
    """Sanitize one text file in place; True when it changed."""
    text = path.read_text(encoding="utf-8")
    clean = sanitize_text(text)
    if clean != text:
        path.write_text(clean, encoding="utf-8")
    return clean != text


@dataclass(frozen=True)
class Finding:
    """Something in a run folder that should not be shared."""

    file: str  # relative to the run folder
    kind: str  # project root | home folder | user name | token
    excerpt: str

    def __str__(self) -> str:
        return f"{self.file}: {self.kind}: {self.excerpt}"


def _excerpt(text: str, start: int, end: int) -> str:
    snippet = text[max(0, start - 20) : end + 20].replace("\n", " ")
    return snippet[:100]


def scan_text(text: str, file: str = "") -> list[Finding]:
    """Local paths, the user name in a path, and token-like strings found in ``text``."""
    root, home = _local_strings()
    user = user_name()
    needles = [("project root", root)]
    if home:
        needles.append(("home folder", home))
    if user:
        # the bare name would match ordinary words ("root"); look for it where paths put it
        needles += [("user name", f"/{user}/"), ("user name", f"\\{user}\\"), ("user name", f"{user}@")]
    found = []
    for kind, needle in needles:
        i = text.find(needle)
        if needle and i >= 0:
            found.append(Finding(file, kind, _excerpt(text, i, i + len(needle))))
    for m in _HOME_DIRS.finditer(text):
        found.append(Finding(file, "home folder", _excerpt(text, m.start(), m.end())))
    for pattern in TOKEN_PATTERNS:
        for m in pattern.finditer(text):
            found.append(Finding(file, "token", _excerpt(text, m.start(), m.start() + 6) + "…"))
    return found


def text_files(run_dir: Path) -> list[Path]:
    """The files of a run folder that hold text (notebooks, manifest, tables, reports)."""
    return sorted(p for p in run_dir.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)


def runner_written(run_dir: Path) -> list[Path]:
    """Text the runner and papermill write (notebooks, stage records, reports, manifest);
    published tables and figures are left byte-for-byte as the stages wrote them."""
    found = [*run_dir.glob("notebooks/*.ipynb"), *run_dir.glob("stages/*.json"), *run_dir.glob("*.md")]
    found += [p for p in (run_dir / "manifest.json", run_dir / "changes.csv") if p.is_file()]
    return sorted(found)


def sanitize_run(run_dir: Path) -> list[str]:
    """Sanitize the runner-written text files of a run folder; returns the names changed."""
    return [p.relative_to(run_dir).as_posix() for p in runner_written(run_dir) if sanitize_file(p)]


def scan_run(run_dir: Path, *, everything: bool = False) -> list[Finding]:
    """Findings in the runner-written text of ``run_dir`` (notebooks, stage records, reports,
    manifest) and its index page; ``everything`` also reads tables and SVG figures (slower).
    Empty list: safe to share."""
    files = (
        text_files(run_dir)
        if everything
        else runner_written(run_dir) + [p for p in [run_dir / "index.html"] if p.is_file()]
    )
    findings = []
    for p in files:
        text = p.read_text(encoding="utf-8", errors="replace")
        findings += scan_text(text, p.relative_to(run_dir).as_posix())
    return findings
