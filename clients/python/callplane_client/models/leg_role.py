from enum import StrEnum


class LegRole(StrEnum):
    CALLEE = "callee"
    CALLER = "caller"

    def __str__(self) -> str:
        return str(self.value)
