from enum import StrEnum


class PickupVia(StrEnum):
    DIRECTED_CODE = "directed_code"
    GROUP_CODE = "group_code"
    REPLACES = "replaces"

    def __str__(self) -> str:
        return str(self.value)
