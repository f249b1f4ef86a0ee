from enum import StrEnum


class Scope(StrEnum):
    ADMIN = "admin"
    CALLS = "calls"
    EVENTS = "events"
    METRICS = "metrics"
    READ = "read"

    def __str__(self) -> str:
        return str(self.value)
