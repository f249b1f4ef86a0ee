from enum import StrEnum


class CloudEventConfigChangedEventType(StrEnum):
    CONFIG_CHANGED = "config.changed"

    def __str__(self) -> str:
        return str(self.value)
