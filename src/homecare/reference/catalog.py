"""Reference data catalog (参照データ目録): fetch and verify every external file.

``data/raw/reference/sources.yml`` names each file, its official URL, SHA-256, licence and
credit line. :func:`fetch` places files under ``data/raw/external/`` taking, in order:
a local copy whose hash matches; a copy from the folder named by ``HOMECARE_DATA_MIRROR``;
a download from the official URL. Every file is checked by SHA-256; a mismatch is refused.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from homecare.core import paths
from homecare.core.errors import HomecareError, ReferenceDataError
from homecare.core.files import sha256_file
from homecare.core.yamlio import load_yaml

MIRROR_ENV = "HOMECARE_DATA_MIRROR"
OFFLINE_ENV = "HOMECARE_OFFLINE"  # "1": never try the official URL (LGWAN machines, tests)


class DataMissingError(HomecareError):
    """A reference file is not available locally, in a mirror, or from its URL."""


class ChecksumError(HomecareError):
    """A reference file's SHA-256 differs from the catalog."""


@dataclass(frozen=True)
class Dataset:
    """A published data set (one publisher, licence and credit line)."""

    id: str
    description: str
    publisher: str
    licence: str
    credit: str


@dataclass(frozen=True)
class SourceFile:
    """One file of a data set, as listed in the catalog."""

    id: str
    dataset: str
    path: str  # relative to data/raw/external and to the mirror folder
    url: str
    sha256: str


@dataclass(frozen=True)
class Catalog:
    datasets: dict[str, Dataset]
    files: dict[str, SourceFile]

    def file(self, file_id: str) -> SourceFile:
        try:
            return self.files[file_id]
        except KeyError:
            raise ReferenceDataError(f"no file {file_id!r} in the reference catalog") from None

    def files_of(self, dataset_id: str) -> list[SourceFile]:
        """All files of a data set, in catalog order."""
        return [f for f in self.files.values() if f.dataset == dataset_id]

    def credit(self, dataset_id: str) -> str:
        """The credit line (出典) a figure or table using ``dataset_id`` must print."""
        return self.datasets[dataset_id].credit


def catalog_path() -> Path:
    return paths.reference_dir() / "sources.yml"


@lru_cache(maxsize=4)
def _load(path: Path) -> Catalog:
    raw = load_yaml(path, ReferenceDataError)
    datasets = {k: Dataset(id=k, **v) for k, v in raw["datasets"].items()}
    files: dict[str, SourceFile] = {}
    for entry in raw["files"]:
        f = SourceFile(**entry)
        if f.id in files:
            raise ReferenceDataError(f"{path}: file id {f.id!r} listed twice")
        if f.dataset not in datasets:
            raise ReferenceDataError(f"{path}: file {f.id!r} names unknown dataset {f.dataset!r}")
        if len(f.sha256) != 64:
            raise ReferenceDataError(f"{path}: file {f.id!r} has no valid sha256")
        files[f.id] = f
    return Catalog(datasets=datasets, files=files)


def load_catalog(path: Path | None = None) -> Catalog:
    """Read and check the catalog (``sources.yml``)."""
    return _load((path or catalog_path()).resolve())


def local_path(entry: SourceFile) -> Path:
    return paths.external_dir() / entry.path


def _mirror_dir() -> Path | None:
    value = os.environ.get(MIRROR_ENV)
    return Path(value).expanduser().resolve() if value else None


def _copy_verified(src: Path, dest: Path, entry: SourceFile, origin: str) -> None:
    """Copy ``src`` to ``dest`` through a temporary file; refuse it if its hash differs."""
    actual = sha256_file(src)
    if actual != entry.sha256:
        raise ChecksumError(
            f"refused {entry.path} from {origin}: SHA-256 differs from the catalog\n"
            f"  expected {entry.sha256}\n  actual   {actual}\n"
            f"The file may be a newer or damaged version; if the source really changed, "
            f"update data/raw/reference/sources.yml and docs/data_log.md."
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=dest.parent, delete=False) as tmp:
        tmp_path = Path(tmp.name)
    try:
        shutil.copyfile(src, tmp_path)
        os.replace(tmp_path, dest)
    finally:
        tmp_path.unlink(missing_ok=True)


def _download(entry: SourceFile, dest: Path) -> None:
    """Download the official URL with pooch, which checks the catalog's SHA-256 itself and
    keeps nothing that does not match; the file then moves into place."""
    import pooch  # imported lazily: only needed online

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmpdir = Path(tempfile.mkdtemp(dir=dest.parent))
    try:
        try:
            got = pooch.retrieve(
                entry.url, known_hash=f"sha256:{entry.sha256}", fname=dest.name, path=tmpdir, progressbar=False
            )
        except ValueError as exc:  # pooch's hash mismatch
            raise ChecksumError(
                f"refused {entry.path} from {entry.url}: SHA-256 differs from the catalog ({exc}).\n"
                f"The file may be a newer or damaged version; if the source really changed, "
                f"update data/raw/reference/sources.yml and docs/data_log.md."
            ) from None
        os.replace(got, dest)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def ensure_file(entry: SourceFile) -> tuple[Path, str]:
    """Make ``entry`` available locally and verified. Returns (path, how) where ``how`` is
    ``local``, ``mirror`` or ``download``."""
    dest = local_path(entry)
    stale_note = ""
    if dest.is_file():
        actual = sha256_file(dest)
        if actual == entry.sha256:
            return dest, "local"
        stale_note = f" (the local copy had SHA-256 {actual}, expected {entry.sha256}; replacing it)"
    mirror = _mirror_dir()
    if mirror is not None and (mirror / entry.path).is_file():
        _copy_verified(mirror / entry.path, dest, entry, origin=f"mirror {mirror}")
        return dest, "mirror"
    if os.environ.get(OFFLINE_ENV) != "1":
        try:
            _download(entry, dest)
            return dest, "download"
        except ChecksumError:
            raise
        except Exception as exc:  # network errors come in many types; all mean "not here"
            reason = f"download failed: {type(exc).__name__}: {str(exc)[:200]}"
    else:
        reason = f"downloads are off ({OFFLINE_ENV}=1)"
    where = f"{MIRROR_ENV}={mirror} has no file {entry.path}" if mirror else f"{MIRROR_ENV} is not set"
    raise DataMissingError(
        f"reference file missing: {entry.path} (catalog id {entry.id}){stale_note}\n"
        f"  no verified local copy in {paths.relative(paths.external_dir())}/; {where}; {reason}.\n"
        f"  Provide it in one of two ways:\n"
        f"    1. point {MIRROR_ENV} at a folder that holds {entry.path} "
        f"(e.g. a copy of the shared reference mirror), or\n"
        f"    2. download {entry.url}\n"
        f"       and save it as {paths.relative(dest)} (SHA-256 {entry.sha256})."
    )


@cache
def _verified(file_id: str) -> Path:
    path, _ = ensure_file(load_catalog().file(file_id))
    return path


def path_of(file_id: str) -> Path:
    """Verified local path of a catalog file (fetched on first use), recorded as a run input."""
    from homecare.core import provenance

    path = _verified(file_id)
    provenance.note_input(path, sha256=load_catalog().file(file_id).sha256)
    return path


def fetch(file_ids: list[str] | None = None, log=print) -> dict[str, str]:
    """Fetch and verify catalog files (all by default). Returns {file id: how obtained}."""
    cat = load_catalog()
    ids = file_ids or list(cat.files)
    result: dict[str, str] = {}
    for fid in ids:
        _, how = ensure_file(cat.file(fid))
        result[fid] = how
    counts: dict[str, int] = {}
    for how in result.values():
        counts[how] = counts.get(how, 0) + 1
    log(
        f"reference data: {len(result)} files verified by SHA-256 in "
        f"{paths.relative(paths.external_dir())}/ ("
        + ", ".join(f"{n} {how}" for how, n in sorted(counts.items()))
        + ")"
    )
    return result
