from enum import StrEnum


class CloudEventCallAnsweredEventType(StrEnum):
    CALL_ANSWERED = "call.answered"

    def __str__(self) -> str:
        return str(self.value)
