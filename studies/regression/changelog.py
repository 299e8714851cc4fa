"""The changelog of the baselines: what moved, why, and on which code and data.

Every ``regress update`` adds one section at the top of ``CHANGELOG.md`` beside
the baselines: the date, the reason given, the code version (package version
and git commit, when the package sits in a git checkout) and the data version
(the profile seeds' ``seed_hash`` and a SHA-256 over every seed file), then per
entry the values that changed, old -> new.
"""

from __future__ import annotations

import hashlib
import math
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final

from casa1000.errors import InputError
from casa1000.grid.atomic import atomic_output

HEADER: Final = (
    "# Changelog of the regression baselines\n\n"
    'Newest first. Written by `casa1000 regress update --reason "..."`; each section says why\n'
    "the baselines moved, on which code and data, and what changed (old -> new).\n"
)


@dataclass(frozen=True, kw_only=True)
class CodeVersion:
    """The code that measured a baseline.

    Parameters
    ----------
    package
        casa1000's version.
    commit
        Git commit of the checkout the package runs from; None outside git.
    dirty
        The checkout has uncommitted changes.
    """

    package: str
    commit: str | None
    dirty: bool

    def __str__(self) -> str:
        if self.commit is None:
            return f"casa1000 {self.package} (no git checkout)"
        dirty = " + uncommitted changes" if self.dirty else ""
        return f"casa1000 {self.package}, commit {self.commit[:12]}{dirty}"


@dataclass(frozen=True, kw_only=True)
class DataVersion:
    """The reference data a baseline was measured on.

    Parameters
    ----------
    profile_seed_hash
        ``load_profile_seeds().seed_hash``: the seed files a profile build reads.
    seed_files_sha256
        SHA-256 over the names and bytes of every file of ``casa1000.seeds``.
    """

    profile_seed_hash: str
    seed_files_sha256: str

    def __str__(self) -> str:
        return (
            f"profile seed_hash {self.profile_seed_hash[:12]}, "
            f"all seed files {self.seed_files_sha256[:12]}"
        )


def code_version() -> CodeVersion:
    """Return casa1000's version and, when run from a git checkout, its commit.

    Git missing, or the package not in a checkout, is not an error: the commit is None.
    """
    import casa1000

    root = Path(casa1000.__file__).parent
    commit = _git(root, "rev-parse", "HEAD")
    # untracked files count: a new module not yet committed changes what runs
    dirty = bool(_git(root, "status", "--porcelain")) if commit else False
    return CodeVersion(package=casa1000.__version__, commit=commit, dirty=dirty)


def _git(root: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None


def data_version() -> DataVersion:
    """Return the hashes of the reference data."""
    from casa1000.profiles.seed_tables import load_profile_seeds

    digest = hashlib.sha256()
    folder = resources.files("casa1000.seeds")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.is_file() and item.name.endswith((".csv", ".toml")):
            digest.update(item.name.encode())
            digest.update(item.read_bytes())
    return DataVersion(
        profile_seed_hash=load_profile_seeds().seed_hash, seed_files_sha256=digest.hexdigest()
    )


@dataclass(frozen=True, kw_only=True)
class ValueChange:
    """One baseline value that moved.

    Parameters
    ----------
    metric
        Metric name or ``<series>:<statistic>``.
    old, new
        Values before and after (NaN: absent).
    units
        Units of the values.
    """

    metric: str
    old: float
    new: float
    units: str

    def line(self) -> str:
        """Return the change as ``metric: old -> new units (delta)``."""
        if math.isnan(self.old):
            return f"`{self.metric}`: new, {self.new:.10g} {self.units}"
        delta = self.new - self.old
        share = f", {100 * delta / abs(self.old):+.3g} %" if self.old else ""
        return (
            f"`{self.metric}`: {self.old:.10g} -> {self.new:.10g} {self.units} "
            f"({delta:+.6g}{share})"
        )


@dataclass(frozen=True, kw_only=True)
class EntryChange:
    """What re-baselining did to one entry.

    Parameters
    ----------
    entry
        Entry name.
    status
        ``new``, ``changed``, ``unchanged`` or ``removed``.
    values
        Values that moved.
    notes
        Other changes in words (definition, replaced unreadable baseline, ...).
    compared
        Number of values compared.
    """

    entry: str
    status: str
    values: tuple[ValueChange, ...] = ()
    notes: tuple[str, ...] = ()
    compared: int = 0


def render_section(
    *,
    when: str,
    reason: str,
    code: CodeVersion,
    data: DataVersion,
    changes: Sequence[EntryChange],
) -> str:
    """Return the Markdown section of one update.

    Examples
    --------
    >>> code = CodeVersion(package="0.1.0", commit=None, dirty=False)
    >>> data = DataVersion(profile_seed_hash="a" * 64, seed_files_sha256="b" * 64)
    >>> change = EntryChange(entry="e", status="changed", compared=2,
    ...                      values=(ValueChange(metric="m", old=1.0, new=2.0, units="GWh"),))
    >>> print(render_section(when="2027-01-01", reason="new losses", code=code, data=data,
    ...                      changes=[change]))
    ## 2027-01-01: new losses
    <BLANKLINE>
    - code: casa1000 0.1.0 (no git checkout)
    - data: profile seed_hash aaaaaaaaaaaa, all seed files bbbbbbbbbbbb
    <BLANKLINE>
    ### e (changed: 1 of 2 values moved)
    <BLANKLINE>
    - `m`: 1 -> 2 GWh (+1, +100 %)
    <BLANKLINE>
    """
    lines = [
        f"## {when}: {_one_line(reason)}",
        "",
        f"- code: {code}",
        f"- data: {data}",
        "",
    ]
    for change in changes:
        if change.status == "changed":
            head = f"{change.status}: {len(change.values)} of {change.compared} values moved"
        else:
            head = change.status
        lines += [f"### {change.entry} ({head})", ""]
        body = [f"- {note}" for note in change.notes] + [f"- {v.line()}" for v in change.values]
        lines += [*body, ""] if body else []
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def prepend_section(path: Path, section: str) -> Path:
    """Insert ``section`` at the top of the changelog at ``path`` (created when absent).

    Raises
    ------
    InputError
        If the changelog cannot be read or written.
    """
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else HEADER
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), "changelog", "unreadable", f"a text file ({exc})") from None
    head, sep, rest = old.partition("\n## ")
    text = (
        head.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n" + (f"\n## {rest}" if sep else "")
    )
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
