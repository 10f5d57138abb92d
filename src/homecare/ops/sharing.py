"""Run folders safe to share (共有前チェック): no local paths, user names or secrets.

Executed notebooks carry tracebacks, papermill metadata and printed paths; manifests carry
input paths. :func:`sanitize_text` rewrites the project root to relative paths, the home
folder to ``~``, other users' home folders to ``~user`` and masks secrets; :func:`scan_run`
then checks every text file of a run folder and lists what is left (local paths, any
absolute path outside the project, user names, secrets), so the runner can warn and
``homecare check-share`` can refuse, instead of trusting the replacement.

Secrets are found by detect-secrets (AWS keys, JWTs, private keys, credentials in database
URLs, GitHub/GitLab/Slack/OpenAI/Stripe tokens, quoted password assignments) plus one rule of
ours for unquoted ``api_key=...`` assignments, which detect-secrets' keyword plugin only
sees in quotes.
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from homecare.core import paths

REDACTED = "<redacted>"
TEXT_SUFFIXES = {".ipynb", ".json", ".md", ".html", ".csv", ".txt", ".svg", ".yml", ".yaml"}
DETECTORS = (
    "AWSKeyDetector",
    "AzureStorageKeyDetector",
    "BasicAuthDetector",
    "DiscordBotTokenDetector",
    "GitHubTokenDetector",
    "GitLabTokenDetector",
    "JwtTokenDetector",
    "KeywordDetector",
    "NpmDetector",
    "OpenAIDetector",
    "PrivateKeyDetector",
    "PypiTokenDetector",
    "SendGridDetector",
    "SlackDetector",
    "StripeDetector",
    "TwilioKeyDetector",
)  # not the entropy detectors: every SHA-256 in a manifest would be a "secret"
_ASSIGNED_SECRET = re.compile(
    r"(?i)\b(?:api[_-]?key|access[_-]?token|auth[_-]?token|secret(?:[_-]?access)?[_-]?key|secret|password|passwd|token)"
    r"(?:\\?[\"'])?\s*[:=]\s*(?:\\?[\"'])?(?!<redacted>)([A-Za-z0-9_\-./+]{8,})"
)
# cheap first look: only lines with one of these go to detect-secrets (slow per line)
_MAYBE_SECRET = re.compile(
    r"(?i)akia|asia|eyj|-----begin|://[^/\s]*@|gh[pousr]_|github_pat|glpat|xox|sk[-_]|accountkey|npm_|pypi-|sg\."
    r"|key|token|secret|pass|pwd|auth|credential|bot"
)
_TOKEN_CHARS = re.compile(r"[\w\-./+=]+")
_BEARER = re.compile(r"(?i)\bbearer\s+([A-Za-z0-9._\-]{20,})")
_HOME_DIRS = re.compile(r"(?:/home|/Users)/([A-Za-z0-9._\-]+)|[A-Za-z]:\\\\?Users\\\\?([A-Za-z0-9._\-]+)")
# an absolute path (two segments at least): not a URL, a date, a fraction or an HTML end tag
_ABSOLUTE = re.compile(r"(?<![\w:/.~<\-])/(?:[A-Za-z0-9._\-]+/)+[A-Za-z0-9._\-]+|\b[A-Za-z]:\\[^\s\"'<>]+")


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


def _path_pattern(prefix: str) -> re.Pattern[str]:
    """``prefix`` where it is a whole path (followed by ``/`` or the end of the path), never
    the start of a longer name: /srv/homecare is not the start of /srv/homecare-data."""
    return re.compile(re.escape(prefix) + r"(?=/|$|[\s\"'<>),;:])")


def _replace_path(text: str, prefix: str, replacement: str) -> str:
    """Replace ``prefix`` where it is a whole path (see :func:`_path_pattern`)."""
    return _path_pattern(prefix).sub(replacement, text)


def _inside(path_text: str, folder: str) -> bool:
    """Whether the absolute path ``path_text`` is ``folder`` or lies below it (as paths, not text)."""
    return PurePosixPath(path_text).is_relative_to(folder)


@cache
def _settings() -> dict:
    return {"plugins_used": [{"name": name} for name in DETECTORS]}


def secrets_in(lines: list[str]) -> list[list[tuple[str, str]]]:
    """(kind, secret text) of every secret found, per line of ``lines``."""
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import transient_settings

    found: list[list[tuple[str, str]]] = []
    with transient_settings(_settings()):
        for line in lines:
            # detect-secrets is line-based; very long lines are data (SVG paths), not settings
            scan = len(line) < 10_000 and _MAYBE_SECRET.search(line)
            hits = [(s.type, s.secret_value) for s in scan_line(line) if s.secret_value] if scan else []
            hits += [("Secret Keyword", m.group(1)) for m in _ASSIGNED_SECRET.finditer(line)]
            hits += [("Bearer Token", m.group(1)) for m in _BEARER.finditer(line)]
            # detect-secrets reports some secrets by a part (a GitHub token as "ghp"): the
            # secret is the whole run of non-blank characters holding it; one finding each
            whole = [
                (kind, next((w for w in _TOKEN_CHARS.findall(line) if s in w), s) if len(s) < 8 else s)
                for kind, s in hits
            ]
            kept: list[tuple[str, str]] = []
            for kind, s in sorted(whole, key=lambda h: -len(h[1])):
                if not any(s in other for _, other in kept):
                    kept.append((kind, s))
            found.append(kept)
    return found


def sanitize_text(text: str) -> str:
    """``text`` with the project root made relative, home folders shortened and secrets masked."""
    root, home = _local_strings()
    text = text.replace(root + "/", "")
    text = _replace_path(text, root, ".")
    if home:
        text = _replace_path(text, home, "~")
    text = _HOME_DIRS.sub(lambda m: "~" + (m.group(1) or m.group(2)), text)
    lines = text.split("\n")
    for i, hits in enumerate(secrets_in(lines)):
        for _, secret in hits:
            lines[i] = lines[i].replace(secret, REDACTED)
    return "\n".join(lines)


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
    kind: str  # project root | home folder | user name | absolute path | secret (its kind)
    excerpt: str

    def __str__(self) -> str:
        return f"{self.file}: {self.kind}: {self.excerpt}"


def _excerpt(text: str, start: int, end: int) -> str:
    snippet = text[max(0, start - 20) : end + 20].replace("\n", " ")
    return snippet[:100]


def scan_text(text: str, file: str = "") -> list[Finding]:
    """Local paths, absolute paths outside the project, the user name in a path and secrets
    found in ``text``."""
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
        if kind == "user name":
            i = text.find(needle)
        else:  # folders are found as whole paths: the project root is not in /srv/homecare-data
            m = _path_pattern(needle).search(text)
            i = m.start() if m else -1
        if i >= 0:
            found.append(Finding(file, kind, _excerpt(text, i, i + len(needle))))
    for m in _HOME_DIRS.finditer(text):
        found.append(Finding(file, "home folder", _excerpt(text, m.start(), m.end())))
    for m in _ABSOLUTE.finditer(text):
        if not _HOME_DIRS.match(m.group(0)) and not _inside(m.group(0), root):
            found.append(Finding(file, "absolute path", _excerpt(text, m.start(), m.end())))
    for hits in secrets_in(text.split("\n")):
        found += [Finding(file, f"secret ({kind})", secret[:4] + "…") for kind, secret in hits]
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
