from enum import StrEnum


class PresenceState(StrEnum):
    AVAILABLE = "available"
    DO_NOT_DISTURB = "do_not_disturb"
    OFFLINE = "offline"
    ON_THE_PHONE = "on_the_phone"

    def __str__(self) -> str:
        return str(self.value)
