from enum import StrEnum


class CloudEventSecurityBannedEventType(StrEnum):
    SECURITY_BANNED = "security.banned"

    def __str__(self) -> str:
        return str(self.value)
