from enum import StrEnum


class CloudEventCallRingingEventType(StrEnum):
    CALL_RINGING = "call.ringing"

    def __str__(self) -> str:
        return str(self.value)
