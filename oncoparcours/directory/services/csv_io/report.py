"""What an import did or would do: per row, the action and its errors; the file's own errors."""

import uuid
from dataclasses import dataclass, field
from typing import Literal

Action = Literal["create", "update", "unchanged"]


@dataclass(frozen=True)
class RowError:
    row: int | None  # line number in the file (the header is line 1); None: the whole file
    column: str | None
    code: str
    message: str


@dataclass
class RowReport:
    row: int
    action: Action
    public_id: uuid.UUID | None
    title: str
    changed_fields: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def errors(self) -> list[RowError]:
        return self.file_errors + [error for row in self.rows for error in row.errors]

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.errors)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")
