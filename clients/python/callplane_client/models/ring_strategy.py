from enum import StrEnum


class RingStrategy(StrEnum):
    ROUND_ROBIN = "round_robin"
    SEQUENTIAL = "sequential"
    SIMULTANEOUS = "simultaneous"

    def __str__(self) -> str:
        return str(self.value)
