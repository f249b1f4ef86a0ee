from enum import StrEnum


class MediaMode(StrEnum):
    AUTO = "auto"
    DIRECT = "direct"
    RELAY = "relay"

    def __str__(self) -> str:
        return str(self.value)
