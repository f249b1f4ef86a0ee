from enum import StrEnum


class Scope(StrEnum):
    ADMIN = "admin"
    CALLS = "calls"
    EVENTS = "events"
    READ = "read"

    def __str__(self) -> str:
        return str(self.value)
