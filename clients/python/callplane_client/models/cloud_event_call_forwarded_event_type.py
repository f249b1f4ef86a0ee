from enum import StrEnum


class CloudEventCallForwardedEventType(StrEnum):
    CALL_FORWARDED = "call.forwarded"

    def __str__(self) -> str:
        return str(self.value)
