from enum import StrEnum


class MatchedBy(StrEnum):
    EXTENSION = "extension"
    IVR_MENU = "ivr_menu"
    RING_GROUP = "ring_group"
    ROUTE = "route"

    def __str__(self) -> str:
        return str(self.value)
