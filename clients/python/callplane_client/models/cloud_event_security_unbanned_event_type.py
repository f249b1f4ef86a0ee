from enum import StrEnum


class CloudEventSecurityUnbannedEventType(StrEnum):
    SECURITY_UNBANNED = "security.unbanned"

    def __str__(self) -> str:
        return str(self.value)
