from enum import StrEnum


class RecordingMode(StrEnum):
    ALWAYS = "always"
    NEVER = "never"
    ON_DEMAND = "on_demand"

    def __str__(self) -> str:
        return str(self.value)
