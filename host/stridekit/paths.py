"""Path arguments checked before a command starts work.

A command that fails after minutes of work because its output folder is missing,
or leaves half a file behind, wastes the user's time; these checks run first and
raise BadPath with a one-line message naming the option. Nothing here creates a
file or a folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from stridekit.errors import BadPath


def _writable_dir(folder: Path, option: str, path: Path, hint: str) -> None:
    if not folder.exists():
        raise BadPath(f"{option} {path}: folder {folder} does not exist{hint}")
    if not folder.is_dir():
        raise BadPath(f"{option} {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BadPath(f"{option} {path}: cannot write in {folder}")


def _nearest_existing(path: Path) -> Path:
    p = path.absolute()
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def check_out_file(
    path: Path, option: str = "--out", *, make_parents: bool = False, parents_hint: str = ""
) -> None:
    """Raise BadPath unless `path` can be written as a file.

    It must not be a folder, and its folder must exist and be writable. With
    make_parents, missing folders are allowed (the caller creates them) if the
    nearest existing one is a writable folder. parents_hint ends the missing-folder
    message (e.g. " (--mkdir creates it)").
    """
    if path.is_dir():
        raise BadPath(f"{option} {path}: is a folder; give a file name")
    if path.exists() and not os.access(path, os.W_OK):
        raise BadPath(f"{option} {path}: file is not writable")
    parent = path.absolute().parent
    if make_parents and not parent.exists():
        _writable_dir(_nearest_existing(parent), option, path, "")
        return
    _writable_dir(parent, option, path, parents_hint or " (create it first)")


def check_out_dir(path: Path, option: str = "--out") -> None:
    """Raise BadPath unless `path` is a writable folder or can be made as one.

    The folder itself may be missing (the command makes it, as its option says);
    the folder that holds it must exist: a typo in a parent is not silently created.
    """
    if path.exists():
        if not path.is_dir():
            raise BadPath(f"{option} {path}: is a file, not a folder")
        if not os.access(path, os.W_OK | os.X_OK):
            raise BadPath(f"{option} {path}: cannot write in this folder")
        return
    _writable_dir(path.absolute().parent, option, path, " (create it first)")


def check_in_file(path: Path, option: str = "FILE") -> None:
    """Raise BadPath unless `path` is a readable file."""
    if not path.exists():
        raise BadPath(f"{option} {path}: no such file")
    if path.is_dir():
        raise BadPath(f"{option} {path}: is a folder, not a file")
    if not os.access(path, os.R_OK):
        raise BadPath(f"{option} {path}: file is not readable")
