"""Prompt files: loaded by name from `prompts/`, versioned, rendered with validated variables.

A prompt file is `prompts/<name>.v<version>.md`: a `---` header (name, version, variables, data), then a
`=== system ===` section and a `=== user ===` section. `{{var}}` placeholders are filled at render time.
Variables listed under `data` are untrusted text (articles, claims): the data sentinels are stripped from
them so an article can never close its own data block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent.parent.parent / "prompts"

# The one definition of the data sentinels: prompts get them as {{DATA_OPEN}} / {{DATA_CLOSE}}.
DATA_OPEN = "<data>"
DATA_CLOSE = "</data>"
_SENTINEL_RE = re.compile(r"<\s*/?\s*data\s*>", re.IGNORECASE)
_BUILTINS = {"DATA_OPEN": DATA_OPEN, "DATA_CLOSE": DATA_CLOSE}
_PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_FILE_RE = re.compile(r"^(?P<name>[a-z0-9_]+)\.v(?P<version>\d+)\.md$")


class PromptError(Exception):
    """A prompt file is missing or malformed."""


class PromptVariableError(PromptError):
    """A prompt was rendered with missing or unexpected variables."""


def strip_sentinels(text: str) -> str:
    """Remove anything that looks like a data sentinel from untrusted text."""
    return _SENTINEL_RE.sub("", text)


@dataclass(frozen=True)
class Prompt:
    """A loaded prompt file."""

    name: str
    version: int
    variables: tuple[str, ...]
    data_variables: tuple[str, ...]
    system: str
    user: str

    @property
    def id(self) -> str:
        """name@version, as logs and reports show it."""
        return f"{self.name}@{self.version}"

    def render(self, variables: dict[str, str]) -> list[tuple[str, str]]:
        """Return [(role, content)] with every placeholder filled; raise PromptVariableError on a mismatch."""
        given, wanted = set(variables), set(self.variables)
        if given != wanted:
            raise PromptVariableError(
                f"{self.id}: missing {sorted(wanted - given)}, unexpected {sorted(given - wanted)}"
            )
        values = {k: (strip_sentinels(str(v)) if k in self.data_variables else str(v)) for k, v in variables.items()}
        values.update(_BUILTINS)

        def fill(template: str) -> str:
            return _PLACEHOLDER_RE.sub(lambda m: values[m.group(1)], template)

        return [("system", fill(self.system)), ("user", fill(self.user))]


def _parse(path: Path) -> Prompt:
    raw = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(?P<header>.*?)\n---\n(?P<body>.*)$", raw, re.DOTALL)
    if not match:
        raise PromptError(f"{path.name}: no '---' header")
    header: dict[str, str] = {}
    for line in match["header"].splitlines():
        if line.strip():
            key, _, value = line.partition(":")
            header[key.strip()] = value.strip()
    parts = re.split(r"^=== (system|user) ===\s*$", match["body"], flags=re.MULTILINE)
    sections = {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    if set(sections) != {"system", "user"}:
        raise PromptError(f"{path.name}: needs one '=== system ===' and one '=== user ===' section")
    try:
        name, version = header["name"], int(header["version"])
    except (KeyError, ValueError) as exc:
        raise PromptError(f"{path.name}: header needs name and an integer version") from exc
    variables = tuple(v.strip() for v in header.get("variables", "").split(",") if v.strip())
    data_variables = tuple(v.strip() for v in header.get("data", "").split(",") if v.strip())
    used = set(_PLACEHOLDER_RE.findall(sections["system"] + sections["user"])) - set(_BUILTINS)
    if used != set(variables) or not set(data_variables) <= set(variables):
        raise PromptError(f"{path.name}: placeholders {sorted(used)} do not match declared variables {list(variables)}")
    return Prompt(name, version, variables, data_variables, sections["system"], sections["user"])


def load_prompt(name: str, version: int | None = None, directory: Path = PROMPTS_DIR) -> Prompt:
    """Load `name` at `version` (the highest version when None)."""
    found: dict[int, Path] = {}
    for path in directory.glob(f"{name}.v*.md"):
        m = _FILE_RE.match(path.name)
        if m and m["name"] == name:
            found[int(m["version"])] = path
    if not found:
        raise PromptError(f"no prompt file for {name!r} in {directory}")
    chosen = max(found) if version is None else version
    if chosen not in found:
        raise PromptError(f"{name!r} has no version {chosen} (have {sorted(found)})")
    prompt = _parse(found[chosen])
    if (prompt.name, prompt.version) != (name, chosen):
        raise PromptError(f"{found[chosen].name}: header says {prompt.id}")
    return prompt
