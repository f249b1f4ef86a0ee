from enum import StrEnum


class CallState(StrEnum):
    ANSWERED = "answered"
    RINGING = "ringing"
    TRYING = "trying"

    def __str__(self) -> str:
        return str(self.value)
