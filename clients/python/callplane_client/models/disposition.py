from enum import StrEnum


class Disposition(StrEnum):
    ANSWERED = "answered"
    BUSY = "busy"
    CANCELLED = "cancelled"
    FAILED = "failed"
    NO_ANSWER = "no_answer"

    def __str__(self) -> str:
        return str(self.value)
