from enum import StrEnum


class CloudEventCallUnparkedEventType(StrEnum):
    CALL_UNPARKED = "call.unparked"

    def __str__(self) -> str:
        return str(self.value)
