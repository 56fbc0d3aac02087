"""A model object to files: a pickle-free format where its library has one, joblib only with a warning."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path
from typing import Any

from ..errors import InvalidInput

FORMATS = ("path", "skops", "joblib")


def write(obj: Any, folder: Path) -> tuple[Path, str]:
    """(the file written into ``folder``, its format); a path is taken as it is ("path")."""
    if isinstance(obj, (str, Path)):
        path = Path(obj).expanduser().resolve()
        if not path.exists():
            raise InvalidInput(f"{obj} does not exist: save_model takes a model object or its saved file")
        return path, "path"
    module = type(obj).__module__.split(".", 1)[0]
    if module == "sklearn" and importlib.util.find_spec("skops") is not None:
        import skops.io  # lazy: only for a scikit-learn model

        target = folder / "model.skops"
        skops.io.dump(obj, target)
        return target, "skops"
    if importlib.util.find_spec("joblib") is None:
        raise InvalidInput(
            f"cannot save a {type(obj).__name__}: no pickle-free format for it is installed, nor joblib",
            hint="Save it with its library's own save() and pass the file's path.",
        )
    import joblib  # lazy: only for an object without a pickle-free format

    warnings.warn(
        f"saving a {type(obj).__name__} with joblib (a pickle): load it only from a store you trust",
        stacklevel=3,
    )
    target = folder / "model.joblib"
    joblib.dump(obj, target)
    return target, "joblib"


def read(path: Path, fmt: str) -> Any:
    if fmt == "skops":
        import skops.io  # lazy: only for a skops model

        return skops.io.load(path, trusted=skops.io.get_untrusted_types(file=path))
    if fmt == "joblib":
        import joblib  # lazy: only for a joblib model

        return joblib.load(path)
    return path
