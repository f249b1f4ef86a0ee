from enum import StrEnum


class CloudEventCallPickedUpEventType(StrEnum):
    CALL_PICKED_UP = "call.picked_up"

    def __str__(self) -> str:
        return str(self.value)
