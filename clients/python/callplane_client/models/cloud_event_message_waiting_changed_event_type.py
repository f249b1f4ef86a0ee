from enum import StrEnum


class CloudEventMessageWaitingChangedEventType(StrEnum):
    MESSAGE_WAITING_CHANGED = "message_waiting.changed"

    def __str__(self) -> str:
        return str(self.value)
