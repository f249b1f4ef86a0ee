from enum import StrEnum


class CloudEventCallResumedEventType(StrEnum):
    CALL_RESUMED = "call.resumed"

    def __str__(self) -> str:
        return str(self.value)
