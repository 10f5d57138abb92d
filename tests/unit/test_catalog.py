"""Reference data catalog: good file, missing file offline, hash mismatch."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from cli_run import run_cli

from homecare.core.files import sha256_file
from homecare.reference import catalog

BOUNDARY = "n03_kanagawa_2021"


@pytest.fixture
def entry() -> catalog.SourceFile:
    return catalog.load_catalog().file(BOUNDARY)


@pytest.fixture
def real_copy(entry: catalog.SourceFile) -> Path:
    """The verified boundary file as fetched by `make data` (before any env override)."""
    path = catalog.local_path(entry)
    assert sha256_file(path) == entry.sha256
    return path


@pytest.fixture
def empty_external(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ext = tmp_path / "external"
    monkeypatch.setenv("HOMECARE_EXTERNAL_DIR", str(ext))
    monkeypatch.setenv(catalog.OFFLINE_ENV, "1")
    monkeypatch.delenv(catalog.MIRROR_ENV, raising=False)
    return ext


def test_catalog_lists_the_three_sets_with_hashes_and_credits() -> None:
    cat = catalog.load_catalog()
    assert len(cat.files_of("town_gazetteer")) == 58
    assert len(cat.files_of("municipal_boundaries")) == 1
    assert len(cat.files_of("prefecture_outlines")) == 1
    assert all(len(f.sha256) == 64 and f.url.startswith("https://") for f in cat.files.values())
    assert cat.credit("municipal_boundaries") == "出典：国土数値情報（行政区域データ）（国土交通省）を加工して作成"
    assert "CC BY 4.0" in cat.credit("town_gazetteer")


def test_good_file_comes_from_mirror_then_stays_local(entry, real_copy, empty_external, tmp_path, monkeypatch) -> None:
    mirror = tmp_path / "mirror"
    (mirror / entry.path).parent.mkdir(parents=True)
    shutil.copyfile(real_copy, mirror / entry.path)
    monkeypatch.setenv(catalog.MIRROR_ENV, str(mirror))
    path, how = catalog.ensure_file(entry)
    assert how == "mirror" and path == empty_external / entry.path
    assert sha256_file(path) == entry.sha256
    assert catalog.ensure_file(entry)[1] == "local"


def test_missing_offline_names_the_file_and_both_remedies(entry, empty_external) -> None:
    with pytest.raises(catalog.DataMissingError) as err:
        catalog.ensure_file(entry)
    text = str(err.value)
    assert entry.path in text
    assert catalog.MIRROR_ENV in text
    assert entry.url in text
    assert not (empty_external / entry.path).exists()


def test_hash_mismatch_in_mirror_is_refused_with_both_hashes(
    entry, real_copy, empty_external, tmp_path, monkeypatch
) -> None:
    mirror = tmp_path / "mirror"
    (mirror / entry.path).parent.mkdir(parents=True)
    (mirror / entry.path).write_bytes(real_copy.read_bytes() + b"\n")
    monkeypatch.setenv(catalog.MIRROR_ENV, str(mirror))
    with pytest.raises(catalog.ChecksumError) as err:
        catalog.ensure_file(entry)
    text = str(err.value)
    assert entry.sha256 in text
    assert sha256_file(mirror / entry.path) in text
    assert not (empty_external / entry.path).exists()


def test_stale_local_copy_is_replaced_from_the_mirror(entry, real_copy, empty_external, tmp_path, monkeypatch) -> None:
    local = empty_external / entry.path
    local.parent.mkdir(parents=True)
    local.write_bytes(b"damaged")
    mirror = tmp_path / "mirror"
    (mirror / entry.path).parent.mkdir(parents=True)
    shutil.copyfile(real_copy, mirror / entry.path)
    monkeypatch.setenv(catalog.MIRROR_ENV, str(mirror))
    assert catalog.ensure_file(entry)[1] == "mirror"
    assert sha256_file(local) == entry.sha256


def test_cli_offline_missing_exits_2_without_traceback(entry, empty_external) -> None:
    proc = run_cli("fetch", BOUNDARY)
    assert proc.returncode == 2
    assert "reference file missing" in proc.stderr and entry.path in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.fixture
def served(real_copy: Path, tmp_path: Path) -> Iterator[str]:
    """The boundary file served over HTTP on localhost (the official URL, offline)."""
    root = tmp_path / "www"
    root.mkdir()
    shutil.copyfile(real_copy, root / "n03.json")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/n03.json"
    server.shutdown()


def test_download_checks_the_catalog_hash(entry, served, empty_external, monkeypatch) -> None:
    monkeypatch.delenv(catalog.OFFLINE_ENV)
    path, how = catalog.ensure_file(replace(entry, url=served))
    assert how == "download" and sha256_file(path) == entry.sha256
    path.unlink()
    with pytest.raises(catalog.ChecksumError, match="SHA-256 differs"):
        catalog.ensure_file(replace(entry, url=served, sha256="0" * 64))
    assert not path.exists(), "a file that fails the hash check is never kept"
