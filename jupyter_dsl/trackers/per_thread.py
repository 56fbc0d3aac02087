"""An attribute each thread sets and reads for itself.

A forge tracker shared by the Jupyter server's request threads reports each request's own state
(``offline_as_of``: whether the read that request made came from the cache), not another request's.
"""

from __future__ import annotations

import threading
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class PerThread(Generic[T]):
    """A class attribute whose value, on each instance, is per thread (``default`` until set)."""

    def __init__(self, default: T) -> None:
        self.default = default
        self.slot = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}_per_thread"

    def _local(self, obj: Any) -> threading.local:
        slots: dict[str, threading.local] = obj.__dict__
        local = slots.get(self.slot)
        if local is None:
            local = slots.setdefault(self.slot, threading.local())  # one, even when two threads race
        return local

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> PerThread[T]: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> PerThread[T] | T:
        if obj is None:
            return self
        value: T = getattr(self._local(obj), "value", self.default)
        return value

    def __set__(self, obj: object, value: T) -> None:
        self._local(obj).value = value
