from enum import StrEnum


class CloudEventCallCreatedEventType(StrEnum):
    CALL_CREATED = "call.created"

    def __str__(self) -> str:
        return str(self.value)
