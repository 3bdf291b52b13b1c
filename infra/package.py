"""`python -m infra.package --stage STAGE OUT`: `chalice package` (with BEMTEVI_STAGE set
to the stage, which names the queue and topic the handlers subscribe to), then make the
two zips start fast in Lambda.

- Bytecode: Lambda's code and layer directories are read-only, so a module without a
  `.pyc` is compiled again on every cold start. Each `.py` gets its
  `__pycache__/<name>.cpython-3XX.pyc` beside it, compiled by this interpreter (which must
  be the runtime's version: the sam.json `Runtime`), as unchecked-hash pycs: Lambda
  unzips with other mtimes than the build's, so a timestamp pyc would never be trusted.
- Data we never load: Babel's locale data beyond what pt-BR formatting reads (`root`,
  `pt`, `pt_BR`; `babel/global.dat` stays). Phone metadata is already the lite build
  (`phonenumberslite` in requirements.txt: no geocoder, carrier or time zone data).
"""

from __future__ import annotations

import argparse
import json
import os
import py_compile
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
ZIPS = {"deployment.zip": "/var/task", "layer-deployment.zip": "/opt"}
BABEL_LOCALES_KEPT = {"root.dat", "pt.dat", "pt_BR.dat"}
NEW_ENTRY_DATE = (1980, 1, 1, 0, 0, 0)


def package(stage: str, output: Path) -> dict[str, dict[str, int]]:
    """Build the deployment package into `output`; returns, per zip, the pycs added and
    the files dropped."""
    chalice = Path(sys.executable).parent / "chalice"
    subprocess.run(  # noqa: S603 (our venv's chalice, fixed arguments)
        [str(chalice), "package", "--stage", stage, str(output)],
        cwd=ROOT,
        env={**os.environ, "BEMTEVI_STAGE": stage},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    check_runtime(output / "sam.json")
    return {name: optimise(output / name, mount) for name, mount in ZIPS.items()}


def check_runtime(template: Path) -> None:
    """A pyc is only read by the Python version that wrote it."""
    runtimes = {
        resource["Properties"]["Runtime"]
        for resource in json.loads(template.read_text())["Resources"].values()
        if "Runtime" in resource.get("Properties", {})
    }
    ours = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if runtimes != {ours}:
        raise SystemExit(f"the functions run {sorted(runtimes)}; build with {ours} instead")


def optimise(archive: Path, mount: str) -> dict[str, int]:
    """Rewrite `archive` without unused data and with a pyc beside every module."""
    with zipfile.ZipFile(archive) as source:
        entries = [entry for entry in source.infolist() if not _dropped(entry.filename)]
        dropped = len(source.infolist()) - len(entries)
        present = {entry.filename for entry in entries}
        rewritten = archive.with_suffix(".tmp")
        added = 0
        with (
            tempfile.TemporaryDirectory() as scratch,
            zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for entry in entries:
                data = source.read(entry)
                target.writestr(entry, data)
                pyc = _pyc_name(entry.filename)
                if pyc is None or pyc in present:
                    continue
                compiled = _compiled(data, entry.filename, mount, Path(scratch))
                if compiled is not None:
                    info = zipfile.ZipInfo(pyc, NEW_ENTRY_DATE)
                    info.external_attr = 0o644 << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    target.writestr(info, compiled)
                    added += 1
    os.replace(rewritten, archive)
    return {"pycs_added": added, "files_dropped": dropped}


def _dropped(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        path.parent.name == "locale-data"
        and path.parent.parent.name == "babel"
        and path.suffix == ".dat"
        and path.name not in BABEL_LOCALES_KEPT
    )


def _pyc_name(name: str) -> str | None:
    path = PurePosixPath(name)
    if path.suffix != ".py":
        return None
    tag = sys.implementation.cache_tag
    return str(path.parent / "__pycache__" / f"{path.stem}.{tag}.pyc")


def _compiled(source: bytes, name: str, mount: str, scratch: Path) -> bytes | None:
    """The pyc of one module, its tracebacks naming where Lambda puts it; None for a file
    this Python cannot compile (never imported by it, e.g. another version's code)."""
    script, pyc = scratch / "module.py", scratch / "module.pyc"
    script.write_bytes(source)
    try:
        py_compile.compile(
            str(script),
            cfile=str(pyc),
            dfile=f"{mount}/{name}",
            doraise=True,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
    except py_compile.PyCompileError:
        return None
    return pyc.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="dev")
    parser.add_argument("output", type=Path)
    arguments = parser.parse_args()
    for name, figures in package(arguments.stage, arguments.output).items():
        print(f"{name}: {figures['pycs_added']} pycs added, {figures['files_dropped']} dropped")


if __name__ == "__main__":
    main()
