"""Line numbers of a TOML table's keys: tomllib gives values, not where they stand."""

from __future__ import annotations

import re


class KeyLines:
    """Where each key of `table` and of its `[[table.pipelines]]` entries stands."""

    def __init__(self, text: str, table: str):
        self.tables: list[int] = []  # line of each [[tool.cursus-codegen.pipelines]]
        self.keys: dict[tuple[int | None, str], int] = {}
        current: int | None | bool = False  # False: another table; None: the main table
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith("["):
                header = re.sub(r"""[\s"']""", "", stripped.strip("[]"))
                if header == f"{table}.pipelines" and stripped.startswith("[["):
                    self.tables.append(number)
                    current = len(self.tables) - 1
                else:
                    current = None if header == table else False
                continue
            key = re.match(r"""\s*["']?([A-Za-z0-9_-]+)["']?\s*=""", line)
            if key and current is not False:
                self.keys.setdefault((current, key[1]), number)

    def of(self, index: int | None, key: str) -> int | None:
        return self.keys.get((index, key))

    def table_line(self, index: int | None) -> int:
        return (
            self.tables[index] if index is not None and index < len(self.tables) else 1
        )
