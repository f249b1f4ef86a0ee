from enum import StrEnum


class TrunkState(StrEnum):
    DISABLED = "disabled"
    DOWN = "down"
    FAILED = "failed"
    REGISTERED = "registered"
    REGISTERING = "registering"
    UNMONITORED = "unmonitored"
    UP = "up"

    def __str__(self) -> str:
        return str(self.value)
