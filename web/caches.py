"""Caches of one app (never of the process: two apps in one process serve different archives)."""

from __future__ import annotations

import threading
from collections import OrderedDict


class BoundedCache:
    """The last `size` values by key. The citation engine renders one string at a time (~10 ms
    each, five styles a page), so concurrent readers of a document would otherwise queue."""

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, build):
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = build()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value
