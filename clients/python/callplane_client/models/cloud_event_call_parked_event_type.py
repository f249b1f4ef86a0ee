from enum import StrEnum


class CloudEventCallParkedEventType(StrEnum):
    CALL_PARKED = "call.parked"

    def __str__(self) -> str:
        return str(self.value)
