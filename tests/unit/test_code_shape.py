"""functions/ stays readable: no module over 300 lines, no function over 50 (issue 12).
Ruff's complexity rules cover branching; this covers plain length. And functions/ works
on domain dataclasses: the PynamoDB records stay behind the repositories in store/."""

import ast
from pathlib import Path

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50


def modules() -> list[Path]:
    found = sorted(FUNCTIONS.rglob("*.py"))
    assert len(found) > 20, "functions/ not found where expected"
    return found


def long_functions(source: str) -> list[tuple[str, int]]:
    """Every function and method, nested ones included, with its length in lines."""
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


def test_no_module_in_functions_is_over_300_lines():
    too_long = {
        str(path.relative_to(FUNCTIONS)): lines
        for path in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}


def test_no_function_in_functions_is_over_50_lines():
    too_long = {
        f"{path.relative_to(FUNCTIONS)}::{name}": lines
        for path in modules()
        for name, lines in long_functions(path.read_text(encoding="utf-8"))
    }
    assert too_long == {}


def test_the_measure_counts_a_function_from_def_to_its_last_line():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    assert long_functions(f"def short():\n{body[: body.rfind(chr(10))]}\n") == []
    assert long_functions(f"def long():\n{body}\n") == [("long", MAX_FUNCTION_LINES + 1)]


STORAGE_MODULES = ("pynamodb", "bemtevi.store.models")


def storage_imports(source: str) -> list[str]:
    """The modules a source imports that belong behind the repositories: PynamoDB and
    the record models (`from bemtevi.store import models` included)."""
    imported = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
            imported += [f"{node.module}.{alias.name}" for alias in node.names]
    return [
        name
        for name in imported
        if any(name == banned or name.startswith(f"{banned}.") for banned in STORAGE_MODULES)
    ]


def test_no_module_in_functions_imports_the_records_or_pynamodb():
    found = {
        str(path.relative_to(FUNCTIONS)): imports
        for path in modules()
        if (imports := storage_imports(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_storage_import_check_sees_every_form_of_import():
    assert storage_imports("from bemtevi.store.models import CustomerRecord") == [
        "bemtevi.store.models",
        "bemtevi.store.models.CustomerRecord",
    ]
    assert storage_imports("from bemtevi.store import models") == ["bemtevi.store.models"]
    assert storage_imports("import pynamodb.models") == ["pynamodb.models"]
    assert storage_imports("from pynamodb.models import Model") != []
    assert storage_imports("from bemtevi.store import customers, sales") == []
