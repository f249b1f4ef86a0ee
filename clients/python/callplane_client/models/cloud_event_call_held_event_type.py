from enum import StrEnum


class CloudEventCallHeldEventType(StrEnum):
    CALL_HELD = "call.held"

    def __str__(self) -> str:
        return str(self.value)
