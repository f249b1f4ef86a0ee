from enum import StrEnum


class CloudEventTrunkStatusChangedEventType(StrEnum):
    TRUNK_STATUS_CHANGED = "trunk.status_changed"

    def __str__(self) -> str:
        return str(self.value)
