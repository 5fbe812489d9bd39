"""--out changes as a whole: a build writes every output into a staging folder beside it, then
swaps the two folders in one step.

    parent/curated/                  the dataset readers see
    parent/.curated.stage-XXXXXXXX/  this build's outputs, being written (removed if it fails)
    parent/.curated.lock             held by the build that owns --out (a POSIX record lock)
    parent/.curated.swap             the journal of a swap in progress (fallback only)

On Linux the swap is `renameat2(RENAME_EXCHANGE)` (`pipeline/common/exchange.py`): at every
moment `curated` names a complete folder, the old build's or the new one's. Where the exchange
is not available (other systems, network file systems), a journal is written first, then the
old folder is renamed aside and the staged one into place; a build killed between those two
renames leaves no `curated` for a moment, and the next command that touches --out finishes the
swap from the journal before anything else (`recover`). Recovery also removes the staging and
old folders of killed builds and the temporary files of interrupted writes.

Files in --out that no build wrote (not an output name, not listed in the last manifest) are
carried into the new folder as hard links, so nothing of the user's is lost in the swap.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.common.exchange import exchange, fsync_directory, fsync_tree
from pipeline.common.files import read_regular
from pipeline.common.locks import LockBusy, exclusive_lock
from pipeline.run.interrupt import deferred
from pipeline.run.stages import STAGES

# Every name a build of this version may write at the top of --out.
KNOWN_OUTPUTS = frozenset(
    {f"{table}.parquet" for stage in STAGES for table in stage.writes} | {"stats.json", "review.html", "manifest.json"}
)
# mkstemp's names: '.NAME.' + 8 random characters + '.tmp' (pipeline/common/atomic.py).
TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


class OutputError(Exception):
    """--out cannot take a build (a file, the root folder, a folder that holds the inputs)."""


@dataclass(frozen=True)
class OutputFolder:
    given: Path  # as the user wrote it, for messages
    real: Path  # symlinks resolved: the folder that is swapped (a symlinked --out keeps its link)

    def sibling(self, suffix: str) -> Path:
        return self.real.parent / f".{self.real.name}{suffix}"

    @property
    def lock(self) -> Path:
        return self.sibling(".lock")

    @property
    def journal(self) -> Path:
        return self.sibling(".swap")


def output_folder(out: Path) -> OutputFolder:
    """--out, checked: a folder (or nothing yet), not the root of a file system."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} is a file, not a folder")
    real = Path(os.path.realpath(out))
    if real.parent == real or not real.name:
        raise OutputError(f"--out {out} is the root of the file system; give a folder for the dataset")
    return OutputFolder(out, real)


@contextlib.contextmanager
def hold(out: Path, notice: Callable[[str], None] | None = None) -> Iterator[list[str]]:
    """Own --out while the block runs: take its lock (waiting, and saying for whom, while another
    build holds it), then recover from any interrupted build. Yields what recovery did."""
    folder = output_folder(out)
    options = {"notice": notice} if notice else {}
    with exclusive_lock(folder.lock, f"the output folder {out}", **options):
        yield recover(folder)


def recover_if_idle(out: Path) -> list[str]:
    """For commands that only read --out (review, decide): recover unless a build holds --out now
    (that build's swap is under way and it will finish it)."""
    folder = output_folder(out)
    if not folder.real.parent.is_dir():
        return []
    try:
        with exclusive_lock(folder.lock, f"the output folder {out}", blocking=False):
            return recover(folder)
    except LockBusy:
        return []


def recover(folder: OutputFolder) -> list[str]:
    """Finish an interrupted swap, then remove the leftovers of killed builds. Call under the lock."""
    done: list[str] = []
    if folder.journal.exists():
        done += _replay_journal(folder)
    prefix = f".{folder.real.name}."
    with contextlib.suppress(FileNotFoundError), os.scandir(folder.real.parent) as entries:
        for entry in entries:
            rest = entry.name[len(prefix) :] if entry.name.startswith(prefix) else ""
            if rest.startswith(("stage-", "old-")) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
                done.append(f"removed {entry.path}, left by an interrupted build")
            elif entry.name.startswith(f".{prefix}swap.") and TEMPORARY.fullmatch(entry.name):
                os.unlink(entry.path)
    if folder.real.is_dir():
        for entry in os.scandir(folder.real):
            if TEMPORARY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                done.append(f"removed {entry.path}, a temporary file of an interrupted write")
    return done


def _replay_journal(folder: OutputFolder) -> list[str]:
    plan = json.loads(read_regular(folder.journal))
    staged, old = folder.real.parent / plan["stage"], folder.real.parent / plan["old"]
    done = []
    if not folder.real.exists():
        if staged.is_dir():  # killed between the two renames: the new build is complete
            os.rename(staged, folder.real)
            done.append(f"finished an interrupted swap: {folder.given} holds the new build")
        elif old.is_dir():
            os.rename(old, folder.real)
            done.append(f"undid an interrupted swap: {folder.given} holds the previous build")
    fsync_directory(folder.real.parent)
    folder.journal.unlink()
    fsync_directory(folder.real.parent)
    return done


def previous_outputs(folder: Path) -> set[str]:
    """Top-level names a build wrote in `folder`: the known output names and the last manifest's."""
    names = set(KNOWN_OUTPUTS)
    try:
        manifest = json.loads(read_regular(folder / "manifest.json"))
        names |= {name.split("/", 1)[0] for name in manifest.get("outputs", {})}
    except (OSError, ValueError, AttributeError):
        pass
    return names


def outputs_present(out: Path) -> set[str]:
    """The build outputs in --out now."""
    if not out.is_dir():
        return set()
    ours = previous_outputs(out)
    return {entry.name for entry in os.scandir(out) if entry.name in ours}


@dataclass
class Staging:
    """The folder this build writes into; `publish` swaps it in as --out."""

    folder: OutputFolder
    path: Path = field(init=False)
    published: bool = False

    def __post_init__(self) -> None:
        parent = self.folder.real.parent
        parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.folder.real.name}.stage-", dir=parent))
        os.chmod(self.path, _folder_mode(self.folder.real))

    def files(self) -> list[Path]:
        """Every file written so far, sorted."""
        return sorted(p for p in self.path.rglob("*") if p.is_file())

    def final(self, path: Path) -> Path:
        """Where a staged file will be once published."""
        return self.folder.given / path.relative_to(self.path)

    def publish(self) -> None:
        real = self.folder.real
        if real.is_dir():
            _carry_over(real, self.path, previous_outputs(real))
        fsync_tree(self.path)
        with deferred():  # a stop signal arriving now waits until --out is one complete build
            if not real.exists():
                os.rename(self.path, real)
                old = None
            elif exchange(self.path, real):
                old = self.path  # now holds the previous build
            else:
                old = self._journalled_swap()
            fsync_directory(real.parent)
            self.published = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def _journalled_swap(self) -> Path:
        real, journal = self.folder.real, self.folder.journal
        old = self.folder.sibling(f".old-{secrets.token_hex(4)}")
        _write_durably(journal, json.dumps({"stage": self.path.name, "old": old.name}))
        os.rename(real, old)
        os.rename(self.path, real)  # a kill before this line is finished by `recover`
        fsync_directory(real.parent)
        journal.unlink()
        return old

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


@contextlib.contextmanager
def staged_output(out: Path) -> Iterator[Staging]:
    """Write a build's outputs into `staging.path`; when the block ends without error, the staged
    folder replaces --out in one step. On any error or signal, --out is left as it was."""
    with hold(out):
        staging = Staging(output_folder(out))
        try:
            yield staging
            staging.publish()
        finally:
            if not staging.published:
                staging.discard()


def _folder_mode(real: Path) -> int:
    """The mode of the folder being replaced, or the mode a new folder gets."""
    try:
        return stat.S_IMODE(os.stat(real).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o777 & ~umask


def _carry_over(old: Path, staged: Path, ours: set[str]) -> None:
    """Hard-link into the staged folder whatever the user keeps in --out (never a build output)."""
    for entry in os.scandir(old):
        target = staged / entry.name
        if entry.name in ours or TEMPORARY.fullmatch(entry.name) or os.path.lexists(target):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(entry.path, target, symlinks=True, copy_function=_link_or_copy)
        elif entry.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        else:
            _link_or_copy(entry.path, target)


def _link_or_copy(source: str, target: str | Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _write_durably(path: Path, text: str) -> None:
    """Write a small file so that it is either absent or complete, even after a power failure."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_directory(path.parent)
