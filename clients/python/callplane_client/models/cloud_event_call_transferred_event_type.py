from enum import StrEnum


class CloudEventCallTransferredEventType(StrEnum):
    CALL_TRANSFERRED = "call.transferred"

    def __str__(self) -> str:
        return str(self.value)
