from enum import StrEnum


class UnparkReason(StrEnum):
    HUNG_UP = "hung_up"
    RETRIEVED = "retrieved"
    TIMED_OUT = "timed_out"

    def __str__(self) -> str:
        return str(self.value)
