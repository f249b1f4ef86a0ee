from enum import StrEnum


class CloudEventServiceFailedEventType(StrEnum):
    SERVICE_FAILED = "service.failed"

    def __str__(self) -> str:
        return str(self.value)
