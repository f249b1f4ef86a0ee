from enum import StrEnum


class CloudEventPresenceChangedEventType(StrEnum):
    PRESENCE_CHANGED = "presence.changed"

    def __str__(self) -> str:
        return str(self.value)
