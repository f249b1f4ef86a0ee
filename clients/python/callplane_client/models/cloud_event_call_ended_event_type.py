from enum import StrEnum


class CloudEventCallEndedEventType(StrEnum):
    CALL_ENDED = "call.ended"

    def __str__(self) -> str:
        return str(self.value)
